// Row 2: spawn → "online" retained on the broker, the bundle against a minimal MQTT.js script
// (minimal-mqtt.ts, bundled the same way), both with the launcher's V8 flags, interleaved.
import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { REQUIRE_BANNER } from '../bridge/tools/bundle.js';
import { Watcher } from '../test/helpers/mqtt.js';
import { launcherFlags, startDaemon } from './daemon.js';
import { median, ms, type Row } from './table.js';

const TARGET = 1.5;
let runs = 0;

/** bench/<name>.ts bundled like the daemon is, in a folder of its own: the path to run with node */
export async function bundledScript(name: string): Promise<string> {
  const outfile = join(mkdtempSync(join(tmpdir(), 'l2m-bench-min-')), `${name}.mjs`);
  await build({
    entryPoints: [fileURLToPath(new URL(`./${name}.js`, import.meta.url))],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    minify: true,
    banner: { js: REQUIRE_BANNER },
    logLevel: 'warning',
  });
  return outfile;
}

async function minimalOnlineMs(script: string, brokerUrl: string, topic: string): Promise<number> {
  const w = await Watcher.connect(brokerUrl, [topic]);
  const t0 = performance.now();
  const child = spawn(process.execPath, [...launcherFlags(), script, brokerUrl, topic], { stdio: 'ignore' });
  try {
    await w.wait(topic, (m) => m.text === 'online', 30_000);
    return performance.now() - t0;
  } finally {
    child.kill();
    await w.close();
  }
}

export async function startupRow(brokerUrl: string, librespotUrl: string): Promise<Row> {
  const rounds = Number(process.env.BENCH_STARTUP_ROUNDS ?? 10);
  const script = await bundledScript('minimal-mqtt');
  const minimal: number[] = [];
  const bridge: number[] = [];
  for (let i = 0; i < rounds; i++) {
    // a topic of its own each time: an "online" retained from an earlier run would answer at once
    minimal.push(await minimalOnlineMs(script, brokerUrl, `bench/minimal/${process.pid}/${runs++}`));
    const d = await startDaemon({ brokerUrl, librespotUrl, probe: false });
    bridge.push(d.onlineMs);
    await d.stop();
  }
  const ratio = median(bridge) / median(minimal);
  return {
    n: 2,
    measure: `startup: spawn → "online" on the broker, median of ${rounds}`,
    value: ms(median(bridge)),
    baseline: `minimal MQTT.js connect + publish ${ms(median(minimal))}`,
    ratio,
    target: `≤ ${TARGET}×`,
    met: ratio <= TARGET,
  };
}
