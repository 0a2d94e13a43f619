// The real command line as a child process: check-config, overrides, run (last will, clean stop),
// and demo (with a given broker, and with its embedded one on 1883 or the next free port).
import { after, before, describe, it, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer, type AddressInfo, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import mqtt from 'mqtt';
import { startBroker, type TestBroker } from './helpers/broker.js';
import { until } from './helpers/setup.js';
import { retained, Watcher } from './helpers/mqtt.js';
import { LibrespotEmulator } from '../bridge/emulator/emulator.js';
import { startEmbeddedBroker } from '../bridge/demo/broker.js';
import { CLI, cleanEnv, cli, killAll, start, terminate, type Proc } from './helpers/process.js';
import { WAIT_MS } from './helpers/patience.js';

/** Splits a printed shell line ('single quotes' only, as the demo prints them). */
const words = (line: string) => [...line.matchAll(/'([^']*)'|(\S+)/g)].map((m) => m[1] ?? m[2]!);

let dir: string;
const file = async (name: string, text: string) => {
  const path = join(dir, name);
  await writeFile(path, text);
  return path;
};
before(async () => (dir = await mkdtemp(join(tmpdir(), 'l2m-cli-'))));
after(async () => {
  killAll();
  await rm(dir, { recursive: true, force: true });
});

describe('check-config', () => {
  it('a valid file: exit 0, and it says what it checked', async () => {
    const ca = await file('ca.pem', '-----BEGIN CERTIFICATE-----\n');
    const state = join(dir, 'state', 'kitchen.json');
    const path = await file('ok.yaml', `mqtt: {url: 'mqtts://speaker:hunter2@127.0.0.1:8883', tls: {ca: ${ca}}}\ndevice: {id: kitchen, name: Kitchen}\nstate_file: ${state}\n`);
    const r = await cli(['check-config', '--config', path]);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(
      r.stdout,
      [
        `configuration OK (${path}); checked:`,
        `  mqtt.tls.ca ${ca}: readable`,
        `  state_file ${state}: its folder is writable`,
        '  device.id kitchen, MQTT broker mqtts://speaker:***@127.0.0.1:8883, go-librespot http://127.0.0.1:3678 (not contacted)',
        '',
      ].join('\n'),
    );
  });

  it('a wrong file: exit 2 and every problem listed with its line', async () => {
    const path = await file('bad.yaml', 'mqtt: {url: http://x, bogus: 1}\ndevice: {id: "Bad Id"}\nlibrespot: {timeout_ms: 5}\nextra: true\n');
    const r = await cli(['check-config', '--config', path]);
    assert.equal(r.code, 2);
    assert.equal(
      r.stderr,
      [
        'the configuration has 5 problems:',
        `  ${path} line 1: mqtt.url: must start with mqtt://, mqtts://, ws:// or wss://, got "http://x"`,
        `  ${path} line 1: mqtt.bogus: unknown key; the keys of mqtt are url, username, password, password_file, client_id, protocol_version, keepalive, base_topic, discovery_prefix, discovery and tls`,
        `  ${path} line 2: device.id: must be 1-64 of a-z, 0-9, _ and -, starting with a letter or digit, got "Bad Id"`,
        `  ${path} line 3: librespot.timeout_ms: must be a whole number from 100 to 60000, got 5`,
        `  ${path} line 4: extra: unknown key; the keys at the top are mqtt, device, librespot, mixer, volume, state_file, homeassistant and log`,
        '',
      ].join('\n'),
    );
  });

  it('a mistyped flag: the nearest one, and the usage', async () => {
    const r = await cli(['check-config', '--mqtt-ur', 'mqtt://x:1883']);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /^Unknown option '--mqtt-ur'; did you mean --mqtt-url\?\n\nlibrespot2mqtt /);
  });

  it('run stops at a missing TLS file with the same message as check-config, before connecting', async () => {
    const path = await file('tls.yaml', `mqtt: {url: 'mqtts://127.0.0.1:1', tls: {cert: ${join(dir, 'gone.pem')}}}\n`);
    const check = await cli(['check-config', '--config', path]);
    const run = await cli(['run', '--config', path]);
    assert.deepEqual([check.code, run.code], [2, 2]);
    assert.equal(run.stderr, `the configuration has a problem:\n  ${path} line 1: mqtt.tls.cert: cannot read ${join(dir, 'gone.pem')}: there is no such file\n`);
    assert.equal(check.stderr, run.stderr);
  });

  it('environment overrides the file, a flag overrides the environment', async () => {
    const good = await file('good.yaml', 'mqtt: {url: mqtt://from-file:1883}\n');
    const bad = await file('badurl.yaml', 'mqtt: {url: http://from-file}\n');
    const envBad = cleanEnv({ LIBRESPOT2MQTT_MQTT_URL: 'http://from-env' });
    const envGood = cleanEnv({ LIBRESPOT2MQTT_MQTT_URL: 'mqtt://from-env:1883' });
    const r1 = await cli(['check-config', '--config', good], envBad);
    assert.equal(r1.code, 2, 'a bad env value beats a good file value');
    assert.match(r1.stderr, /mqtt\.url: must start with/);
    assert.equal((await cli(['check-config', '--config', bad], envGood)).code, 0, 'a good env value beats a bad file value');
    const r3 = await cli(['check-config', '--config', good, '--mqtt-url', 'mqtt://from-flag:1883'], envBad);
    assert.equal(r3.code, 0, `a good flag beats a bad env value: ${r3.stderr}`);
    assert.equal((await cli(['check-config', '--config', good, '--mqtt-url', 'ftp://flag'], envGood)).code, 2, 'a bad flag beats a good env value');
  });

  it('a file that is not YAML, not a mapping, or missing: a clear message', async () => {
    const broken = await file('broken.yaml', 'mqtt: {url: [unclosed\n  : :\n');
    const notYaml = await cli(['check-config', '--config', broken]);
    assert.equal(notYaml.code, 2);
    assert.equal(notYaml.stderr, `the configuration has a problem:\n  ${broken} line 1, column 13: this [ is never closed (with ])\n      1 | mqtt: {url: [unclosed\n        |             ^\n`);
    const scalar = await cli(['check-config', '--config', await file('scalar.yaml', 'just some words\n')]);
    assert.match(scalar.stderr, /line 1: the file must hold a mapping \(key: value lines like "mqtt:"\), not a single value/);
    const missing = await cli(['check-config', '--config', join(dir, 'nope.yaml')]);
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /nope\.yaml: cannot read the configuration file: there is no such file/);
  });
});

describe('run', () => {
  let broker: TestBroker;
  let emu: LibrespotEmulator;
  before(async () => {
    broker = await startBroker();
    emu = await LibrespotEmulator.start();
  });
  after(async () => {
    await emu?.close();
    if (broker) await broker.close();
  });

  async function runBridge(id: string) {
    const w = await Watcher.connect(broker.url, [`librespot2mqtt/${id}/#`]);
    const p = start(process.execPath, [CLI, 'run', '--mqtt-url', broker.url, '--librespot-url', emu.url, '--device-id', id]);
    await w.waitJson<any>(`librespot2mqtt/${id}/state`, (v) => v.playback === 'playing').catch((e: Error) => {
      throw new Error(`${e.message}\nstderr: ${p.err()}`);
    });
    return { w, p, availability: `librespot2mqtt/${id}/availability` };
  }

  /** what the broker keeps for availability: exactly one retained "offline" */
  async function assertRetainedOffline(url: string, availability: string) {
    const seen = (await retained(url, [availability])).filter((m) => m.topic === availability);
    assert.deepEqual(seen.map((m) => [m.text, m.retain]), [['offline', true]]);
  }

  it('SIGKILL: the broker delivers the retained last will "offline"', async () => {
    const { w, p, availability } = await runBridge('cli-kill');
    try {
      const mark = w.mark();
      p.child.kill('SIGKILL');
      assert.equal((await p.exited).signal, 'SIGKILL');
      await w.wait(availability, (m) => m.text === 'offline', WAIT_MS, mark);
      await assertRetainedOffline(broker.url, availability);
    } finally {
      await w.close();
    }
  });

  /** a running bridge, `load` done to it, then SIGTERM: exit 0 and a retained "offline" */
  async function stopsCleanly(t: TestContext, id: string, load: (p: Proc) => Promise<void> = async () => {}) {
    const { w, p, availability } = await runBridge(id);
    try {
      await load(p);
      const mark = w.mark();
      const { exit, ms } = await terminate(p);
      assert.deepEqual(exit, { code: 0, signal: null }, p.err().slice(-2000));
      t.diagnostic(`SIGTERM → exit 0 in ${ms} ms`);
      await w.wait(availability, (m) => m.text === 'offline', WAIT_MS, mark);
      await assertRetainedOffline(broker.url, availability);
    } finally {
      await w.close();
    }
  }

  it('SIGTERM: publishes "offline" (retained) and exits 0', (t) => stopsCleanly(t, 'cli-term'));

  it('SIGTERM in the middle of a flood of commands: "offline" (retained) and exit 0', (t) =>
    stopsCleanly(t, 'cli-flood', async (p) => {
      const flood = await mqtt.connectAsync(broker.url);
      for (let i = 0; i < 5000; i++) flood.publish('librespot2mqtt/cli-flood/set', `garbage ${i}`, { qos: 0 });
      await until(() => p.err().includes('garbage'), WAIT_MS, 'the bridge refusing the flood');
      await flood.endAsync();
    }));

  it('SIGTERM while the broker is stalled: exit 0 without its answer; the broker says "offline" when it wakes', async (t) => {
    const stalled = await startBroker();
    const id = 'cli-stalled';
    const availability = `librespot2mqtt/${id}/availability`;
    const p = start(process.execPath, [CLI, 'run', '--mqtt-url', stalled.url, '--librespot-url', emu.url, '--device-id', id]);
    try {
      const w = await Watcher.connect(stalled.url, [availability]);
      await w.wait(availability, (m) => m.text === 'online').finally(() => w.close());
      assert.ok(stalled.pid, 'a mosquitto process to stall');
      process.kill(stalled.pid, 'SIGSTOP');
      const { exit, ms } = await terminate(p).finally(() => process.kill(stalled.pid!, 'SIGCONT'));
      assert.deepEqual(exit, { code: 0, signal: null }, p.err());
      t.diagnostic(`SIGTERM → exit 0 in ${ms} ms with the broker stalled`);
      // awake, the broker finds the connection gone and publishes the last will
      const after = await Watcher.connect(stalled.url, [availability]);
      await after.wait(availability, (m) => m.text === 'offline').finally(() => after.close());
      await assertRetainedOffline(stalled.url, availability);
    } finally {
      await stalled.close();
    }
  });
});

describe('demo', () => {
  async function demo(args: string[]) {
    const p = start(process.execPath, [CLI, 'demo', ...args]);
    await until(() => p.out().includes('Stop with Ctrl-C.') || p.child.exitCode !== null, WAIT_MS, 'the demo banner').catch((e: Error) => {
      throw new Error(`${e.message}\nstdout: ${p.out()}\nstderr: ${p.err()}`);
    });
    const lines = p.out().split('\n').map((l) => l.trim());
    const sub = lines.find((l) => l.startsWith('mosquitto_sub ') && l.includes('/#'));
    const pubs = lines.filter((l) => l.startsWith('mosquitto_pub '));
    assert.ok(sub, p.out());
    assert.ok(pubs.length >= 3, p.out());
    const port = Number(/-p (\d+)/.exec(sub)![1]);
    return { p, sub, pubs, port };
  }
  async function stop(p: Proc) {
    p.child.kill('SIGTERM');
    assert.deepEqual(await p.exited, { code: 0, signal: null }, p.err());
  }

  it('with --mqtt-url: a printed mosquitto_pub line, run for real, pauses it; mosquitto_sub sees it', async () => {
    const broker = await startBroker();
    let d: Awaited<ReturnType<typeof demo>> | undefined;
    let sub: Proc | undefined;
    try {
      d = await demo(['--mqtt-url', broker.url]);
      assert.equal(d.port, broker.port);
      assert.ok(d.pubs.every((l) => l.includes(`-h 127.0.0.1 -p ${broker.port}`)), d.pubs.join('\n'));
      sub = start('mosquitto_sub', words(d.sub).slice(1));
      await until(() => /librespot2mqtt\/demo\/state \{.*"playback":"playing"/.test(sub!.out()), WAIT_MS, 'a playing state on mosquitto_sub');
      const pauseLine = d.pubs.find((l) => / -m pause$/.test(l));
      assert.ok(pauseLine, d.pubs.join('\n'));
      const pub = start('mosquitto_pub', words(pauseLine).slice(1));
      assert.equal((await pub.exited).code, 0, pub.err());
      await until(() => /librespot2mqtt\/demo\/state \{.*"playback":"paused"/.test(sub!.out()), WAIT_MS, 'a paused state on mosquitto_sub');
      assert.match(sub.out(), /homeassistant\/device\/librespot2mqtt_demo\/config \{/);
    } finally {
      sub?.child.kill('SIGTERM');
      await sub?.exited;
      if (d) await stop(d.p);
      await broker.close();
    }
  });

  it('without --mqtt-url: an embedded broker on 1883 or the next free port, as the banner says', async (t) => {
    // whether 1883 is free here is not the test's to decide (another program may take it or let it go
    // at any time): the demo must say where its broker is, and be there
    let d: Awaited<ReturnType<typeof demo>> | undefined;
    try {
      d = await demo([]);
      t.diagnostic(`the demo's embedded broker took port ${d.port}`);
      assert.ok(d.port >= 1883 && d.port < 1883 + 20, `port ${d.port}`);
      assert.match(d.p.out(), new RegExp(`an embedded\\s+MQTT broker at mqtt://127\\.0\\.0\\.1:${d.port}`));
      const w = await Watcher.connect(`mqtt://127.0.0.1:${d.port}`, ['librespot2mqtt/demo/availability', 'librespot2mqtt/demo/state']);
      try {
        await w.wait('librespot2mqtt/demo/availability', (m) => m.text === 'online');
        await w.waitJson<any>('librespot2mqtt/demo/state', (v) => v.track);
      } finally {
        await w.close();
      }
    } finally {
      if (d) await stop(d.p);
    }
  });

  it('the embedded broker takes the next free port when its port is taken', async () => {
    const holder: Server = createServer();
    const taken = await new Promise<number>((resolve, reject) => holder.once('error', reject).listen(0, '127.0.0.1', () => resolve((holder.address() as AddressInfo).port)));
    const broker = await startEmbeddedBroker('127.0.0.1', taken);
    try {
      assert.ok(broker.port > taken && broker.port < taken + 20, `port ${broker.port}, ${taken} taken`);
      const w = await Watcher.connect(`mqtt://127.0.0.1:${broker.port}`, ['x']);
      await w.close();
    } finally {
      await broker.close();
      await new Promise((r) => holder.close(r));
    }
  });
});
