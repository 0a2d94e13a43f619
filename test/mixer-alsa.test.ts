// The ALSA mixer, with each backend (alsa-lib in-process, alsa-utils), against a real ALSA mixer
// (test/rig/alsa-rig.sh): amp = HifiBerry AMP, amp2 = AMP2/DAC+.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, beforeEach, describe, test, type TestContext } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { silentLogger } from '../bridge/log.js';
import { createAlsaMixer, type AlsaBackend, type AlsaMixerOptions } from '../bridge/mixer/alsa.js';
import { MixerError, type Mixer, type MixerEvent } from '../bridge/mixer/mixer.js';
import { ALSA_BACKENDS, backendSkip, startRig, watchWrites, type Rig } from './helpers/alsa-rig.js';
import { WAIT_MS } from './helpers/patience.js';

const rig = await startRig();
// the native backend reads the rig's ALSA configuration in this process
if (rig) process.env.ALSA_CONFIG_PATH = rig.env.ALSA_CONFIG_PATH;
after(() => rig?.stop());
const VOLUME = { amp: 'Master', amp2: 'Digital Playback Volume' } as const;

/** Runs fn on a mixer of this backend, and closes it. */
const mixerOf =
  (backend: AlsaBackend) =>
  async (opts: Partial<AlsaMixerOptions> & { device: string }, fn: (m: Mixer) => Promise<void>): Promise<void> => {
    const mixer = createAlsaMixer({ log: silentLogger, env: (rig as Rig).env, backend, ...opts });
    try {
      await fn(mixer);
    } finally {
      await mixer.close();
    }
  };

/** Collects a mixer's events; next() waits for the first one of a type after the last it returned. */
function watchEvents(mixer: Mixer): { events: MixerEvent[]; next(type: MixerEvent['type'], timeoutMs?: number): Promise<MixerEvent> } {
  const events: MixerEvent[] = [];
  const waiters: Array<() => void> = [];
  let seen = 0;
  mixer.watch((e) => {
    events.push(e);
    waiters.splice(0).forEach((w) => w());
  });
  return {
    events,
    async next(type, timeoutMs = WAIT_MS) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const i = events.findIndex((e, k) => k >= seen && e.type === type);
        if (i >= 0) {
          seen = i + 1;
          return events[i] as MixerEvent;
        }
        if (Date.now() > deadline) throw new Error(`no '${type}' event within ${timeoutMs} ms; got ${JSON.stringify(events)}`);
        await Promise.race([new Promise<void>((r) => waiters.push(r)), sleep(50)]);
      }
    },
  };
}

/** The mixer's watcher reports: a write of `device`'s volume (by the rig, as a knob would) comes back
 * as a 'change'. Until it listens, a write is found only by the periodic read, so write until one is
 * reported. */
async function reporting(watched: ReturnType<typeof watchEvents>, device: 'amp' | 'amp2'): Promise<void> {
  for (let raw = 10; ; raw = raw === 10 ? 11 : 10) {
    await (rig as Rig).setRaw(device, 0, [raw, raw]);
    if (await watched.next('change', 1000).then(() => true, () => false)) return;
  }
}

/** Runs an external change once the watcher reports, and checks it arrives as exactly one 'change'. */
async function externalChange(t: TestContext, mixer: Mixer, device: 'amp' | 'amp2', what: string, change: () => Promise<void>): Promise<MixerEvent> {
  const watched = watchEvents(mixer);
  await reporting(watched, device);
  const before = watched.events.length;
  await change();
  const t0 = performance.now();
  const event = await watched.next('change');
  t.diagnostic(`${what}: 'change' after ${(performance.now() - t0).toFixed(1)} ms`);
  // long enough for a second event to arrive, were there one
  await sleep(300);
  assert.equal(watched.events.length - before, 1, `exactly one event: ${JSON.stringify(watched.events.slice(before))}`);
  return event;
}

function isMixerError(code: MixerError['code'], pattern: RegExp): (err: unknown) => boolean {
  return (err) => err instanceof MixerError && err.code === code && pattern.test(err.message);
}

for (const backend of ALSA_BACKENDS) describe(`ALSA mixer (${backend}) on the rig`, { skip: backendSkip(rig, backend) }, () => {
  const r = rig as Rig;
  const withMixer = mixerOf(backend);
  beforeEach(() => r.reset());

  test('amp: detects Master without a switch, 100 % = 0 dB', () =>
    withMixer({ device: 'amp' }, async (m) => {
      const reading = await m.open();
      assert.deepEqual(m.info, { device: 'amp', control: 'Master', switch: null, hasDb: true, channels: 1, min: 0, max: 248 });
      assert.deepEqual(reading, { percent: 100, raw: [200], min: 0, max: 248, db: 0, muted: false, seq: reading.seq });
    }));

  test('amp2: detects Digital Playback Volume + Switch', () =>
    withMixer({ device: 'amp2' }, async (m) => {
      const reading = await m.open();
      assert.deepEqual(m.info, {
        device: 'amp2', control: 'Digital Playback Volume', switch: 'Digital Playback Switch', hasDb: true, channels: 2, min: 0, max: 207,
      });
      assert.deepEqual(reading, { percent: 100, raw: [207, 207], min: 0, max: 207, db: 0, muted: false, seq: reading.seq });
    }));

  for (const device of ['amp', 'amp2'] as const) {
    test(`${device}: setPercent writes every channel and reads back`, () =>
      withMixer({ device }, async (m) => {
        await m.open();
        const half = await m.setPercent(50);
        assert.equal(half.percent, 50);
        assert.ok(half.db !== null && Math.abs(half.db + 18) <= 0.5, `50 % = ${half.db} dB`);
        const cget = await r.amixer(['-D', device, 'cget', `name=${VOLUME[device]}`]);
        assert.match(cget, new RegExp(`: values=${half.raw.join(',')}\\n`));
        assert.deepEqual((await m.read()).raw, half.raw);
        assert.equal((await m.setPercent(0)).db, -Infinity);
        assert.equal((await m.setPercent(100)).db, 0);
      }));
  }

  test('amp2: setMuted switches both channels', () =>
    withMixer({ device: 'amp2' }, async (m) => {
      await m.open();
      assert.equal((await m.setMuted(true)).muted, true);
      assert.match(await r.amixer(['-D', 'amp2', 'cget', 'name=Digital Playback Switch']), /: values=off,off/);
      assert.equal((await m.setMuted(false)).muted, false);
      assert.match(await r.amixer(['-D', 'amp2', 'cget', 'name=Digital Playback Switch']), /: values=on,on/);
    }));

  test('amp: setMuted rejects clearly (the AMP has no switch)', () =>
    withMixer({ device: 'amp' }, async (m) => {
      await m.open();
      await assert.rejects(m.setMuted(true), isMixerError('unsupported', /no mute switch/));
    }));

  for (const device of ['amp', 'amp2'] as const) {
    test(`${device}: a cset from another process arrives as one 'change'`, (t) =>
      withMixer({ device }, async (m) => {
        await m.open();
        const values = device === 'amp' ? '120' : '150,150';
        const e = await externalChange(t, m, device, `${device} amixer cset`, async () => {
          await r.amixer(['-q', '-D', device, '--', 'cset', `name=${VOLUME[device]}`, values]);
        });
        assert.equal(e.type === 'change' && e.reading.raw.join(','), values);
      }));

    test(`${device}: a raw state-file write arrives as one 'change'`, (t) =>
      withMixer({ device }, async (m) => {
        await m.open();
        const e = await externalChange(t, m, device, `${device} state file`, () => r.setRaw(device, 0, [100, 100]));
        assert.equal(e.type === 'change' && e.reading.raw[0], 100);
      }));
  }

  // the writer has the answer already; the watcher may see the kernel's event before the write
  // returns (a reading numbered before the answer), but never repeats it after as news
  test("amp2: own writes are answered, not reported again after; readings are numbered in order", () =>
    withMixer({ device: 'amp2' }, async (m) => {
      const first = await m.open();
      const watched = watchEvents(m);
      await sleep(300);
      const set = await m.setPercent(40);
      assert.equal(set.percent, 40);
      const muted = await m.setMuted(true);
      assert.equal(muted.muted, true);
      assert.ok(first.seq < set.seq && set.seq < muted.seq);
      await sleep(300);
      assert.ok(watched.events.every((e) => e.type === 'change' && e.reading.seq < muted.seq), JSON.stringify(watched.events));
      await rig!.amixer(['-q', '-D', 'amp2', 'cset', 'name=Digital Playback Volume', '90,90']);
      let e = await watched.next('change');
      while (e.type === 'change' && e.reading.seq < muted.seq) e = await watched.next('change');
      assert.ok(e.type === 'change' && e.reading.raw[0] === 90);
    }));

  test('amp2: a burst of 20 setPercent calls needs far fewer writes and ends at the last value', (t) =>
    withMixer({ device: 'amp2' }, async (m) => {
      await m.open();
      const writes = await watchWrites(r, 'amp2', VOLUME.amp2);
      const t0 = Date.now();
      const targets = Array.from({ length: 20 }, (_, i) => 10 + 3 * i);
      await Promise.all(targets.map((p) => m.setPercent(p)));
      assert.equal((await m.read()).percent, targets.at(-1));
      // the writes' events on their way to alsactl
      const count = await writes.settled(t0, 1);
      writes.stop();
      t.diagnostic(`20 setPercent calls → ${count} writes`);
      assert.ok(count >= 1 && count <= 5, `${count} writes`);
    }));

  test('wrong control name: MixerError listing the controls', () =>
    withMixer({ device: 'amp', control: 'Digital Playback Volume' }, async (m) => {
      await assert.rejects(m.open(), isMixerError('control', /no control 'Digital Playback Volume'.*'Master', 'Channels'/));
    }));

  test('wrong device: MixerError', () =>
    withMixer({ device: 'nosuchcard' }, async (m) => {
      await assert.rejects(m.open(), isMixerError('device', /cannot open ALSA device 'nosuchcard'/));
    }));

  if (backend === 'alsa-utils') test('amixer missing: MixerError with the install hint', () =>
    withMixer({ device: 'amp', amixerPath: join(r.dir, 'no-amixer-here') }, async (m) => {
      await assert.rejects(m.open(), isMixerError('not-installed', /amixer not found.*apk add alsa-utils/));
    }));

  test("amp2: the card vanishing gives 'lost', its return 'back', and watching goes on", (t) =>
    withMixer({ device: 'amp2', pollMs: 100, retryMs: { min: 100, max: 400 } }, async (m) => {
      await m.open();
      const watched = watchEvents(m);
      await sleep(300);
      await r.setGone('amp2', true);
      const lost = await watched.next('lost');
      t.diagnostic(`lost: ${lost.type === 'lost' && lost.error.message}`);
      assert.ok(lost.type === 'lost' && lost.error instanceof MixerError && lost.error.code === 'device');
      await r.setGone('amp2', false);
      const back = await watched.next('back');
      assert.deepEqual(back.type === 'back' && back.reading.raw, [207, 207]);
      await sleep(300);
      await r.setRaw('amp2', 0, [90, 90]);
      const change = await watched.next('change');
      assert.deepEqual(change.type === 'change' && change.reading.raw, [90, 90]);
      assert.equal(watched.events.filter((e) => e.type === 'lost').length, 1);
    }));
});
