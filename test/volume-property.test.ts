// Property: whatever the interleaving of HA commands, Spotify app slider moves (the emulator),
// external amixer writes, mute toggles and cap changes, the mixer, go-librespot's volume and the
// published state come to agree, stay agreed, and show what the last inputs asked for; mute keeps
// its promises (AMP: level 0 and an audible level to restore; AMP2: the switch). Real rig, real
// broker, real emulator; fast-check makes the sequences and the delays between them.
import { after, describe, it, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { ALSA_BACKENDS, backendSkip, startRig, type RigDevice } from './helpers/alsa-rig.js';
import { sleep, type Speaker } from './helpers/setup.js';
import { savedMuteLevel, speakerOn, until, volumeRig } from './helpers/volume.js';
import { classOf, outcomes, SCALES, type Input, type Model } from './helpers/volume-model.js';
import { WAIT_MS } from './helpers/patience.js';
import { percentOf } from '../bridge/mixer/scale.js';

const rig = await startRig();
if (rig) process.env.ALSA_CONFIG_PATH = rig.env.ALSA_CONFIG_PATH;
const { rawOf, mutedOf, setRaw } = rig ? volumeRig(rig) : ({} as ReturnType<typeof volumeRig>);
after(() => rig?.stop());

/** runs per rig shape (CI: 2 × 100) */
const RUNS = Number(process.env.L2M_PROPERTY_RUNS ?? 100);
/** agreement must hold this long: longer than go-librespot's 100 ms report delay, so late echoes are in */
const STABLE_MS = 250;
/** and over this many looks: a stalled machine passes STABLE_MS without a look at what came in meanwhile */
const STABLE_LOOKS = 5;
/** generous: the issue's ~500 ms, times the slowness of a loaded CI machine */
const CONVERGE_MS = WAIT_MS;

const input = (device: RigDevice): fc.Arbitrary<Input> =>
  fc.oneof(
    fc.record({ kind: fc.constant('ha' as const), value: fc.integer({ min: 0, max: 100 }) }),
    fc.record({ kind: fc.constant('ha_step' as const), step: fc.integer({ min: -25, max: 25 }).filter((n) => n !== 0) }),
    fc.record({ kind: fc.constant('app' as const), value: fc.integer({ min: 0, max: 100 }) }),
    fc.record({ kind: fc.constant('amixer' as const), raw: fc.integer({ min: 0, max: SCALES[device].top }) }),
    fc.record({ kind: fc.constant('mute' as const), value: fc.constantFrom('ON' as const, 'OFF' as const, 'toggle' as const) }),
    fc.record({ kind: fc.constant('cap' as const), value: fc.integer({ min: 10, max: 100 }) }),
  );
/** mostly a few ms apart (a race), sometimes after the speaker settled (a sequence: order is then certain) */
const delay = fc.oneof({ arbitrary: fc.integer({ min: 0, max: 60 }), weight: 3 }, { arbitrary: fc.constant('settle' as const), weight: 1 });
const scenario = (device: RigDevice) => fc.array(fc.tuple(delay, input(device)), { minLength: 1, maxLength: 5 });

interface Seen {
  state: Record<string, any>;
  raw: number[];
  switchOff: boolean;
  spotify: number | undefined;
}

async function look(s: Speaker, device: RigDevice): Promise<Seen> {
  const [raw, switchOff] = await Promise.all([rawOf(device), mutedOf(device)]);
  return { state: s.state(), raw, switchOff, spotify: s.emulator.status()?.volume };
}

/** The mixer, go-librespot and the published state say the same. */
function agree(device: RigDevice, v: Seen): boolean {
  const st = v.state;
  return (
    st.mixer === true &&
    st.volume === v.spotify &&
    st.volume === percentOf(SCALES[device].scale, Math.max(...v.raw)) &&
    JSON.stringify(st.mixer_detail?.raw) === JSON.stringify(v.raw) &&
    (!SCALES[device].hasSwitch || st.muted === v.switchOff)
  );
}

/** Waits until they agree and go on agreeing for STABLE_MS; returns when the agreement began. */
async function converged(s: Speaker, device: RigDevice, since: number): Promise<{ at: number; seen: Seen }> {
  let from: number | null = null;
  let seen: Seen | undefined;
  let looks = 0;
  while (Date.now() - since < CONVERGE_MS) {
    const t = Date.now();
    const now = await look(s, device);
    if (!agree(device, now)) from = null;
    else if (from === null || JSON.stringify(now) !== JSON.stringify(seen)) [from, seen, looks] = [t, now, 0];
    else if (++looks >= STABLE_LOOKS && Date.now() - from >= STABLE_MS) return { at: from, seen: now };
    await sleep(10);
  }
  throw new Error(`no lasting agreement ${CONVERGE_MS} ms after the last input; last seen ${JSON.stringify(seen ?? (await look(s, device)))}`);
}

function modelOf(device: RigDevice, s: Speaker, seen: Seen): Model {
  const st = seen.state;
  return {
    level: st.volume,
    cap: st.max_volume,
    muted: SCALES[device].hasSwitch ? st.muted : false,
    restore: SCALES[device].hasSwitch ? null : savedMuteLevel(s),
  };
}

const answers = (s: Speaker, since: number) => s.watcher.messages.slice(since).filter((m) => m.topic === s.topics.response).length;

async function send(s: Speaker, device: RigDevice, i: Input): Promise<void> {
  const set = (key: string, payload: string) => s.watcher.publish(`${s.topics.set}/${key}`, payload);
  switch (i.kind) {
    case 'ha':
      return void (await set('volume', String(i.value)));
    case 'ha_step':
      return void (await set('volume', i.step > 0 ? `+${i.step}` : String(i.step)));
    case 'app':
      return s.emulator.appVolume(i.value);
    case 'amixer':
      return void (await setRaw(device, i.raw));
    case 'mute':
      return void (await set('mute', i.value));
    case 'cap':
      return void (await set('max_volume', String(i.value)));
  }
}

const show = (m: Model, hasSwitch: boolean) => `${m.level} %${hasSwitch ? (m.muted ? ' muted' : '') : m.restore !== null ? ` muted (restore ${m.restore} %)` : ''}, cap ${m.cap} %`;

for (const backend of ALSA_BACKENDS) for (const device of ['amp', 'amp2'] as const) {
  const { hasSwitch } = SCALES[device];
  describe(`interleaved volume sources converge (${device === 'amp' ? 'AMP: no mute switch' : 'AMP2: mute switch'}, ${backend})`, { skip: backendSkip(rig, backend) }, () => {
    it(`${RUNS} generated runs`, { timeout: RUNS * 15_000 }, async (t: TestContext) => {
      await rig!.reset();
      const s = await speakerOn(device, backend);
      const times: number[] = [];
      try {
        let { seen } = await converged(s, device, Date.now());
        await fc.assert(
          fc.asyncProperty(scenario(device), async (steps) => {
            const logFrom = s.logs.lines.length;
            const answersFrom = s.watcher.mark();
            const start = modelOf(device, s, seen);
            const sent: Array<{ input: Input; settled: boolean }> = [];
            /** the state may agree before a slow command has run: first every command is answered */
            const quiet = async (since: number) => {
              const commands = sent.filter((x) => classOf(x.input) === 'mqtt').length;
              await until('every command answered', () => answers(s, answersFrom), (n) => n >= commands, CONVERGE_MS);
              return converged(s, device, since);
            };
            for (const [wait, i] of steps) {
              if (wait === 'settle') await quiet(Date.now());
              else await sleep(wait);
              sent.push({ input: i, settled: wait === 'settle' });
              await send(s, device, i);
            }
            const last = Date.now();
            const end = await quiet(last);
            seen = end.seen;
            times.push(Math.max(0, end.at - last));
            const got = modelOf(device, s, seen);
            const allowed = outcomes(device, start, sent);
            const story = `from ${show(start, hasSwitch)}: ${sent.map((x) => `${x.settled ? '| ' : ''}${JSON.stringify(x.input)}`).join(' ')}`;
            const log = s.logs.lines.slice(logFrom).filter((l) => l.part === 'volume' || l.part === 'command').map((l) => `    ${l.msg}`);
            assert.ok(
              allowed.some((m) => JSON.stringify(m) === JSON.stringify(got)),
              `${story}\n  ended ${show(got, hasSwitch)}; expected ${allowed.map((m) => show(m, hasSwitch)).join(' or ')}\n  the bridge said:\n${log.join('\n')}`,
            );
            // the mute invariants, directly on the hardware
            assert.ok(got.level <= got.cap, 'never above the cap');
            if (!hasSwitch) {
              assert.equal(seen.state.muted, got.restore !== null, 'muted is what the saved restore level says');
              if (got.restore !== null) assert.deepEqual(seen.raw, [0], 'muted: Master at 0');
            } else {
              assert.equal(seen.state.muted, seen.switchOff, 'muted is the switch');
            }
          }),
          { numRuns: RUNS, endOnFailure: true, includeErrorInReport: true, ...(process.env.L2M_PROPERTY_SEED ? { seed: Number(process.env.L2M_PROPERTY_SEED) } : {}) },
        );
      } finally {
        await s.close();
      }
      times.sort((a, b) => a - b);
      t.diagnostic(
        `${device}: ${times.length} runs; agreement (lasting ${STABLE_MS} ms) after the last input: median ${times[times.length >> 1]} ms, ` +
          `90th percentile ${times[Math.floor(times.length * 0.9)]} ms, worst ${times.at(-1)} ms`,
      );
    });
  });
}
