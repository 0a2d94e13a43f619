// ALSA volume and mute end to end: a real ALSA mixer (test/rig), the go-librespot emulator, a
// real broker and the bridge. The HA slider, the Spotify slider and alsamixer must agree, the
// cap must hold against each, and nothing may echo.
import { after, before, describe, it, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { ALSA_BACKENDS, backendSkip, startRig, watchWrites, type RigDevice } from './helpers/alsa-rig.js';
import { startSpeaker, sleep, type Speaker } from './helpers/setup.js';
import { WAIT_MS } from './helpers/patience.js';
import { speakerOn, until, VOLUME, volumeRig } from './helpers/volume.js';
import { startBroker, type TestBroker } from './helpers/broker.js';
import { tapEvents } from './helpers/emulator.js';

const rig = await startRig();
if (rig) process.env.ALSA_CONFIG_PATH = rig.env.ALSA_CONFIG_PATH;
const { rawOf } = rig ? volumeRig(rig) : ({} as ReturnType<typeof volumeRig>);
const volumePosts = (s: Speaker, since = 0) => s.emulator.requests.slice(since).filter((r) => r.method === 'POST' && r.path === '/player/volume');

/** The three agree: the state's volume, ALSA's raw value, and go-librespot's volume. The mixer has
 * 0.5 dB steps, about 2 % near the top, so the level lands on the step nearest the one asked for. */
async function agreed(s: Speaker, device: RigDevice, asked: number) {
  const st = await until('state volume', () => s.state().volume, (v) => Math.abs(v - asked) <= 2);
  const percent = st.value;
  const raw = await until('ALSA raw', () => rawOf(device), (r) => JSON.stringify(r) === JSON.stringify(s.state().mixer_detail?.raw));
  const sp = await until('Spotify volume', () => s.emulator.status()?.volume, (v) => v === percent);
  return Math.max(st.ms, raw.ms, sp.ms);
}

for (const backend of ALSA_BACKENDS) {
  describe(`volume on the HifiBerry AMP2 shape (stereo, with a mute switch) (${backend})`, { skip: backendSkip(rig, backend) }, () => {
    let s: Speaker;
    before(async () => {
      await rig!.reset();
      s = await speakerOn('amp2', backend);
      await until('mixer online', () => s.state().mixer, (v) => v === true);
    });
    after(() => s?.close());

    it('starts with the mixer detected and Spotify following the mixer, not the other way round', async () => {
      await until('the control', () => s.state().mixer_detail?.control, (c) => c === 'Digital Playback Volume');
      await until('the volume', () => s.state().volume, (v) => v === 100);
      assert.ok(s.logs.has(/mixer controls detected/));
    });

    // each step: exactly one ALSA write and one POST (or none where the change came from there),
    // and nothing more once the echoes (~100 ms later) have come back
    it('HA slider → ALSA and Spotify, one write each', async (t: TestContext) => {
      const writes = await watchWrites(rig!, 'amp2', VOLUME.amp2);
      const mark = s.emulator.requests.length;
      const t0 = Date.now();
      await s.watcher.publish(`${s.topics.set}/volume`, '30');
      const ms = await agreed(s, 'amp2', 30);
      t.diagnostic(`HA slider → state + ALSA + Spotify agree after ${ms} ms`);
      assert.equal(await writes.settled(t0, 1), 1, 'ALSA writes');
      writes.stop();
      assert.equal(volumePosts(s, mark).length, 1);
      assert.equal(s.state().volume, 30);
    });

    it('Spotify slider → ALSA, no echo back', async (t: TestContext) => {
      const writes = await watchWrites(rig!, 'amp2', VOLUME.amp2);
      const tap = await tapEvents(s.emulator.url);
      const mark = s.emulator.requests.length;
      const t0 = Date.now();
      s.emulator.appVolume(45);
      await agreed(s, 'amp2', 45);
      const agreedAt = Date.now();
      const heard = tap.times[tap.events.findIndex((e) => e.type === 'volume')]!;
      t.diagnostic(`Spotify slider → go-librespot's volume event after ${heard - t0} ms (its own 100 ms debounce) → ALSA + state agree ${agreedAt - heard} ms later`);
      assert.equal(await writes.settled(t0, 1), 1, 'ALSA writes');
      writes.stop();
      await tap.close();
      assert.equal(volumePosts(s, mark).length, 0, 'no POST back to go-librespot for its own change');
      assert.ok(s.logs.has(/^volume 45 % \(Spotify app\)$/), 'the log says who changed it');
    });

    it('alsamixer → state and Spotify', async (t: TestContext) => {
      const writes = await watchWrites(rig!, 'amp2', VOLUME.amp2);
      const mark = s.emulator.requests.length;
      const t0 = Date.now();
      await rig!.amixer(['-q', '-D', 'amp2', 'cset', 'name=Digital Playback Volume', '150,150']);
      const st = await until('state raw', () => s.state().mixer_detail?.raw, (r) => r?.[0] === 150);
      const percent = s.state().volume;
      await until('Spotify volume', () => s.emulator.status()?.volume, (v) => v === percent);
      t.diagnostic(`alsamixer → state after ${st.ms} ms, Spotify after ${Date.now() - t0} ms`);
      assert.equal(await writes.settled(t0, 1), 1, 'only alsamixer wrote to ALSA');
      writes.stop();
      assert.equal(volumePosts(s, mark).length, 1);
    });

    it('a dragged HA slider is coalesced and ends where the hand stopped', async () => {
      const mark = s.emulator.requests.length;
      for (let v = 60; v <= 80; v++) void s.watcher.publish(`${s.topics.set}/volume`, String(v));
      await agreed(s, 'amp2', 80);
      await sleep(400);
      assert.ok(volumePosts(s, mark).length < 21, `${volumePosts(s, mark).length} POSTs for 21 slider steps`);
      assert.ok(Math.abs(s.emulator.status()!.volume - 80) <= 2);
    });

    it('the cap holds against HA, the Spotify app and alsamixer, and pulls the level down when lowered', async () => {
      await s.watcher.publish(`${s.topics.set}/max_volume`, '50');
      await agreed(s, 'amp2', 50);
      await s.watcher.publish(`${s.topics.set}/volume`, '90');
      const r = await s.watcher.waitJson<any>(s.topics.response, (v) => v.command?.volume === 90);
      assert.equal(r.ok, true);
      await agreed(s, 'amp2', 50);
      s.emulator.appVolume(95);
      await until('Spotify pulled back', () => s.emulator.status()?.volume, (v) => v === 50);
      await agreed(s, 'amp2', 50);
      await rig!.amixer(['-q', '-D', 'amp2', 'cset', 'name=Digital Playback Volume', '207,207']);
      await until('ALSA pulled back', () => rawOf('amp2'), (r) => r[0]! < 207);
      await agreed(s, 'amp2', 50);
      assert.ok(s.logs.has(/^volume 100 % capped to 50 % by Max volume \(mixer\)$/), 'the log says what the cap did');
      await s.watcher.publish(`${s.topics.set}/max_volume`, '100');
      await until('cap lifted', () => s.state().max_volume, (v) => v === 100);
    });

    it('mute uses the switch and keeps the level', async () => {
      await s.watcher.publish(`${s.topics.set}/volume`, '40');
      await agreed(s, 'amp2', 40);
      await s.watcher.publish(`${s.topics.set}/mute`, 'on');
      await until('muted', () => s.state().muted, (v) => v === true);
      assert.match(await rig!.amixer(['-D', 'amp2', 'cget', 'name=Digital Playback Switch']), /: values=off,off/);
      assert.equal(s.state().volume, 40);
      await s.watcher.publish(`${s.topics.set}/mute`, 'toggle');
      await until('unmuted', () => s.state().muted, (v) => v === false);
    });

    it('the card vanishing makes Volume and Mute unavailable (not the device), and they come back', async () => {
      const mark = s.watcher.mark();
      await rig!.setGone('amp2', true);
      await s.watcher.wait(s.topics.needs.mixer, (m) => m.text === 'offline', WAIT_MS, mark);
      await until('no volume while the card is gone', () => s.state().volume, (v) => v === null);
      assert.equal(s.watcher.messages.filter((m) => m.topic === s.topics.availability).at(-1)?.text, 'online');
      await s.watcher.publish(`${s.topics.set}/volume`, '20');
      const r = await s.watcher.waitJson<any>(s.topics.response, (v) => v.ok === false && /volume/.test(v.error));
      assert.match(r.error, /not available/);
      await rig!.setGone('amp2', false);
      await s.watcher.wait(s.topics.needs.mixer, (m) => m.text === 'online', WAIT_MS, mark);
      await until('volume back', () => s.state().volume, (v) => typeof v === 'number');
    });
  });
}

for (const backend of ALSA_BACKENDS) {
  describe(`volume on the HifiBerry AMP shape (mono Master, no mute switch) (${backend})`, { skip: backendSkip(rig, backend) }, () => {
    let broker: TestBroker;
    before(async () => {
      await rig!.reset();
      broker = await startBroker();
    });
    after(() => broker?.close());

    it('mute = level 0, unmute restores the level, also across a bridge restart; the cap persists', async () => {
      let s = await speakerOn('amp', backend, {}, broker);
      const stateFile = s.cfg.state_file;
      try {
        await until('mixer', () => s.state().mixer, (v) => v === true);
        assert.equal(s.state().mixer_detail.control, 'Master');
        assert.equal(s.state().volume, 100, '0 dB (raw 200) is the top of the scale: +24 dB of gain stays out of reach');
        await s.watcher.publish(`${s.topics.set}/volume`, '35');
        await agreed(s, 'amp', 35);
        await s.watcher.publish(`${s.topics.set}/max_volume`, '70');
        await until('cap', () => s.state().max_volume, (v) => v === 70);
        await s.watcher.publish(`${s.topics.set}/mute`, 'on');
        await until('muted', () => s.state().muted, (v) => v === true);
        await until('Master at 0', () => rawOf('amp'), (r) => r.length === 1 && r[0] === 0);
        await until('the volume', () => s.state().volume, (v) => v === 0);
      } finally {
        await s.close();
      }
      s = await speakerOn('amp', backend, { state_file: stateFile }, broker);
      try {
        await until('mixer', () => s.state().mixer, (v) => v === true);
        assert.equal(s.state().muted, true, 'still muted after the restart');
        assert.equal(s.state().max_volume, 70, 'the cap set over MQTT survives the restart');
        await s.watcher.publish(`${s.topics.set}/mute`, 'off');
        await until('unmuted to the old level', () => s.state().volume, (v) => v === 35);
        assert.equal(s.state().muted, false);
      } finally {
        await s.close();
      }
    });

    it('start volume is applied when a Spotify session starts', async () => {
      const s = await speakerOn('amp', backend, { volume: { start: 20 } }, broker);
      try {
        await until('mixer', () => s.state().mixer, (v) => v === true);
        s.emulator.logout();
        await s.bridge.check();
        s.emulator.connectSession();
        await agreed(s, 'amp', 20);
      } finally {
        await s.close();
      }
    });
  });
}

describe('mixer.backend: none', () => {
  it('the volume entities drive go-librespot, capped', async () => {
    const s = await startSpeaker();
    try {
      await until('volume', () => s.state().volume, (v) => v === 100);
      await s.watcher.publish(`${s.topics.set}`, '{"max_volume":60,"volume":80}');
      await until('Spotify capped', () => s.emulator.status()?.volume, (v) => v === 60);
      s.emulator.appVolume(90);
      await until('pulled back', () => s.emulator.status()?.volume, (v) => v === 60);
      await until('state', () => s.state().volume, (v) => v === 60);
    } finally {
      await s.close();
    }
  });
});

after(() => rig?.stop());
