// The add-on's start, walked as the Supervisor runs it: /data/options.json written, SUPERVISOR_TOKEN
// in the environment, the broker asked from a stand-in Supervisor (same path, token check and JSON),
// a private mosquitto that accepts only the Mosquitto add-on's user, and the real command line in a
// child process (the compiled sources, and the shipped bundle in addon.bundle.test.ts). Also: every way the Supervisor can fail is one clear log line and no crash, and
// option errors come out as sentences naming the option.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { VERSION } from '../bridge/version.js';
import { cliEntry } from './helpers/entry.js';
import { startBroker, freePort, type TestBroker } from './helpers/broker.js';
import { Watcher } from './helpers/mqtt.js';
import { cleanEnv, killAll, start, type Proc } from './helpers/process.js';
import { startSupervisor, type MqttRecord, type StandInSupervisor } from './helpers/supervisor.js';
import { until } from './helpers/setup.js';
import { LibrespotEmulator } from '../bridge/emulator/emulator.js';
import { resolveConfig } from '../bridge/config/load.js';
import { topicsFor } from '../bridge/ha/topics.js';
import { WAIT_MS } from './helpers/patience.js';

const CLI = cliEntry();
const TOKEN = 'supervisor-token-for-the-test';
const PASSWORD = 'addons-password-Zq7k2v'; // what the Mosquitto add-on generates for its "addons" user

let broker: TestBroker;
let emulator: LibrespotEmulator;
let record: MqttRecord;
const dirs: string[] = [];

before(async () => {
  broker = await startBroker({ users: { addons: PASSWORD } });
  emulator = await LibrespotEmulator.start();
  // the port as the docs show it (a string); the real Supervisor stores an int: both must work
  record = { host: '127.0.0.1', port: String(broker.port), ssl: false, protocol: '3.1.1', username: 'addons', password: PASSWORD, addon: 'core_mosquitto' };
});
after(async () => {
  killAll();
  await emulator.close();
  await broker.close();
  for (const d of dirs) await rm(d, { recursive: true, force: true });
});

/** A /data folder holding options.json as the Supervisor writes it. */
async function dataDir(options: unknown): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'l2m-addon-data-'));
  dirs.push(dir);
  await writeFile(join(dir, 'options.json'), typeof options === 'string' ? options : JSON.stringify(options));
  return dir;
}

const baseOptions = (id: string) => ({
  librespot_url: emulator.url,
  device_name: `Speaker ${id}`,
  device_id: id,
  mixer_backend: 'none',
  log_level: 'info',
});

/** the card the repository ships; the image has it beside the bundle */
const CARD = fileURLToPath(new URL('../../card/librespot2mqtt-card.js', import.meta.url));
/** Home Assistant's configuration folder as the add-on sees it (/homeassistant in the image) */
const haConfig = (dir: string) => join(dir, 'homeassistant');

function addon(dir: string, supervisorUrl: string, env: Record<string, string> = { SUPERVISOR_TOKEN: TOKEN }): Proc {
  return start(process.execPath, [CLI, 'addon', '--data', dir, '--supervisor-url', supervisorUrl, '--ha-config', haConfig(dir), '--card', CARD], cleanEnv(env));
}

const topics = (id: string) => topicsFor(resolveConfig({ device: { id } }));
const credentialsUrl = () => broker.url.replace('mqtt://', `mqtt://addons:${PASSWORD}@`);
const LEVELS: Record<number, string> = { 10: 'TRACE', 20: 'DEBUG', 30: 'INFO', 40: 'WARN', 50: 'ERROR', 60: 'FATAL' };
/** The add-on's log as its Log tab shows it: text lines as they are, JSON lines (log.format json) as "LEVEL message". */
const logLines = (p: Proc) =>
  p
    .err()
    .split('\n')
    .filter(Boolean)
    .map((l) => {
      try {
        const j = JSON.parse(l) as { level: number; msg: string };
        return `${LEVELS[j.level]} ${j.msg}`;
      } catch {
        return l;
      }
    });
/** Waits until the add-on's log has a line matching `re`. */
const logged = (p: Proc, re: RegExp, ms = WAIT_MS) => until(() => logLines(p).some((l) => re.test(l)), ms, `a log line matching ${re}; log so far:\n${p.err()}`);

describe('add-on start: /data/options.json → Supervisor → broker with password → entities', () => {
  let supervisor: StandInSupervisor;
  before(async () => (supervisor = await startSupervisor(TOKEN, { kind: 'provided', record })));
  after(() => supervisor.close());

  it('comes online with the Supervisor’s credentials, publishes discovery and state, keeps state in /data, stops cleanly', async (t) => {
    const t0 = Date.now();
    const tp = topics('kitchen');
    const w = await Watcher.connect(credentialsUrl(), [`${tp.base}/#`, tp.discovery]);
    try {
      const dir = await dataDir({ ...baseOptions('kitchen'), max_volume: 80 });
      const p = addon(dir, supervisor.url);
      await w.wait(tp.availability, (m) => m.text === 'online');
      t.diagnostic(`options.json → online in ${Date.now() - t0} ms`);

      const discovery = JSON.parse((await w.wait(tp.discovery)).text);
      assert.equal(discovery.device.name, 'Speaker kitchen');
      assert.ok(Object.keys(discovery.components).length > 3, 'the device has its entities');
      // the first state may go out before the volume controller has applied the cap
      await w.wait(tp.state, (m) => JSON.parse(m.text).max_volume === 80);

      // a cap set from Home Assistant survives restarts: it is kept in the add-on's /data
      await w.client.publishAsync(`${tp.set}/max_volume`, '70', { qos: 1 });
      await w.wait(tp.state, (m) => JSON.parse(m.text).max_volume === 70);
      const stateFile = join(dir, 'state.json');
      await until(() => existsSync(stateFile) && /"max_volume":\s*70\b/.test(readFileSync(stateFile, 'utf8')), WAIT_MS, 'the cap in /data/state.json');

      // the dashboard card where Home Assistant serves /local/, and the resource to add said in the log
      await logged(p, new RegExp(`INFO .*dashboard card installed: ${haConfig(dir)}/www/librespot2mqtt-card\\.js; add it as a dashboard resource .*: /local/librespot2mqtt-card\\.js\\?v=${VERSION.replace(/\./g, '\\.')}, JavaScript module`));
      assert.deepEqual(readFileSync(join(haConfig(dir), 'www', 'librespot2mqtt-card.js')), readFileSync(CARD));

      assert.deepEqual(supervisor.requests, [{ path: '/services/mqtt', authorised: true }]);
      assert.ok(logLines(p).some((l) => /INFO .*MQTT broker from the Supervisor: mqtt:\/\/127\.0\.0\.1:\d+ as "addons"/.test(l)), p.err());

      const mark = w.messages.length;
      p.child.kill('SIGTERM');
      assert.deepEqual(await p.exited, { code: 0, signal: null });
      await w.wait(tp.availability, (m) => m.text === 'offline', WAIT_MS, mark);
      assert.ok(!p.out().includes(PASSWORD) && !p.err().includes(PASSWORD), 'the broker password is never printed');
      for (const l of logLines(p)) assert.match(l, /\b(TRACE|DEBUG|INFO|WARN|ERROR|FATAL)\b/, 'one event per line, with its level');
      // text by default, as the bridge's own: a time, a word level, the part, what happened
      for (const l of p.err().split('\n').filter(Boolean)) assert.match(l, /^\d\d:\d\d:\d\d (TRACE|DEBUG|INFO|WARN|ERROR|FATAL) /, 'a text line');
    } finally {
      await w.close();
    }
  });

  it('options naming their own broker: the Supervisor is not asked', async () => {
    const before = supervisor.requests.length;
    const tp = topics('own_broker');
    const w = await Watcher.connect(credentialsUrl(), [tp.availability]);
    try {
      const dir = await dataDir({ ...baseOptions('own_broker'), mqtt_url: broker.url, mqtt_username: 'addons', mqtt_password: PASSWORD, log_format: 'json' });
      const p = addon(dir, supervisor.url);
      await w.wait(tp.availability, (m) => m.text === 'online');
      assert.match(p.err(), /MQTT broker from the options: mqtt:\/\/127\.0\.0\.1:\d+/);
      p.child.kill('SIGTERM');
      assert.equal((await p.exited).code, 0);
      assert.equal(supervisor.requests.length, before);
      // log_format json: one object per line, for a log shipper
      for (const l of p.err().split('\n').filter(Boolean)) assert.equal(typeof (JSON.parse(l) as { msg: unknown }).msg, 'string', l);
    } finally {
      await w.close();
    }
  });
});

describe('the Mosquitto add-on gets new credentials for its add-on user', () => {
  it('refused with the old password, the add-on asks the Supervisor again and comes back online by itself', async () => {
    const [OLD, NEW] = ['addons-old-Pw4x', 'addons-new-Pw9y'];
    const own = await startBroker({ users: { addons: OLD } });
    const supervisor = await startSupervisor(TOKEN, { kind: 'provided', record: { ...record, port: own.port, password: OLD } });
    const tp = topics('rotated');
    const p = addon(await dataDir(baseOptions('rotated')), supervisor.url);
    try {
      let w = await Watcher.connect(own.url.replace('mqtt://', `mqtt://addons:${OLD}@`), [tp.availability]);
      await w.wait(tp.availability, (m) => m.text === 'online').finally(() => w.close());
      // the Mosquitto add-on reinstalled: a new password for "addons", and the Supervisor hands it out
      own.setUsers({ addons: NEW });
      supervisor.set({ kind: 'provided', record: { ...record, port: own.port, password: NEW } });
      await own.stop();
      await own.start();
      w = await Watcher.connect(own.url.replace('mqtt://', `mqtt://addons:${NEW}@`), [tp.availability]);
      await w.wait(tp.availability, (m) => m.text === 'online').finally(() => w.close());
      await logged(p, /INFO .*new MQTT credentials for user "addons": the next attempt uses them/);
      assert.ok(supervisor.requests.length >= 2, 'asked again');
      assert.ok(!p.err().includes(OLD) && !p.err().includes(NEW), 'no password printed');
      p.child.kill('SIGTERM');
      assert.equal((await p.exited).code, 0);
    } finally {
      p.child.kill('SIGKILL');
      await supervisor.close();
      await own.close();
    }
  });
});

describe('the Supervisor has no broker, refuses, or is not there: one clear line, no crash', () => {
  it('no Mosquitto add-on (400 "Service not enabled"): says to install it, keeps asking, comes online once it is there', async () => {
    const supervisor = await startSupervisor(TOKEN, { kind: 'not-enabled' });
    const tp = topics('later');
    const w = await Watcher.connect(credentialsUrl(), [tp.availability]);
    try {
      const p = addon(await dataDir(baseOptions('later')), supervisor.url);
      await logged(p, /no MQTT broker to offer \("Service not enabled"\): install and start the "Mosquitto broker" add-on/);
      await until(() => supervisor.requests.length >= 2, WAIT_MS, 'a second question to the Supervisor');
      assert.equal(p.child.exitCode, null, 'still running');
      assert.equal(logLines(p).filter((l) => /ERROR .*no MQTT broker to offer/.test(l)).length, 1, 'said once, not once per attempt');

      supervisor.set({ kind: 'provided', record: { ...record, port: broker.port } });
      await w.wait(tp.availability, (m) => m.text === 'online');
      p.child.kill('SIGTERM');
      assert.equal((await p.exited).code, 0);
    } finally {
      await w.close();
      await supervisor.close();
    }
  });

  const cases: { name: string; env?: Record<string, string>; state?: 'forbidden'; url?: () => Promise<string>; line: RegExp }[] = [
    { name: 'the add-on may not use the service (403)', state: 'forbidden', line: /refused to tell the MQTT broker \(HTTP 403 \("No access to mqtt service!"\)\): the add-on needs "services: \[mqtt:need\]"/ },
    { name: 'a wrong token (401)', env: { SUPERVISOR_TOKEN: 'stale' }, line: /refused to tell the MQTT broker \(HTTP 401\)/ },
    { name: 'no SUPERVISOR_TOKEN (not under the Supervisor)', env: {}, line: /SUPERVISOR_TOKEN is not set, so this is not running as a Home Assistant add-on.*set mqtt_url/ },
    { name: 'no Supervisor listening', url: async () => `http://127.0.0.1:${await freePort()}`, line: /cannot reach the Supervisor at http:\/\/127\.0\.0\.1:\d+ \(ECONNREFUSED\)/ },
  ];
  for (const c of cases)
    it(c.name, async () => {
      const supervisor = await startSupervisor(TOKEN, c.state ? { kind: c.state } : { kind: 'not-enabled' });
      try {
        const p = addon(await dataDir(baseOptions('refused')), c.url ? await c.url() : supervisor.url, c.env);
        await logged(p, c.line);
        const line = logLines(p).find((l) => c.line.test(l))!;
        assert.match(line, /\bERROR\b/, 'logged as an error');
        await new Promise((r) => setTimeout(r, 300));
        assert.equal(p.child.exitCode, null, 'still running');
        p.child.kill('SIGTERM');
        assert.equal((await p.exited).code, 0, 'stops cleanly while waiting');
      } finally {
        await supervisor.close();
      }
    });
});

describe('option errors in plain words', () => {
  it('every wrong option is named by its label and key; exit 2 before anything starts', async () => {
    const dir = await dataDir({ ...baseOptions('x'), librespot_url: 'ftp://speaker', device_id: 'Bad Id', max_volume: 150, log_level: 'loud' });
    const p = addon(dir, 'http://127.0.0.1:9');
    const { code } = await p.exited;
    assert.equal(code, 2);
    const problems = p.err().split('\n').filter((l) => l.startsWith('  ')).map((l) => l.trim());
    assert.deepEqual(problems.map((l) => l.split(':')[0]).sort(), [
      'Log level (log_level)',
      'Maximum volume (max_volume)',
      'Speaker id (device_id)',
      'go-librespot URL (librespot_url)',
    ]);
    assert.match(p.err(), /^the add-on options are not valid \(fix them in the add-on's Configuration tab, then start it again\):/);
    assert.match(p.err(), /go-librespot URL \(librespot_url\): must be http:\/\/host:port or https:\/\/host:port/);
  });

  it('no options.json, or not JSON: says which file and why', async () => {
    const missing = await mkdtemp(join(tmpdir(), 'l2m-addon-data-'));
    dirs.push(missing);
    let p = addon(missing, 'http://127.0.0.1:9');
    assert.equal((await p.exited).code, 2);
    assert.match(p.err(), /options\.json does not exist: the Supervisor writes it before the add-on starts/);
    p = addon(await dataDir('{"librespot_url": '), 'http://127.0.0.1:9');
    assert.equal((await p.exited).code, 2);
    assert.match(p.err(), /options\.json cannot be read: .*JSON/);
  });

  it('an option this version does not know is a warning, not a stop', async () => {
    const supervisor = await startSupervisor(TOKEN, { kind: 'not-enabled' });
    try {
      const p = addon(await dataDir({ ...baseOptions('unknown'), volume_step: 5 }), supervisor.url);
      await logged(p, /WARN .*option "volume_step" is not known to this version and is ignored/);
      p.child.kill('SIGTERM');
      assert.equal((await p.exited).code, 0);
    } finally {
      await supervisor.close();
    }
  });
});
