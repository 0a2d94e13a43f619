// The log as people read it: the real command line against a real mosquitto and the go-librespot
// emulator, in text and JSON format; the level changed at run time over MQTT; Node's own warnings
// and a crash go through the log too.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startBroker, type TestBroker } from './helpers/broker.js';
import { until } from './helpers/setup.js';
import { shell, Subscriber } from './helpers/shell.js';
import { LibrespotEmulator } from '../bridge/emulator/emulator.js';
import { PARTS } from '../bridge/log.js';
import { WAIT_MS } from './helpers/patience.js';

const CLI = fileURLToPath(new URL('../bridge/cli.js', import.meta.url));
const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('LIBRESPOT2MQTT_') && k !== 'NO_COLOR'));
/** `12:03:04 INFO  librespot  session started`: local time, a word level, the part, the message */
const TEXT_LINE = new RegExp(`^\\d\\d:\\d\\d:\\d\\d (FATAL|ERROR|WARN |INFO |DEBUG|TRACE) (${PARTS.join('|')}) +\\S`);

let broker: TestBroker;
let emu: LibrespotEmulator;
const children = new Set<ChildProcess>();
before(async () => {
  broker = await startBroker();
  emu = await LibrespotEmulator.start();
});
after(async () => {
  for (const c of children) c.kill('SIGKILL');
  await emu?.close();
  await broker?.close();
});

interface Bridge {
  child: ChildProcess;
  lines(): string[];
  exited: Promise<number | null>;
}

/** The bridge as a user starts it; `preload` runs inside its process (node --import). */
function bridge(id: string, args: string[] = [], preload?: string, extraEnv: Record<string, string> = {}): Bridge {
  const node = preload ? [`--import=data:text/javascript,${encodeURIComponent(preload)}`] : [];
  const child = spawn(process.execPath, [...node, CLI, 'run', '--mqtt-url', broker.url, '--librespot-url', emu.url, '--device-id', id, ...args], {
    env: { ...env, LIBRESPOT2MQTT_MIXER_BACKEND: 'none', LIBRESPOT2MQTT_STATE_FILE: join(tmpdir(), `l2m-log-test-${process.pid}-${id}.json`), ...extraEnv },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.add(child);
  let err = '';
  child.stderr!.on('data', (d) => (err += d));
  child.stdout!.on('data', (d) => (err += d));
  const exited = new Promise<number | null>((resolve) => child.once('close', (code) => (children.delete(child), resolve(code))));
  return { child, lines: () => err.split('\n').filter(Boolean), exited };
}

const waitLine = (b: Bridge, re: RegExp, what: string, ms = WAIT_MS) =>
  until(() => b.lines().some((l) => re.test(l)), ms, what).catch((e: Error) => {
    throw new Error(`${e.message}\n${b.lines().join('\n')}`);
  });

describe('log.format text (the default)', () => {
  it('one line per event: local time, word level, part; the day at info from start to shutdown', async () => {
    const b = bridge('log-text');
    await waitLine(b, /INFO  librespot +connected to go-librespot/, 'connected to go-librespot');
    await waitLine(b, /INFO  mqtt +connected to the MQTT broker/, 'connected to the MQTT broker');
    b.child.kill('SIGTERM');
    assert.equal(await b.exited, 0);
    const lines = b.lines();
    assert.deepEqual(lines.filter((l) => !TEXT_LINE.test(l)), [], 'every line has the text shape');
    assert.ok(lines.every((l) => !/"level":|"time":/.test(l)), 'no JSON keys of pino');
    const hhmmss = new Date().toTimeString().slice(0, 2);
    assert.ok(lines.some((l) => l.startsWith(hhmmss)), `local time (hour ${hhmmss}): ${lines[0]}`);
    // what was under way when the signal came may still be logged between the two
    assert.ok(lines.some((l) => /INFO  main +stopping$/.test(l)), lines.join('\n'));
    assert.match(lines.at(-1)!, /INFO  main +stopped$/);
    assert.ok(!lines.some((l) => / DEBUG | TRACE /.test(l)), 'info hides debug and trace');
  });

  it('log.format json (here from the environment): pino JSON lines for log shippers', async () => {
    const b = bridge('log-json', [], undefined, { LIBRESPOT2MQTT_LOG_FORMAT: 'json' });
    await waitLine(b, /connected to the MQTT broker/, 'connected');
    b.child.kill('SIGTERM');
    assert.equal(await b.exited, 0);
    const lines = b.lines().map((l) => JSON.parse(l) as { level: number; time: number; part?: string; msg: string });
    assert.ok(lines.length >= 3);
    assert.ok(lines.every((l) => typeof l.level === 'number' && typeof l.time === 'number' && typeof l.msg === 'string'));
    assert.ok(lines.some((l) => l.part === 'mqtt' && l.msg.startsWith('connected to the MQTT broker')));
  });

  it("Node's warnings and an uncaught error are log lines too (and the crash exits 1)", async () => {
    // inside the bridge's process: SIGUSR2 makes Node warn, then crash
    const b = bridge('log-crash', [], `let n = 0; process.on('SIGUSR2', () => n++ ? setImmediate(() => { throw new Error('a test crash') }) : process.emitWarning('a test warning', { code: 'L2M_TEST' }));`);
    await waitLine(b, /connected to the MQTT broker/, 'connected');
    b.child.kill('SIGUSR2');
    await waitLine(b, /a test warning/, 'the warning');
    b.child.kill('SIGUSR2');
    assert.equal(await b.exited, 1);
    const lines = b.lines();
    assert.deepEqual(lines.filter((l) => !TEXT_LINE.test(l)), [], 'no plain text between the lines');
    assert.ok(lines.some((l) => /^\S+ WARN  main +node: Warning L2M_TEST: a test warning$/.test(l)), lines.join('\n'));
    const fatal = lines.find((l) => / FATAL main +crashed: a test crash \{"stack":"Error: a test crash\\n/.test(l));
    assert.ok(fatal, lines.join('\n'));
  });
});

describe('log level at run time over MQTT: <base>/<id>/set/log_level', () => {
  let b: Bridge;
  let answers: Subscriber;
  const id = 'log-level';
  const pub = (topic: string, payload: string) => shell(`mosquitto_pub -h 127.0.0.1 -p ${broker.port} -t '${topic}' -m '${payload}'`);
  before(async () => {
    b = bridge(id);
    await waitLine(b, /connected to the MQTT broker/, 'connected');
    answers = await Subscriber.start(`mosquitto_sub -h 127.0.0.1 -p ${broker.port} -v -t 'librespot2mqtt/${id}/response'`, broker.url);
  });
  after(async () => {
    answers?.child.kill();
    b?.child.kill('SIGTERM');
    await b?.exited;
  });

  async function command(topic: string, payload: string): Promise<Record<string, unknown>> {
    const mark = answers.mark();
    assert.equal((await pub(topic, payload)).code, 0);
    return JSON.parse((await answers.next(() => true, WAIT_MS, mark)).payload) as Record<string, unknown>;
  }

  it('plain topic: debug, answered like any command, and debug lines appear', async () => {
    const before = b.lines().length;
    const answer = await command(`librespot2mqtt/${id}/set/log_level`, 'debug');
    assert.equal(answer.ok, true, JSON.stringify(answer));
    assert.deepEqual(answer.command, { log_level: 'debug' });
    await waitLine(b, /INFO  command +log level debug \(was info\) until the bridge restarts/, 'the change in the log');
    // a command that makes go-librespot send events: the events show at debug (not at info)
    await command(`librespot2mqtt/${id}/set/action`, 'pause');
    await waitLine(b, /DEBUG librespot +go-librespot event paused$/, 'a debug line from another part');
    assert.ok(!b.lines().slice(before).some((l) => / TRACE /.test(l)), 'debug does not show trace');
  });

  it('JSON {"log_level":"trace"}: trace adds the raw go-librespot events and MQTT payloads', async () => {
    const answer = await command(`librespot2mqtt/${id}/set`, '{"log_level":"trace","transaction":7}');
    assert.deepEqual([answer.ok, answer.command, answer.transaction], [true, { log_level: 'trace' }, 7]);
    await command(`librespot2mqtt/${id}/set/action`, 'play');
    await waitLine(b, /TRACE librespot +go-librespot event: \{"type":"playing","data":\{/, 'a raw go-librespot event');
    await waitLine(b, new RegExp(`TRACE mqtt +MQTT in  librespot2mqtt/${id}/set/action: play$`), 'an MQTT payload received');
    await waitLine(b, new RegExp(`TRACE mqtt +MQTT out librespot2mqtt/${id}/state \\(retained\\): \\{`), 'an MQTT payload sent');
  });

  it('a wrong level is refused with what is accepted; warn hides info', async () => {
    const bad = await command(`librespot2mqtt/${id}/set/log_level`, 'loud');
    assert.deepEqual(bad, { ok: false, error: 'log_level: must be one of fatal, error, warn, info, debug, trace, silent' });
    assert.equal((await command(`librespot2mqtt/${id}/set/log_level`, 'WARN')).ok, true);
    const mark = b.lines().length;
    await command(`librespot2mqtt/${id}/set/action`, 'pause');
    await command(`librespot2mqtt/${id}/set/log_level`, 'info');
    await waitLine(b, /log level info \(was warn\)/, 'back at info');
    const between = b.lines().slice(mark, -1);
    assert.deepEqual(between.filter((l) => / (INFO |DEBUG|TRACE) /.test(l) && !/log_level/.test(l)), [], 'nothing below warn while at warn');
  });
});
