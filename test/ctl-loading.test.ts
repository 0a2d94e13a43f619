// Scripts call ctl again and again: what it loads is most of its time (bench/ctl.ts measures it).
// Its import graph as esbuild sees it, which is what the bundle evaluates for `librespot2mqtt ctl`,
// holds none of the daemon: no logger, bridge, demo, add-on, Home Assistant client or mixer.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { build, type Metafile } from 'esbuild';

const repo = (path: string) => fileURLToPath(new URL(`../../${path}`, import.meta.url));

async function graph(entry: string): Promise<Metafile> {
  const { metafile } = await build({ entryPoints: [repo(entry)], absWorkingDir: repo(''), bundle: true, write: false, platform: 'node', format: 'esm', metafile: true, logLevel: 'silent' });
  return metafile;
}

test('the entry imports nothing before it knows the command: ctl and the rest are each loaded on demand', async () => {
  const { inputs } = await graph('bridge/cli.ts');
  const imports = inputs['bridge/cli.ts']!.imports;
  assert.deepEqual(
    imports.map((i) => [i.original, i.kind]),
    [
      ['./ctl/ctl.js', 'dynamic-import'],
      ['./main.js', 'dynamic-import'],
    ],
  );
});

test("ctl's import graph holds none of the daemon", async () => {
  const loaded = Object.keys((await graph('bridge/ctl/ctl.ts')).inputs);
  const daemon = [/node_modules\/pino/, /node_modules\/aedes/, /home-assistant-js-websocket/, /^bridge\/log\.ts$/, /^bridge\/bridge\.ts$/, /^bridge\/main\.ts$/, /^bridge\/(demo|addon|emulator|mixer|librespot\/client)/, /^bridge\/ha\/(?!topics)/];
  assert.deepEqual(
    loaded.filter((path) => daemon.some((d) => d.test(path))),
    [],
  );
  // what it does need, so the check above looks at a real graph
  for (const needed of ['bridge/ctl/client.ts', 'bridge/config/schema.ts', 'bridge/log-levels.ts']) assert.ok(loaded.includes(needed), needed);
  assert.ok(loaded.some((p) => p.startsWith('node_modules/mqtt/')));
});
