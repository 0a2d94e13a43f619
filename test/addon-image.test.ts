// The add-on image, without a Docker engine (none runs here): the Dockerfile's structure is checked
// (pinned base from ARG BUILD_FROM, nothing taken from outside addon/, node as the entrypoint), its
// shell lines and scripts pass shellcheck, and its two shell steps run for real on Debian under
// BusyBox sh (the base image's /bin/sh): build-bundle.sh builds the bundle from a source archive of
// this checkout through npm ci and npm run bundle; install-runtime.sh installs it into a throwaway
// root, with a stand-in apk that checks Debian's Node and alsa-utils in place of Alpine's packages.
// Not exercised here: Alpine's apk itself, musl, the base image, BuildKit's RUN --mount, and the
// download from GitHub (a file:// URL stands in for the tag's archive).
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFile, execFileSync } from 'node:child_process';
import { chmodSync, copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { serviceNodeFlags } from './helpers/alpine.js';
import { BUNDLE } from './helpers/entry.js';

const repoFile = (path: string) => fileURLToPath(new URL(`../../${path}`, import.meta.url));
const REPO = repoFile('');
const scratch = mkdtempSync(join(tmpdir(), 'l2m-addon-image-'));
after(() => rmSync(scratch, { recursive: true, force: true }));

interface Instruction {
  cmd: string;
  args: string;
}

/** Dockerfile instructions, continuation lines joined, comments dropped. */
function instructions(text: string): Instruction[] {
  return text
    .replace(/\\\n/g, ' ')
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith('#'))
    .map((l) => {
      const [cmd, ...rest] = l.split(/\s+/);
      return { cmd: cmd!.toUpperCase(), args: rest.join(' ') };
    });
}

const DOCKERFILE = instructions(readFileSync(repoFile('addon/Dockerfile'), 'utf8'));
const mounts = (run: string) => [...run.matchAll(/--mount=(\S+)/g)].map((m) => Object.fromEntries(m[1]!.split(',').map((kv) => kv.split('=') as [string, string])));
const runShell = (run: string) => run.replace(/--mount=\S+\s*/g, '');

function sh(cmd: string, args: string[], env: NodeJS.ProcessEnv = process.env, timeout = 240_000): Promise<{ code: number; out: string; err: string }> {
  return new Promise((resolve) =>
    execFile(cmd, args, { env, timeout, encoding: 'utf8', maxBuffer: 32 << 20 }, (e, out, err) => resolve({ code: e ? (typeof e.code === 'number' ? e.code : 1) : 0, out, err })),
  );
}

describe('addon/Dockerfile', () => {
  it('base image: ARG BUILD_FROM defaults to the pinned ghcr.io/home-assistant/base:3.24, and every stage is FROM it', () => {
    assert.deepEqual(DOCKERFILE[0], { cmd: 'ARG', args: 'BUILD_FROM=ghcr.io/home-assistant/base:3.24' });
    const froms = DOCKERFILE.filter((i) => i.cmd === 'FROM').map((i) => i.args);
    assert.deepEqual(froms, ['${BUILD_FROM} AS build', '${BUILD_FROM}'], 'multi-stage: a build stage and the runtime');
  });

  it('needs nothing outside addon/: no COPY/ADD of the build context, bind mounts only of files in addon/', () => {
    const copies = DOCKERFILE.filter((i) => (i.cmd === 'COPY' || i.cmd === 'ADD') && !i.args.includes('--from='));
    assert.deepEqual(copies, []);
    const sources = DOCKERFILE.filter((i) => i.cmd === 'RUN').flatMap((i) => mounts(i.args).filter((m) => !m.from).map((m) => m.source!));
    assert.deepEqual(sources.sort(), ['build-bundle.sh', 'install-runtime.sh']);
    for (const s of sources) assert.ok(existsSync(repoFile(`addon/${s}`)) && !s.includes('..'), s);
  });

  it('the runtime stage runs node (with the OpenRC service’s V8 flags) on the installed bundle in add-on mode, with no shell and no s6 in between', () => {
    const entry = DOCKERFILE.filter((i) => i.cmd === 'ENTRYPOINT').at(-1);
    assert.deepEqual(JSON.parse(entry!.args), ['node', ...serviceNodeFlags(), '/usr/lib/librespot2mqtt/librespot2mqtt.mjs', 'addon']);
    assert.deepEqual(DOCKERFILE.filter((i) => i.cmd === 'CMD' || i.cmd === 'HEALTHCHECK'), []);
  });

  it('every RUN line and every script passes shellcheck (as POSIX sh: the base image’s /bin/sh is BusyBox ash)', () => {
    const runs = DOCKERFILE.filter((i) => i.cmd === 'RUN').map((i) => runShell(i.args));
    assert.equal(runs.length, 2);
    const args = DOCKERFILE.filter((i) => i.cmd === 'ARG').map((i) => i.args.split('=')[0]!);
    const file = join(scratch, 'dockerfile-run.sh');
    // the ARGs are what the RUN lines' variables come from
    writeFileSync(file, `#!/bin/sh\n${args.map((a) => `${a}=\${${a}:-}`).join('\n')}\n${runs.join('\n')}\n`);
    const scripts = ['addon/build-bundle.sh', 'addon/install-runtime.sh', 'test/fixtures/apk-on-debian.sh'].map(repoFile);
    const r = (() => {
      try {
        execFileSync('shellcheck', ['-s', 'sh', file, ...scripts], { encoding: 'utf8', stdio: 'pipe' });
        return '';
      } catch (e) {
        return (e as { stdout: string }).stdout || String(e);
      }
    })();
    assert.equal(r, '');
  });
});

describe('install-runtime.sh on Debian (apk → a stand-in checking the Debian equivalents)', () => {
  it('installs exactly nodejs and alsa-utils, then the bundle where the entrypoint runs it, and the bundle starts', async () => {
    assert.ok(existsSync(BUNDLE), 'npm run bundle has run (npm test does)');
    const bin = join(scratch, 'bin');
    mkdirSync(bin, { recursive: true });
    copyFileSync(repoFile('test/fixtures/apk-on-debian.sh'), join(bin, 'apk'));
    chmodSync(join(bin, 'apk'), 0o755);
    const root = join(scratch, 'root');
    const log = join(scratch, 'apk.log');
    const env = { ...process.env, PATH: `${bin}:${process.env.PATH}:/usr/sbin`, APK_LOG: log };
    // what build-bundle.sh leaves: the bundle and the card in one folder
    const built = join(scratch, 'built');
    mkdirSync(built, { recursive: true });
    copyFileSync(BUNDLE, join(built, 'librespot2mqtt.mjs'));
    copyFileSync(join(dirname(BUNDLE), 'alsa_mixer.node'), join(built, 'alsa_mixer.node'));
    const missing = await sh('busybox', ['sh', repoFile('addon/install-runtime.sh'), join(built, 'librespot2mqtt.mjs'), join(scratch, 'root-without-card')], env);
    assert.notEqual(missing.code, 0);
    assert.match(missing.err, /install-runtime: the dashboard card .*librespot2mqtt-card\.js is missing/);
    copyFileSync(repoFile('card/librespot2mqtt-card.js'), join(built, 'librespot2mqtt-card.js'));
    writeFileSync(log, '');
    const r = await sh('busybox', ['sh', repoFile('addon/install-runtime.sh'), join(built, 'librespot2mqtt.mjs'), root], env);
    assert.equal(r.code, 0, r.err);
    assert.equal(readFileSync(log, 'utf8'), 'add --no-cache nodejs alsa-utils\n', 'the runtime layer adds nodejs and alsa-utils, nothing else');
    const installed = join(root, 'usr/lib/librespot2mqtt/librespot2mqtt.mjs');
    const version = JSON.parse(readFileSync(repoFile('package.json'), 'utf8')).version as string;
    assert.match(r.out, new RegExp(`install-runtime: librespot2mqtt ${version.replace(/\./g, '\\.')} on Node v\\d+`));
    assert.equal(execFileSync(process.execPath, [installed, '--version'], { encoding: 'utf8' }).trim(), version);
    // beside the bundle, where the add-on looks for it by default
    assert.deepEqual(readFileSync(join(root, 'usr/lib/librespot2mqtt/librespot2mqtt-card.js')), readFileSync(repoFile('card/librespot2mqtt-card.js')));
    assert.ok(existsSync(join(root, 'usr/lib/librespot2mqtt/alsa_mixer.node')), 'the native mixer beside the bundle (npm run build made it)');
  });

  it('an Alpine package with no known equivalent fails the stand-in, so the check can fail', async () => {
    const r = await sh('busybox', ['sh', repoFile('test/fixtures/apk-on-debian.sh'), 'add', '--no-cache', 'nodejs', 'python3'], { ...process.env, APK_LOG: join(scratch, 'apk2.log') });
    assert.notEqual(r.code, 0);
    assert.match(r.err, /no Debian equivalent known for Alpine package python3/);
  });
});

describe('build-bundle.sh on Debian: source archive → npm ci → npm run bundle', () => {
  /** this checkout as GitHub serves a tag: a .tar.gz holding one folder <repo>-<tag>/ */
  function sourceArchive(): string {
    const files = execFileSync('git', ['ls-files', '--cached', '--others', '--exclude-standard'], { cwd: REPO, encoding: 'utf8' })
      .split('\n')
      .filter((f) => f && existsSync(join(REPO, f)));
    const list = join(scratch, 'files.txt');
    writeFileSync(list, files.join('\n'));
    const archive = join(scratch, 'source.tar.gz');
    execFileSync('tar', ['-czf', archive, '-C', REPO, '--transform', 's,^,librespot2mqtt-test/,', '-T', list]);
    return archive;
  }

  it('builds the bundle from the archive with the lockfile, checks its version, and leaves it in OUT_DIR', async (t) => {
    const version = JSON.parse(readFileSync(repoFile('package.json'), 'utf8')).version as string;
    const archive = sourceArchive();
    const out = join(scratch, 'out');
    // npm from its cache only: `npm ci` before the tests filled it, and a test must not need the network
    const env = { ...process.env, npm_config_offline: 'true', npm_config_update_notifier: 'false' };
    const t0 = Date.now();
    const r = await sh('busybox', ['sh', repoFile('addon/build-bundle.sh'), `file://${archive}`, out, version], env, 600_000);
    t.diagnostic(`build-bundle.sh: ${Date.now() - t0} ms`);
    assert.equal(r.code, 0, `${r.out}\n${r.err}`);
    const built = join(out, 'librespot2mqtt.mjs');
    assert.equal(execFileSync(process.execPath, [built, '--version'], { encoding: 'utf8' }).trim(), version);
    assert.deepEqual(readFileSync(join(out, 'librespot2mqtt-card.js')), readFileSync(repoFile('card/librespot2mqtt-card.js')), 'the card beside it');
    assert.match(r.out, /build-bundle: \S+alsa_mixer\.node \(the native ALSA mixer\)/, 'npm run bundle compiled the native mixer from the archive');
  });

  it('a source of another version than the add-on stops the build with a clear message', async () => {
    const r = await sh('busybox', ['sh', repoFile('addon/build-bundle.sh'), `file://${join(scratch, 'source.tar.gz')}`, join(scratch, 'out2'), '9.9.9']);
    assert.notEqual(r.code, 0);
    assert.match(r.err, /build-bundle: the source is version \S+, the add-on is 9\.9\.9/);
  });
});
