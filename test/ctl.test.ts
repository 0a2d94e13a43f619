// `librespot2mqtt ctl` as a user runs it: the real CLI as child processes against a private mosquitto,
// the go-librespot emulator and bridges; plus the plain topics driven by real mosquitto_pub processes:
// refusals with their reasons, whole-house commands, and a flood of garbage the bridge must survive.
import { after, before, describe, it, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { COMMANDS } from '../bridge/commands/table.js';
import { WORDS } from '../bridge/ctl/words.js';
import { cliEntry } from './helpers/entry.js';
import { startBroker, freePort, type TestBroker } from './helpers/broker.js';
import { startSpeaker, until, type Speaker } from './helpers/setup.js';
import { on, retained } from './helpers/mqtt.js';
import { shell, Subscriber } from './helpers/shell.js';
import { WAIT_MS } from './helpers/patience.js';

const CLI = cliEntry();
type State = Record<string, any>;

let broker: TestBroker;
let s: Speaker;
let kitchen: Speaker;
let answers: Subscriber;
let dir: string;

/** Runs `librespot2mqtt ctl ARGS` (a shell fragment) with the broker and device from the environment. */
function ctl(args: string, extra: Record<string, string> = {}) {
  const env = {
    ...Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('LIBRESPOT2MQTT_'))),
    LIBRESPOT2MQTT_MQTT_URL: broker.url,
    LIBRESPOT2MQTT_DEVICE_ID: s.cfg.device.id,
    ...extra,
  };
  return shell(`'${process.execPath}' '${CLI}' ctl ${args}`, env);
}
const pub = (topic: string, payload: string, extra = '') =>
  shell(`mosquitto_pub -h 127.0.0.1 -p ${broker.port} -q 1 -t '${topic}' ${payload === '' ? '-n' : `-m '${payload}'`} ${extra}`);

before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'l2m-ctl-'));
  broker = await startBroker();
  [s, kitchen] = await Promise.all([startSpeaker({ broker }), startSpeaker({ broker, config: { device: { id: 'kitchen', name: 'Kitchen' } } })]);
  for (const sp of [s, kitchen]) await until(() => sp.state().playback === 'playing' && sp.state().mixer === true, WAIT_MS, 'playing');
  answers = await Subscriber.start(`mosquitto_sub -h 127.0.0.1 -p ${broker.port} -v -t 'librespot2mqtt/+/response'`, broker.url);
});
after(async () => {
  answers?.stop();
  await s?.close();
  await kitchen?.close();
  if (broker) await broker.close();
  await rm(dir, { recursive: true, force: true });
});

describe('ctl commands: exit 0 once the state shows the command', () => {
  const cases: Array<[string, (after: State, before: State) => boolean]> = [
    ['volume 30', (a) => a.volume === 30],
    ['volume +5', (a) => a.volume === 35],
    ['volume -5', (a) => a.volume === 30],
    ['mute on', (a) => a.muted === true],
    ['mute off', (a) => a.muted === false && a.volume === 30],
    ['mute toggle', (a) => a.muted === true],
    ['mute toggle', (a) => a.muted === false],
    ['max-volume 60', (a) => a.max_volume === 60],
    ['max-volume 100', (a) => a.max_volume === 100],
    ['shuffle on', (a) => a.shuffle === true],
    ['shuffle toggle', (a) => a.shuffle === false],
    ['repeat track', (a) => a.repeat === 'track'],
    ['repeat off', (a) => a.repeat === 'off'],
    ['pause', (a) => a.playback === 'paused'],
    ['play', (a) => a.playback === 'playing'],
    ['play-pause', (a) => a.playback === 'paused'],
    ['play-pause', (a) => a.playback === 'playing'],
    ['next', (a, b) => a.track?.uri !== b.track?.uri],
    // go-librespot rewinds instead when the track has played more than 3 s (a slow machine gets there)
    ['previous', (a, b) => a.track?.uri !== b.track?.uri || (a.position_ms === 0 && a.position_updated_at !== b.position_updated_at)],
    ['seek 30', (a) => a.position_ms >= 30_000 && a.position_ms < 32_000],
    // not in the state: the bridge's log says it
    ['log-level debug', () => s.logs.has(/^log level debug \(was debug\)/)],
  ];
  it('every ctl word has a case here', () => {
    const covered = new Set([...cases.map(([c]) => c.split(' ')[0]), 'play-uri', 'stop']);
    for (const { word } of WORDS) assert.ok(covered.has(word), word);
  });
  for (const [args, shows] of cases)
    it(`ctl ${args}`, async (t) => {
      const before = s.state();
      const r = await ctl(args);
      assert.equal(r.code, 0, r.stderr);
      assert.match(r.stdout, /^test: /);
      await until(() => shows(s.state(), before), WAIT_MS, `the state after ctl ${args}`);
      t.diagnostic(`${r.ms} ms (node start included)`);
    });

  it('ctl next waits for the track it skipped to, and prints that one', async () => {
    const before = s.emulator.status()!.track!.uri;
    const r = await ctl('next');
    assert.equal(r.code, 0, r.stderr);
    const now = s.emulator.status()!.track!;
    assert.notEqual(now.uri, before);
    assert.match(r.stdout, /^test: playing, /);
    assert.ok(r.stdout.includes(now.name), r.stdout);
  });

  it('ctl play-uri', async () => {
    const playlist = s.emulator.catalogue.playlists[1]!;
    const r = await ctl(`play-uri ${playlist.uri}`);
    assert.equal(r.code, 0, r.stderr);
    await until(() => s.state().track?.uri === playlist.tracks[0]!.uri, WAIT_MS, 'the playlist plays');
  });

  it('over MQTT 3.1.1: a transaction on the bridge’s response topic instead of MQTT 5 properties', async () => {
    const mark = s.watcher.mark();
    const r = await ctl('volume 20', { LIBRESPOT2MQTT_MQTT_PROTOCOL_VERSION: '4' });
    assert.equal(r.code, 0, r.stderr);
    // the test's own subscription may hear the answer after ctl did
    const answer = await s.watcher.waitJson<any>(s.topics.response, (a) => a.command?.volume === 20, undefined, mark);
    assert.equal(typeof answer.transaction, 'string');
    await until(() => s.state().volume === 20, undefined, 'the state at 20 %');
  });

  it('--json prints the answer', async () => {
    const r = await ctl('--json volume 25');
    assert.equal(r.code, 0, r.stderr);
    const answer = JSON.parse(r.stdout);
    assert.equal(answer.ok, true);
    assert.deepEqual(answer.command, { volume: 25 });
  });
});

describe('ctl exit codes: `ctl … && echo done` is honest', () => {
  it('done only when done', async () => {
    const ok = await ctl('mute on && echo done');
    assert.equal(ok.code, 0, ok.stderr);
    assert.match(ok.stdout, /done\n$/);
    const refused = await ctl('mute maybe && echo done');
    assert.equal(refused.code, 1);
    assert.doesNotMatch(refused.stdout, /done/);
    assert.equal(refused.stderr, 'librespot2mqtt ctl: test refused mute maybe: mute: must be on, off or toggle\n');
    assert.equal((await ctl('mute off')).code, 0);
  });

  it('a volume above the cap: 1, saying the cap held it (the speaker is at the cap)', async () => {
    assert.equal((await ctl('max-volume 20')).code, 0);
    for (const args of ['volume 80', 'volume 100']) {
      const r = await ctl(args);
      assert.equal(r.code, 1, r.stdout);
      assert.equal(r.stderr, `librespot2mqtt ctl: test: ${args} capped at 20 % by Max volume\n`);
      await until(() => s.state().volume === 20, undefined, 'the state at the cap');
    }
    assert.equal((await ctl('volume 20')).code, 0, 'exactly the cap is what was asked');
    assert.equal((await ctl('max-volume 100')).code, 0);
  });

  it('a refused value: 1, with the bridge’s reason', async () => {
    const r = await ctl('volume loud');
    assert.equal(r.code, 1);
    assert.match(r.stderr, /test refused volume loud: volume: must be a number from 0 to 100 %, or a change like \+5 or -5/);
  });

  it('an unknown device: 3, pointing at ctl list', async () => {
    const r = await ctl('--device nowhere mute on');
    assert.equal(r.code, 3);
    assert.equal(r.stderr, 'librespot2mqtt ctl: no bridge with id nowhere on this broker (ctl list shows the ones there are)\n');
  });

  it('a bridge that is online but does not answer: 4 after --timeout', async (t) => {
    await pub('librespot2mqtt/ghost/availability', 'online', '-r');
    try {
      const r = await ctl('--device ghost --timeout 1 next');
      assert.equal(r.code, 4);
      assert.match(r.stderr, /timed out waiting for an answer from bridge ghost/);
      t.diagnostic(`gave up after ${r.ms} ms`);
    } finally {
      await pub('librespot2mqtt/ghost/availability', '', '-r');
    }
  });

  it('no broker: 5', async () => {
    const r = await ctl(`--mqtt-url mqtt://127.0.0.1:${await freePort()} status`);
    assert.equal(r.code, 5);
    assert.match(r.stderr, /cannot reach the MQTT broker at mqtt:\/\/127\.0\.0\.1:\d+/);
  });

  it('a wrong command line: 2, with the usage', async () => {
    for (const args of ['dance', 'volume', 'next 5', '--timeout soon status', '--device ALL status']) {
      const r = await ctl(args);
      assert.equal(r.code, 2, args);
      assert.match(r.stderr, /librespot2mqtt ctl: /, args);
    }
    const help = await ctl('--help');
    assert.equal(help.code, 0);
    assert.match(help.stdout, /exit codes:\n {2}0 .*\n {2}1 .*\n {2}2 .*\n {2}3 .*\n {2}4 .*\n {2}5 /);
  });
});

describe('ctl status and ctl list', () => {
  it('status: for people', async () => {
    const r = await ctl('status');
    assert.equal(r.code, 0, r.stderr);
    const st = s.state();
    assert.match(r.stdout, /^test \(Test speaker\): bridge online, librespot2mqtt \d+\.\d+\.\d+\n/);
    assert.ok(r.stdout.includes(`${st.track.name} — ${st.track.artists.join(', ')}`), r.stdout);
    assert.match(r.stdout, new RegExp(`volume +${st.volume} %, max ${st.max_volume} %, muted no`));
    assert.match(r.stdout, /shuffle +(on|off), repeat (off|context|track)/);
    assert.match(r.stdout, /go-librespot online, Spotify session yes, mixer online/);
  });

  it('status --json: the retained state', async () => {
    const r = await ctl('status --json');
    assert.equal(r.code, 0, r.stderr);
    const seen = await retained(broker.url, [s.topics.state]);
    assert.deepEqual(JSON.parse(r.stdout), JSON.parse(seen[0]!.text));
  });

  it('list: both bridges on the broker', async () => {
    const r = await ctl('list');
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^kitchen +online +Kitchen +\(librespot2mqtt [\d.]+\)\ntest +online +Test speaker +\(librespot2mqtt [\d.]+\)\n$/);
    const json = JSON.parse((await ctl('list --json')).stdout);
    assert.deepEqual(json.map((b: { id: string }) => b.id), ['kitchen', 'test']);
  });
});

describe('plain topics with mosquitto_pub', () => {
  /** Publishes with a real mosquitto_pub and returns the bridge's answer, read by a real mosquitto_sub. */
  async function answer(topic: string, payload: string): Promise<Record<string, any>> {
    const mark = answers.mark();
    const r = await pub(topic, payload);
    assert.equal(r.code, 0, r.stderr);
    return JSON.parse((await answers.next((l) => l.topic === s.topics.response, WAIT_MS, mark)).payload);
  }

  const REFUSED: Array<[string, string, string]> = [
    ['volume', 'loud', 'volume: must be a number from 0 to 100 %, or a change like +5 or -5'],
    ['volume', '', 'volume: must be a number from 0 to 100 %, or a change like +5 or -5'],
    ['volume', '5%', 'volume: must be a number from 0 to 100 %, or a change like +5 or -5'],
    ['volume', '+', 'volume: must be a number from 0 to 100 %, or a change like +5 or -5'],
    ['volume', '+ 5', 'volume: must be a number from 0 to 100 %, or a change like +5 or -5'],
    ['max_volume', 'half', 'max_volume: must be a number from 0 to 100 %, or a change like +5 or -5'],
    ['mute', 'maybe', 'mute: must be on, off or toggle'],
    ['mute', '', 'mute: must be on, off or toggle'],
    ['mute', '2', 'mute: must be on, off or toggle'],
    ['shuffle', 'onn', 'shuffle: must be on, off or toggle'],
    ['repeat', 'sometimes', 'repeat: must be one of off, context, track'],
    ['action', 'dance', 'action: must be one of play, pause, play_pause, next, previous, stop'],
    ['action', 'play pause', 'action: must be one of play, pause, play_pause, next, previous, stop'],
    ['play_uri', 'hello', 'play_uri: must be a Spotify URI like spotify:playlist:37i9dQZF1DXcBWIGoYBM5M, or an open.spotify.com link'],
    ['seek', 'abc', 'seek: must be a number from 0 to 86400 seconds, or a change like +5 or -5'],
    ['volumes', '30', `unknown command topic set/volumes (known: ${COMMANDS.map((c) => `set/${c.key}`).join(', ')})`],
    // below set/<key>: once dropped unanswered (the bridge subscribed to set/+ only)
    ['volume/extra', '30', `unknown command topic set/volume/extra (known: ${COMMANDS.map((c) => `set/${c.key}`).join(', ')})`],
  ];
  for (const [key, payload, error] of REFUSED)
    it(`set/${key} ← ${JSON.stringify(payload)} is refused: ${error}`, async () => {
      assert.deepEqual(await answer(`${s.topics.set}/${key}`, payload), { ok: false, error });
    });

  // bridge/commands/fields.ts numberOrStep: zod's union reports the one matching branch's own issue
  for (const [key, payload] of [['volume', '101'], ['max_volume', '150']] as const)
    it(`set/${key} ← "${payload}" says the range`, async () => {
      assert.deepEqual(await answer(`${s.topics.set}/${key}`, payload), { ok: false, error: `${key}: must be between 0 and 100 %` });
    });

  const TOLERATED: Array<[string, string, Record<string, unknown>]> = [
    ['volume', ' 30 ', { volume: 30 }],
    ['volume', ' +5 ', { volume: { step: 5 } }],
    ['mute', ' ON ', { mute: true }],
    ['mute', 'False', { mute: false }],
    ['repeat', 'Context', { repeat: 'context' }],
    ['action', 'NEXT ', { action: 'next' }],
  ];
  for (const [key, payload, command] of TOLERATED)
    it(`set/${key} ← ${JSON.stringify(payload)} is understood`, async () => {
      const a = await answer(`${s.topics.set}/${key}`, payload);
      assert.equal(a.ok, true, a.error);
      assert.deepEqual(a.command, command);
    });
});

describe('one vocabulary for set/<key> and JSON', () => {
  for (const [plain, json, value] of [['1', '1', true], ['0', '0', false], ['on', '"on"', true], ['true', 'true', true], ['off', 'false', false]] as const)
    it(`set/shuffle ${plain} and {"shuffle":${json}} agree`, async () => {
      const mark = answers.mark();
      assert.equal((await pub(`${s.topics.set}/shuffle`, plain)).code, 0);
      const a = JSON.parse((await answers.next((l) => l.topic === s.topics.response, WAIT_MS, mark)).payload);
      const mark2 = answers.mark();
      assert.equal((await pub(s.topics.set, `{"shuffle":${json}}`)).code, 0);
      const b = JSON.parse((await answers.next((l) => l.topic === s.topics.response, WAIT_MS, mark2)).payload);
      assert.deepEqual([a.ok, a.command, a.error], [true, { shuffle: value }, undefined]);
      assert.deepEqual([b.ok, b.command, b.error], [true, { shuffle: value }, undefined]);
    });
});

describe('a retained command', () => {
  it('is not run, and answered with the reason once', async () => {
    const topic = `${s.topics.set}/mute`;
    const muted = s.state().muted;
    const mark = answers.mark();
    await pub(topic, muted ? 'off' : 'on', '-r');
    await pub(topic, muted ? 'off' : 'on', '-r');
    // answers come in order: once this one is here, any answer to the second retained one would be too
    await pub(s.topics.set, '{"action":"play","transaction":"after-retained"}');
    await answers.next((l) => l.payload.includes('after-retained'), WAIT_MS, mark);
    await pub(topic, '', '-r');
    const refusals = answers.lines.slice(mark).filter((l) => l.topic === s.topics.response && l.payload.includes('retained command'));
    assert.equal(refusals.length, 1, JSON.stringify(refusals));
    assert.deepEqual(JSON.parse(refusals[0]!.payload), {
      ok: false,
      error: `retained command on ${topic} ignored: publish commands without retain, and clear this one with: mosquitto_pub -r -n -t '${topic}'`,
    });
    assert.equal(s.state().muted, muted);
  });
});

describe('whole house: <base>/all/set reaches every bridge', () => {
  it('all/set/mute and all/set/volume: both bridges obey and answer', async () => {
    for (const [key, payload, shows] of [
      ['mute', 'on', (st: State) => st.muted === true],
      ['mute', 'off', (st: State) => st.muted === false],
      ['volume', '15', (st: State) => st.volume === 15],
    ] as const) {
      const mark = answers.mark();
      assert.equal((await pub(`librespot2mqtt/all/set/${key}`, payload)).code, 0);
      for (const sp of [s, kitchen]) {
        const a = JSON.parse((await answers.next((l) => l.topic === sp.topics.response, WAIT_MS, mark)).payload);
        assert.equal(a.ok, true, a.error);
        await until(() => shows(sp.state()), WAIT_MS, `${sp.cfg.device.id} after all/set/${key} ${payload}`);
      }
    }
  });
});

describe('a flood of garbage', () => {
  it('2000 bad payloads on set and set/<key>: each refused, and a good command still answers', async (t: TestContext) => {
    const junk = (i: number) =>
      [`%garbage ${i}`, '{"volume":', '[1,2,3]', 'null', '{"bogus":1}', `{"volume":"loud${i}"}`, '🙂'.repeat(i % 50 + 1), 'x'.repeat(5000), '{}', `{"mute":{"a":${i}}}`][i % 10]!;
    const topics = [s.topics.set, ...COMMANDS.map((c) => `${s.topics.set}/${c.key}`)];
    const perTopic = Math.ceil(2000 / topics.length);
    const files = await Promise.all(
      topics.map(async (topic, n) => {
        const path = join(dir, `junk-${n}`);
        await writeFile(path, Array.from({ length: perTopic }, (_, i) => junk(i + n)).join('\n') + '\n');
        return [topic, path] as const;
      }),
    );
    const sent = perTopic * topics.length;
    const mark = answers.mark();
    const refusals = () => answers.lines.slice(mark).filter((l) => l.topic === s.topics.response && JSON.parse(l.payload).ok === false);
    const t0 = Date.now();
    // one publisher after the other: parallel ones outrun the broker's queue for the bridge (1000 messages) and it drops
    for (const [topic, path] of files) {
      const r = await shell(`mosquitto_pub -h 127.0.0.1 -p ${broker.port} -q 1 -t '${topic}' -l < '${path}'`);
      assert.equal(r.code, 0, r.stderr);
    }
    const flooded = Date.now() - t0;
    const t1 = Date.now();
    // "at once" is for people; on a loaded machine the bridge may still be refusing the flood
    const good = await ctl('--timeout 30 volume 42');
    assert.equal(good.code, 0, good.stderr);
    const goodMs = Date.now() - t1;
    await until(() => refusals().length >= sent, 3 * WAIT_MS, `${sent} refusals (${refusals().length} so far)`);
    const all = Date.now() - t0;
    // each with a reason, and none echoing a 5000-character payload back
    for (const l of refusals()) assert.match(JSON.parse(l.payload).error, /^.{10,400}$/s);
    t.diagnostic(`${sent} garbage payloads published in ${flooded} ms, all ${sent} refused after ${all} ms; ctl volume 42 right after the flood: ${goodMs} ms (node start included)`);
  });
});

describe('ctl stop (last: it ends the emulated session)', () => {
  it('stops', async () => {
    const r = await ctl('stop');
    assert.equal(r.code, 0, r.stderr);
    await until(() => s.state().playback !== 'playing', WAIT_MS, 'stopped');
  });
});

describe('an offline bridge', () => {
  it('ctl says offline (3), status too, list shows it', async () => {
    await kitchen.close();
    const r = await ctl('--device kitchen mute on');
    assert.equal(r.code, 3);
    assert.equal(r.stderr, 'librespot2mqtt ctl: device kitchen is offline\n');
    const st = await ctl('--device kitchen status');
    assert.equal(st.code, 3);
    assert.match(st.stdout, /^kitchen \(Kitchen\): bridge offline: what follows is the last state it published\n/);
    assert.match((await ctl('list')).stdout, /^kitchen +offline/m);
  });
});
