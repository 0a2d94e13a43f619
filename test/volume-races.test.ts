// Issue 20's five observations, each as it was seen from outside: the real rig, the emulator, a
// real broker and mosquitto_pub. Sources that overlap must end in one agreed state.
import { after, describe, it, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { ALSA_BACKENDS, backendSkip, startRig } from './helpers/alsa-rig.js';
import { settle, startSpeaker, sleep, type Speaker } from './helpers/setup.js';
import { WAIT_MS } from './helpers/patience.js';
import { shell } from './helpers/shell.js';
import { savedMuteLevel, speakerOn, until, volumeRig } from './helpers/volume.js';
import { parseCommand } from '../bridge/commands/parse.js';

const rig = await startRig();
if (rig) process.env.ALSA_CONFIG_PATH = rig.env.ALSA_CONFIG_PATH;
const { rawOf, setRaw } = rig ? volumeRig(rig) : ({} as ReturnType<typeof volumeRig>);
after(() => rig?.stop());

/** One line per payload, as a shell user sends a quick sequence. */
const pubLines = (s: Speaker, key: string, lines: string[]) =>
  shell(`printf '${lines.join('\\n')}\\n' | mosquitto_pub -h 127.0.0.1 -p ${s.broker.port} -q 1 -l -t '${s.topics.set}/${key}'`);

const answers = (s: Speaker, since: number) => s.watcher.messages.slice(since).filter((m) => m.topic === s.topics.response);

for (const backend of ALSA_BACKENDS) {
  describe(`observation 1: mute then unmute in quick succession (AMP shape, no switch) (${backend})`, { skip: backendSkip(rig, backend) }, () => {
    it('ON, OFF ends unmuted at the old level; OFF, ON ends muted with the old level to restore (3 runs each)', async () => {
      await rig!.reset();
      const s = await speakerOn('amp', backend);
      try {
        await until('mixer', () => s.state().mixer, (v) => v === true);
        for (let run = 0; run < 3; run++) {
          await setRaw('amp', 150);
          const { value: level } = await until('the knob seen', () => s.state(), (st) => st.mixer_detail?.raw[0] === 150);
          assert.ok(level.volume > 0);

          let mark = s.watcher.mark();
          assert.equal((await pubLines(s, 'mute', ['ON', 'OFF'])).code, 0);
          await until('two answers', () => answers(s, mark).length, (n) => n === 2);
          await until(`run ${run}: Master back at 150`, () => rawOf('amp'), (r) => r.length === 1 && r[0] === 150);
          await until(`run ${run}: unmuted at the old level`, () => s.state(), (st) => st.volume === level.volume && st.muted === false);

          mark = s.watcher.mark();
          assert.equal((await pubLines(s, 'mute', ['OFF', 'ON'])).code, 0);
          await until('two answers', () => answers(s, mark).length, (n) => n === 2);
          await until(`run ${run}: Master at 0`, () => rawOf('amp'), (r) => r.length === 1 && r[0] === 0);
          await until(`run ${run}: muted`, () => s.state().muted, (m) => m === true);
          await until('the level to restore is the audible one, not 0', () => savedMuteLevel(s), (l) => l === level.volume);

          await s.watcher.publish(`${s.topics.set}/mute`, 'OFF');
          await until('unmuted to the old level', () => rawOf('amp'), (r) => r[0] === 150);
        }
      } finally {
        await s.close();
      }
    });
  });
}

for (const backend of ALSA_BACKENDS) {
  describe(`observation 2: the HA slider and the Spotify app slider at the same moment (${backend})`, { skip: backendSkip(rig, backend) }, () => {
    // the issue saw it at 70-85 ms; where the window lies depends on the machine's speed, so sweep it
    it('mixer, go-librespot and the state agree after every try (20 tries, HA 55-112 ms after the app: go-librespot reports the app ~100 ms late)', async (t: TestContext) => {
      await rig!.reset();
      const s = await speakerOn('amp2', backend);
      try {
        await until('mixer', () => s.state().mixer, (v) => v === true);
        let worst = 0;
        const won = { app: 0, ha: 0 };
        for (let i = 0; i < 20; i++) {
          const app = 20 + ((i * 7) % 30);
          const ha = 55 + ((i * 11) % 30);
          s.emulator.appVolume(app);
          await sleep(55 + i * 3);
          const sent = Date.now();
          await s.watcher.publish(`${s.topics.set}/volume`, String(ha));
          const agree = () =>
            until(
              `try ${i}: app ${app}, HA ${ha}: mixer, go-librespot and state agree`,
              async () => ({ state: s.state(), raw: await rawOf('amp2'), spotify: s.emulator.status()?.volume }),
              (v) => v.state.volume === v.spotify && JSON.stringify(v.raw) === JSON.stringify(v.state.mixer_detail?.raw),
            );
          await agree();
          worst = Math.max(worst, Date.now() - sent);
          // and agree again once go-librespot's last echo (~100 ms late) is in, however late that is here
          await sleep(250);
          const st = (await agree()).value.state;
          const near = (v: number) => Math.abs(st.volume - v) <= 2;
          assert.ok(near(app) || near(ha), `try ${i}: ${st.volume} % is one of the two asked for (app ${app}, HA ${ha})`);
          won[near(ha) ? 'ha' : 'app']++;
        }
        t.diagnostic(`20 tries: the HA value won ${won.ha}, the app's ${won.app}; slowest agreement ${worst} ms after the HA command`);
      } finally {
        await s.close();
      }
    });
  });
}

for (const backend of ALSA_BACKENDS) {
  describe(`observation 3: a mixer write that fails because the card is gone (${backend})`, { skip: backendSkip(rig, backend) }, () => {
    it('marks the card lost at once (not at the next periodic check), and it is used again when it is back', async () => {
      await rig!.reset();
      // a periodic check far away: only the failed write can tell
      const s = await speakerOn('amp2', backend, { mixer: { backend, device: 'amp2', check_s: 300 } });
      try {
        await until('mixer', () => s.state().mixer, (v) => v === true);
        const mark = s.watcher.mark();
        await rig!.setGone('amp2', true);
        await s.watcher.publish(`${s.topics.set}/volume`, '20');
        const r = await s.watcher.waitJson<{ ok: boolean; error: string }>(s.topics.response, () => true, undefined, mark);
        assert.equal(r.ok, false);
        // alsa-utils learns it from the failed write; the native mixer is told by the card itself,
        // often before the command arrives
        assert.match(r.error, backend === 'alsa-utils' ? /volume: .*amp2/ : /volume: .*(amp2|the volume control is not available)/);
        await s.watcher.wait(s.topics.needs.mixer, (m) => m.text === 'offline', WAIT_MS, mark);
        // the state follows the availability message: the publisher coalesces it
        await until('volume unknown', () => s.state().volume, (v) => v === null);
        await rig!.setGone('amp2', false);
        await s.watcher.wait(s.topics.needs.mixer, (m) => m.text === 'online', WAIT_MS, mark);
        await s.watcher.publish(`${s.topics.set}/volume`, '20');
        await until('volume works again', () => s.state().volume, (v) => v === 20);
      } finally {
        await rig!.setGone('amp2', false);
        await s.close();
      }
    });
  });
}

describe('observation 4: mixer.backend none', () => {
  it('a go-librespot volume event publishes the state once, with the volume already following it', async () => {
    const s = await startSpeaker();
    try {
      await until('volume', () => s.state().volume, (v) => v === 100);
      for (const v of [40, 55, 70]) {
        await settle(s);
        const mark = s.watcher.mark();
        s.emulator.appVolume(v);
        await until('state', () => s.state().volume, (x) => x === v);
        await sleep(300);
        const states = s.watcher.messages.slice(mark).filter((m) => m.topic === s.topics.state).map((m) => JSON.parse(m.text));
        assert.equal(states.length, 1, `one state message for one event: ${JSON.stringify(states.map((x) => [x.spotify_volume, x.volume]))}`);
        assert.equal(states[0].spotify_volume, v);
        assert.equal(states[0].volume, v);
      }
    } finally {
      await s.close();
    }
  });
});

describe('observation 5: numbers are decimal integers, nothing else', () => {
  const FORM = 'must be a number from 0 to 100 %, or a change like +5 or -5';
  for (const payload of ['0x1F', '\uFEFF30', '1e-400', '1e1', '30.5', '3,5', '+ 5', '--5', '30%', 'Infinity', '\u00a030', '٣٠'])
    it(`set/volume ← ${JSON.stringify(payload)} is refused with the accepted form`, () => {
      assert.deepEqual(parseCommand('volume', Buffer.from(payload)), { ok: false, error: `volume: ${FORM}` });
      assert.deepEqual(parseCommand(undefined, Buffer.from(JSON.stringify({ max_volume: payload }))), {
        ok: false,
        error: `max_volume: ${FORM}`,
        transaction: undefined,
      });
    });
  for (const [payload, value] of [
    ['30', 30],
    [' 30\n', 30],
    ['\t007 ', 7],
    ['+5', { step: 5 }],
    ['-15', { step: -15 }],
  ] as const)
    it(`set/volume ← ${JSON.stringify(payload)} is ${JSON.stringify(value)}`, () => {
      assert.deepEqual(parseCommand('volume', Buffer.from(payload)), { ok: true, command: { volume: value } });
    });
  it('a JSON number must be whole too', () => {
    assert.deepEqual(parseCommand(undefined, Buffer.from('{"volume":30.5}')), { ok: false, error: `volume: ${FORM}`, transaction: undefined });
  });
});
