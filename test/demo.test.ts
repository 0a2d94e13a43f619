// `librespot2mqtt demo` as a place to learn, on a real mosquitto: its banner's lines (mosquitto_pub
// and ctl, with credentials) run as printed, it says what happens and who did it, the simulated phone
// comes back after a stop, and it leaves nothing retained behind (on exit, or with demo --clean).
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { silentLogger } from '../bridge/log.js';
import { startDemo, type Demo } from '../bridge/demo/demo.js';
import { cliEntry } from './helpers/entry.js';
import { startBroker, type TestBroker } from './helpers/broker.js';
import { retained, Watcher } from './helpers/mqtt.js';
import { until } from './helpers/setup.js';
import { shell } from './helpers/shell.js';
import { WAIT_MS } from './helpers/patience.js';

const CLI = cliEntry();
const PASSWORD = 'demo-s3cret';
const cleanEnv = (extra: Record<string, string> = {}) => ({
  ...Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('LIBRESPOT2MQTT_'))),
  ...extra,
});

let broker: TestBroker;
before(async () => (broker = await startBroker()));
after(() => broker?.close());

/** Everything retained about the demo device on the broker. */
const leftovers = async (id = 'demo') =>
  (await retained(broker.url, [`librespot2mqtt/${id}/#`, `homeassistant/device/librespot2mqtt_${id}/config`])).filter((m) => m.retain && m.text !== '');

function demoProcess(args: string[]) {
  const child: ChildProcess = spawn(process.execPath, [CLI, 'demo', ...args], { env: cleanEnv(), stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stdout!.on('data', (d) => (out += d));
  child.stderr!.on('data', (d) => (err += d));
  const exited = new Promise<number | null>((resolve) => child.once('close', (code) => resolve(code)));
  return { child, out: () => out, err: () => err, exited };
}

describe('demo as a child process, with credentials in --mqtt-url', () => {
  const url = () => `mqtt://speaker:${PASSWORD}@127.0.0.1:${broker.port}`;

  it('the banner keeps -u/-P, shows ctl, never the password; every printed line works; one line per happening; Ctrl-C removes its topics', async () => {
    const d = demoProcess(['--mqtt-url', url()]);
    try {
      await until(() => d.out().includes('Stop with Ctrl-C.') || d.child.exitCode !== null, WAIT_MS, 'the banner').catch((e: Error) => {
        throw new Error(`${e.message}\n${d.out()}\n${d.err()}`);
      });
      const lines = d.out().split('\n').map((l) => l.trim());
      const pubs = lines.filter((l) => l.startsWith('mosquitto_pub '));
      const ctls = lines.filter((l) => l.startsWith('librespot2mqtt ctl '));
      const exported = lines.find((l) => l.startsWith('export LIBRESPOT2MQTT_'));
      assert.ok(pubs.length >= 5 && ctls.length >= 5 && exported, d.out());
      for (const l of pubs) assert.match(l, new RegExp(`-h 127\\.0\\.0\\.1 -p ${broker.port} -u 'speaker' -P "\\$MQTT_PASSWORD" -t `));
      assert.match(exported, /LIBRESPOT2MQTT_MQTT_USERNAME='speaker' LIBRESPOT2MQTT_MQTT_PASSWORD="\$MQTT_PASSWORD"/);
      assert.match(d.out(), new RegExp(`MQTT broker at mqtt://speaker:\\*\\*\\*@127\\.0\\.0\\.1:${broker.port}`));
      // each printed line, pasted into a shell as a user would (with the password in $MQTT_PASSWORD)
      const env = cleanEnv({ MQTT_PASSWORD: PASSWORD });
      for (const line of [...pubs, ...ctls]) {
        const r = await shell(`${exported}; ${line.replace(/^librespot2mqtt ctl/, `'${process.execPath}' '${CLI}' ctl`)}`, env);
        assert.equal(r.code, 0, `${line}\n${r.stdout}${r.stderr}`);
      }
      await until(() => /\d {2}playback {2}paused \(an MQTT command\)\n/.test(d.out()), WAIT_MS, 'the demo saying who paused it');
      await until(() => /\d {2}volume {4}30 % \(an MQTT command\)\n/.test(d.out()), WAIT_MS, 'the demo saying who set the volume');
      await until(() => /\d {2}track {5}.+ — .+ \[.+\] \(an MQTT command\)\n/.test(d.out()), WAIT_MS, 'the demo saying the track');
      assert.ok((await leftovers()).length >= 5, 'the demo published retained topics');
    } finally {
      d.child.kill('SIGTERM');
    }
    assert.equal(await d.exited, 0, d.err());
    assert.deepEqual(await leftovers(), [], 'nothing retained left on the broker');
    assert.ok(!d.out().includes(PASSWORD) && !d.err().includes(PASSWORD), 'the password was printed');
  });

  it('demo --clean removes what a killed demo left', async () => {
    const d = demoProcess(['--mqtt-url', broker.url, '--device-id', 'killed']);
    const seen = await Watcher.connect(broker.url, ['librespot2mqtt/killed/state']);
    await seen.wait('librespot2mqtt/killed/state', () => true).finally(() => seen.close());
    d.child.kill('SIGKILL');
    await d.exited;
    assert.ok((await leftovers('killed')).length >= 5, 'a killed demo leaves its topics');
    const clean = await shell(`'${process.execPath}' '${CLI}' demo --clean --mqtt-url ${broker.url} --device-id killed`, cleanEnv());
    assert.equal(clean.code, 0, clean.stderr);
    assert.match(clean.stdout, /^removed \d+ retained topics of demo killed from mqtt:\/\/127\.0\.0\.1:\d+\n$/);
    assert.deepEqual(await leftovers('killed'), []);
  });
});

describe('demo in this process', () => {
  let demo: Demo;
  const printed: string[] = [];
  let w: Watcher;
  before(async () => {
    demo = await startDemo({ mqttUrl: broker.url, deviceId: 'learn', phoneAwayMs: 300, log: silentLogger, print: (l) => printed.push(l) });
    w = await Watcher.connect(broker.url, ['librespot2mqtt/learn/#']);
    await w.waitJson<any>('librespot2mqtt/learn/state', (s) => s.playback === 'playing');
  });
  after(async () => {
    await w?.close();
    await demo?.stop();
  });

  const send = async (payload: string) => {
    const mark = w.mark();
    await w.publish('librespot2mqtt/learn/set', payload);
    return w.waitJson<any>('librespot2mqtt/learn/response', () => true, WAIT_MS, mark);
  };

  it('says who moved the volume: the Spotify app', async () => {
    demo.emulator.appVolume(41);
    await until(() => printed.some((l) => /volume {4}41 % \(the Spotify app\)$/.test(l)), WAIT_MS, `the volume line in ${printed.join('\n')}`);
  });

  it('after stop the simulated phone comes back, and play and volume work again', async () => {
    const mark = w.mark();
    assert.equal((await send('{"action":"stop"}')).ok, true);
    await w.waitJson<any>('librespot2mqtt/learn/state', (s) => s.session === false, WAIT_MS, mark);
    let gone = mark;
    w.messages.forEach((m, i) => m.topic === 'librespot2mqtt/learn/state' && JSON.parse(m.text).session === false && (gone = i));
    await w.waitJson<any>('librespot2mqtt/learn/state', (s) => s.session === true, WAIT_MS, gone);
    assert.ok(printed.some((l) => l.startsWith('the Spotify session ended: the simulated phone connects again in 0.3 s')), printed.join('\n'));
    const play = await send('{"action":"play"}');
    assert.equal(play.ok, true, play.error);
    const vol = await send('{"volume":25}');
    assert.equal(vol.ok, true, vol.error);
    await w.waitJson<any>('librespot2mqtt/learn/state', (s) => s.playback === 'playing' && s.volume === 25);
  });
});
