// The native mixer's binding (bridge/mixer/native/alsa_mixer.c) on the ALSA rig: what the shared
// mixer suite (mixer-alsa.test.ts) does not reach — dB reads and writes, element ranges, change
// events and a vanishing card told by the control device itself — and that the same C builds
// against musl, as on Alpine.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, beforeEach, describe, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { promisify } from 'node:util';
import { ADDON_PATH, loadNative, type Ctl, type CtlConstructor } from '../bridge/mixer/native/binding.js';
import { CFLAGS, SOURCE, nodeIncludeDir } from '../bridge/mixer/native/build.js';
import { backendSkip, startRig, type Rig } from './helpers/alsa-rig.js';

const run = promisify(execFile);
const rig = await startRig();
if (rig) process.env.ALSA_CONFIG_PATH = rig.env.ALSA_CONFIG_PATH;
after(() => rig?.stop());

/** Events a Ctl delivers, and a wait for the next one that matches. */
function watch(ctl: Ctl) {
  const events: Array<{ err: (Error & { code: string }) | null; names: string[] }> = [];
  ctl.watch((err, names) => events.push({ err, names }));
  return {
    events,
    async until(what: string, ok: (e: (typeof events)[number]) => boolean, timeoutMs = 3000) {
      for (const deadline = Date.now() + timeoutMs; Date.now() < deadline; await sleep(10)) {
        const e = events.find(ok);
        if (e) return e;
      }
      throw new Error(`${what}: not within ${timeoutMs} ms; got ${JSON.stringify(events)}`);
    },
  };
}

describe('native mixer binding on the rig', { skip: backendSkip(rig, 'alsa-native') }, () => {
  const r = rig as Rig;
  const Ctl = loadNative() as CtlConstructor;
  const open: Ctl[] = [];
  const ctl = (device: string) => {
    const c = new Ctl(device);
    open.push(c);
    return c;
  };
  beforeEach(async () => {
    open.splice(0).forEach((c) => c.close());
    await r.setGone('amp2', false);
    await r.reset();
  });
  after(() => open.forEach((c) => c.close()));

  test('ranges and dB scales per element, as the codecs declare them', () => {
    const amp = ctl('amp');
    assert.deepEqual(amp.controls(), ['Master', 'Channels']);
    // the AMP's suffix-less Master: its dB scale is there at element level (not in the simple mixer)
    assert.deepEqual(amp.info('Master'), { type: 'INTEGER', channels: 1, min: 0, max: 248, db: { min: -100, max: 24, mute: true } });
    const amp2 = ctl('amp2');
    assert.deepEqual(amp2.info('Digital Playback Volume'), { type: 'INTEGER', channels: 2, min: 0, max: 207, db: { min: -103.5, max: 0, mute: true } });
    assert.deepEqual(amp2.info('Digital Playback Switch'), { type: 'BOOLEAN', channels: 2, min: 0, max: 1, db: null });
  });

  test('raw and dB reads and writes, seen by amixer', async () => {
    const amp2 = ctl('amp2');
    assert.deepEqual(amp2.read('Digital Playback Volume'), [207, 207]);
    assert.deepEqual(amp2.readDb('Digital Playback Volume'), [0, 0]);
    amp2.writeDb('Digital Playback Volume', -20.2, -1);
    assert.deepEqual(amp2.read('Digital Playback Volume'), [166, 166], '-20.2 dB rounds down to the -20.5 dB step');
    amp2.writeDb('Digital Playback Volume', -20.2, 1);
    assert.deepEqual(amp2.readDb('Digital Playback Volume'), [-20, -20], 'and up to -20 dB');
    assert.match(await r.amixer(['-D', 'amp2', 'cget', 'name=Digital Playback Volume']), /: values=167,167\n/);
    amp2.write('Digital Playback Volume', [0, 100]);
    assert.deepEqual(amp2.readDb('Digital Playback Volume'), [-Infinity, -53.5], 'raw 0 is the mute point');
    amp2.write('Digital Playback Switch', [0, 0]);
    assert.match(await r.amixer(['-D', 'amp2', 'cget', 'name=Digital Playback Switch']), /: values=off,off\n/);
    const amp = ctl('amp');
    amp.writeDb('Master', -Infinity, 1);
    assert.deepEqual(amp.read('Master'), [0]);
  });

  test('errors say what is wrong, with the mixer error codes', () => {
    assert.throws(() => new Ctl('nosuchcard'), (e: Error & { code: string }) => e.code === 'device' && /cannot open ALSA device 'nosuchcard'/.test(e.message));
    const amp2 = ctl('amp2');
    assert.throws(() => amp2.read('Nope'), (e: Error & { code: string }) => e.code === 'control' && /has no control 'Nope'/.test(e.message));
    assert.throws(() => amp2.readDb('Digital Playback Switch'), (e: Error & { code: string }) => e.code === 'control' && /no dB scale/.test(e.message));
    assert.throws(() => amp2.write('Digital Playback Volume', [1]), /takes 2 values/);
    amp2.close();
    assert.throws(() => amp2.read('Digital Playback Volume'), /is closed/);
  });

  test("another process's write arrives as an event naming the element", async () => {
    const w = watch(ctl('amp2'));
    await r.amixer(['-q', '-D', 'amp2', 'cset', 'name=Digital Playback Switch', 'off,off']);
    const e = await w.until('switch event', (e) => e.names.includes('Digital Playback Switch'));
    assert.equal(e.err, null);
  });

  test('the card vanishing is an error event from the control device, and the watch ends', async () => {
    const amp2 = ctl('amp2');
    const w = watch(amp2);
    await r.setGone('amp2', true);
    const e = await w.until('gone', (e) => e.err !== null);
    assert.equal(e.err?.code, 'device');
    assert.match(e.err?.message ?? '', /ALSA device 'amp2' went away/);
    await r.setGone('amp2', false);
    await r.setRaw('amp2', 0, [90, 90]);
    await sleep(300);
    assert.equal(w.events.filter((x) => x.err).length, 1);
    assert.equal(w.events.at(-1), e, 'nothing after the error');
  });

  test('unwatch and close let the process exit: no libuv handle is left behind', async () => {
    // a process that does not exit is killed by the timeout, and run() rejects
    for (const stop of ['unwatch', 'close']) {
      const script = `const { Ctl } = require(${JSON.stringify(ADDON_PATH)}); const c = new Ctl('amp2'); c.watch(() => {}); setTimeout(() => c.${stop}(), 200);`;
      await run(process.execPath, ['-e', script], { env: r.env, timeout: 10_000 });
    }
  });
});

describe('the native mixer builds against musl, as on Alpine', () => {
  const musl = existsSync('/usr/bin/musl-gcc');
  if (!musl && (process.env.CI || process.env.L2M_REQUIRE_ALSA)) throw new Error('musl-gcc is missing: apt-get install musl-tools');
  test('musl-gcc -Werror -c with alsa-lib\'s and Node\'s headers', { skip: !musl && 'musl-gcc is missing (apt-get install musl-tools)' }, async () => {
    // musl-gcc searches only musl's headers: the alsa folder is offered alone, not the glibc tree it sits in
    const dir = await mkdtemp(join(tmpdir(), 'l2m-musl-'));
    try {
      await symlink('/usr/include/alsa', join(dir, 'alsa'));
      const out = join(dir, 'alsa_mixer.o');
      await run('musl-gcc', [...CFLAGS, '-Werror', '-I', dir, '-I', nodeIncludeDir(), '-c', '-o', out, SOURCE]);
      assert.ok(existsSync(out));
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
