// docs/mqtt.md and the config schema are what the generator makes of the code's tables, and every
// shell line in docs/mqtt.md and the README works: each mosquitto_pub example runs as a real process
// against a private mosquitto and `librespot2mqtt demo` (the bridge and its simulated go-librespot, as
// a new user tries them), and its answer, read by the doc's own mosquitto_sub lines, is the one shown
// (ok, or the exact refusal), with the state following it.
import { after, before, describe, it, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { GENERATED } from '../bridge/tools/generate.js';
import { COMMANDS } from '../bridge/commands/table.js';
import type { PlayerState } from '../bridge/state/state.js';
import { startRig } from './helpers/alsa-rig.js';
import { captureLog, startSpeaker, until, type Speaker } from './helpers/setup.js';
import { startBroker } from './helpers/broker.js';
import { Watcher } from './helpers/mqtt.js';
import { startDemo } from '../bridge/demo/demo.js';
import { topicsFor } from '../bridge/ha/topics.js';
import { shell, Subscriber } from './helpers/shell.js';
import { WAIT_MS } from './helpers/patience.js';

const repoFile = (path: string) => fileURLToPath(new URL(`../../${path}`, import.meta.url));
const CLI = fileURLToPath(new URL('../bridge/cli.js', import.meta.url));
const DOC = readFileSync(repoFile('docs/mqtt.md'), 'utf8');
const README = readFileSync(repoFile('README.md'), 'utf8');

const rig = await startRig();
if (rig) process.env.ALSA_CONFIG_PATH = rig.env.ALSA_CONFIG_PATH;
after(() => rig?.stop());

describe('generated files are current', () => {
  for (const [path, make] of Object.entries(GENERATED))
    it(path, () => assert.ok(readFileSync(repoFile(path), 'utf8') === make(), `${path} is stale: run npm run gen`));

  it('the config schema holds nothing of this machine', () => {
    const schema = GENERATED['config/librespot2mqtt.schema.json']();
    for (const local of [process.env.HOME, process.cwd(), process.env.USER].filter((v): v is string => !!v && v.length > 2))
      assert.ok(!schema.includes(local), `the schema contains ${local}`);
  });
});

interface Example {
  line: string;
  /** the `# → {...}` under it: the answer's fields, the state elided */
  expect?: Record<string, unknown>;
}

/** The shell lines of the ```sh blocks, each with the answer the doc shows under it. */
function examples(md: string): Example[] {
  const out: Example[] = [];
  for (const block of md.matchAll(/```sh\n([\s\S]*?)```/g))
    for (const line of block[1]!.split('\n').filter(Boolean)) {
      const shown = /^# → (.*)$/.exec(line);
      if (shown) out.at(-1)!.expect = JSON.parse(shown[1]!.replace('{…}', 'null'));
      else out.push({ line });
    }
  return out;
}

const ALL = [...examples(DOC), ...examples(README)];
const PUBS = ALL.filter((e) => e.line.startsWith('mosquitto_pub '));
const SUBS = ALL.filter((e) => e.line.startsWith('mosquitto_sub '));
const CTLS = ALL.filter((e) => e.line.startsWith('librespot2mqtt ctl'));

/** The doc's line, pointed at the private broker and the test's bridge. */
const local = (line: string, s: Speaker) =>
  line
    .replaceAll('-h localhost', `-h 127.0.0.1 -p ${s.broker.port}`)
    .replaceAll('livingroom', s.cfg.device.id)
    .replaceAll('librespot2mqtt ctl', `'${process.execPath}' '${CLI}' ctl`);

async function speaker(config: Record<string, unknown> = {}): Promise<{ s: Speaker; subs: Subscriber[] }> {
  return withSubscribers(await startSpeaker({ config }));
}

/** `librespot2mqtt demo` on a private mosquitto, seen as a Speaker. */
async function demo(): Promise<{ s: Speaker; subs: Subscriber[] }> {
  const broker = await startBroker();
  const logs = captureLog();
  const d = await startDemo({ mqttUrl: broker.url, log: logs.log, print: () => undefined });
  const topics = topicsFor(d.cfg);
  const watcher = await Watcher.connect(broker.url, [`${topics.base}/#`, topics.discovery]);
  await watcher.wait(topics.availability, (m) => m.text === 'online');
  const s: Speaker = {
    broker,
    emulator: d.emulator,
    bridge: d.bridge,
    watcher,
    topics,
    cfg: d.cfg,
    logs,
    state: () => JSON.parse(watcher.messages.filter((m) => m.topic === topics.state).at(-1)?.text ?? '{}'),
    async close() {
      await d.stop();
      await watcher.close();
      await broker.close();
    },
  };
  return withSubscribers(s);
}

async function withSubscribers(s: Speaker): Promise<{ s: Speaker; subs: Subscriber[] }> {
  await until(() => s.state().playback === 'playing' && s.state().mixer === true, WAIT_MS, 'playing, with a volume control');
  const subs = await Promise.all(SUBS.map((e) => Subscriber.start(local(e.line, s), s.broker.url)));
  return { s, subs };
}

async function runPub(t: TestContext, s: Speaker, subs: Subscriber[], example: Example): Promise<void> {
  const line = local(example.line, s);
  const topic = /response-topic '([^']+)'/.exec(line)?.[1] ?? s.topics.response;
  // the doc's subscriber to exactly that topic (the one to everything would also hear earlier answers late)
  const sub = subs.find((sub) => sub.filter === topic);
  assert.ok(sub, `the doc shows no mosquitto_sub for ${topic}`);
  const mark = sub.mark();
  // judge against the bridge's own state once the last command's effect has settled: the watcher's
  // copy can lag behind it (a skip's "playing" still on its way), and a toggle is judged from it
  await until(() => s.bridge.store.get().playback !== 'buffering' && s.state().playback === s.bridge.store.get().playback, WAIT_MS, 'the player to settle');
  const before = s.bridge.store.get() as PlayerState;
  const r = await shell(line);
  assert.equal(r.code, 0, r.stderr);
  const heard = await sub.next((l) => l.topic === topic, WAIT_MS, mark);
  const answer = JSON.parse(heard.payload) as Record<string, unknown>;
  const expect = example.expect ?? { ok: true };
  for (const [k, v] of Object.entries(expect)) {
    if (k === 'state') continue;
    if (typeof v === 'string' && v.endsWith('…')) assert.ok(String(answer[k]).startsWith(v.slice(0, -1)), `${k} of ${heard.payload}`);
    else assert.deepEqual(answer[k], v, `${k} of ${heard.payload}`);
  }
  if (answer.ok !== true || !answer.command) return;
  // the state shows the command, judged as ctl judges it
  const command = answer.command as Record<string, unknown>;
  for (const def of COMMANDS.filter((d) => d.key in command && d.confirm))
    await until(() => def.confirm!(command[def.key], s.state() as PlayerState, before), WAIT_MS, `the state to show ${def.key} ${JSON.stringify(command[def.key])}`);
  t.diagnostic(`${r.ms} ms: ${heard.payload.slice(0, 120)}`);
}

describe('docs/mqtt.md and README examples against the demo (go-librespot emulated, mixer.backend none)', () => {
  let s: Speaker;
  let subs: Subscriber[];
  before(async () => ({ s, subs } = await demo()));
  after(async () => {
    for (const sub of subs ?? []) sub.stop();
    await s?.close();
  });

  it('the doc has examples of every kind', () => {
    assert.ok(PUBS.length >= COMMANDS.length * 2 && SUBS.length >= 2 && CTLS.length >= 5, `${PUBS.length} pub, ${SUBS.length} sub, ${CTLS.length} ctl lines`);
    for (const c of COMMANDS) assert.ok(PUBS.some((e) => e.line.includes(`/set/${c.key}'`)), `no example for set/${c.key}`);
  });

  it('every mosquitto_pub line gets the answer shown and the state follows', async (t) => {
    for (const example of PUBS) await t.test(example.line, (t) => runPub(t, s, subs, example));
  });

  it('every ctl line exits 0', async (t) => {
    const env = {
      ...Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('LIBRESPOT2MQTT_'))),
      LIBRESPOT2MQTT_MQTT_URL: s.broker.url,
      LIBRESPOT2MQTT_DEVICE_ID: s.cfg.device.id,
    };
    for (const example of CTLS)
      await t.test(example.line, async (t) => {
        const r = await shell(local(example.line, s), env);
        assert.equal(r.code, 0, `${r.stdout}${r.stderr}`);
        if (example.line.includes('&& echo done')) assert.match(r.stdout, /done\n$/);
        t.diagnostic(`${r.ms} ms: ${r.stdout.split('\n')[0]}`);
      });
  });
});

describe('docs/mqtt.md volume and mute examples on the ALSA rig (HifiBerry AMP2 shape)', { skip: !rig && 'no ALSA rig: the volume and mute examples ran against go-librespot only' }, () => {
  let s: Speaker;
  let subs: Subscriber[];
  before(async () => {
    await rig!.reset();
    ({ s, subs } = await speaker({ mixer: { backend: 'alsa', device: 'amp2', check_s: 1 } }));
  });
  after(async () => {
    for (const sub of subs ?? []) sub.stop();
    await s?.close();
  });

  it('every mosquitto_pub line about volume or mute gets the answer shown and the state follows', async (t) => {
    for (const example of PUBS.filter((e) => /volume|mute/.test(e.line))) await t.test(example.line, (t) => runPub(t, s, subs, example));
  });
});
