// ctl tells the truth about what it cannot see in a retained topic: a hung bridge (a real bridge
// process stopped with SIGSTOP) is found out by `get`, a command it would run too late is refused,
// the position is today's, stale player data says so, and a broker's refusal is named as one.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import mqtt from 'mqtt';
import { LibrespotEmulator } from '../bridge/emulator/emulator.js';
import { BridgeInfo } from '../bridge/mqtt/info.js';
import { VERSION } from '../bridge/version.js';
import { freePort, startBroker, type TestBroker } from './helpers/broker.js';
import { retained, Watcher } from './helpers/mqtt.js';
import { sleep, startSpeaker, until, type Speaker } from './helpers/setup.js';
import { shell } from './helpers/shell.js';
import { cliEntry } from './helpers/entry.js';
import { WAIT_MS } from './helpers/patience.js';

const CLI = cliEntry();

let broker: TestBroker;
let s: Speaker;
let dir: string;

const cleanEnv = () => Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('LIBRESPOT2MQTT_')));
function ctl(args: string, extra: Record<string, string> = {}) {
  return shell(`'${process.execPath}' '${CLI}' ctl ${args}`, { ...cleanEnv(), LIBRESPOT2MQTT_MQTT_URL: broker.url, LIBRESPOT2MQTT_DEVICE_ID: 'test', ...extra });
}

before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'l2m-ctl-honest-'));
  broker = await startBroker();
  s = await startSpeaker({ broker });
  await until(() => s.state().playback === 'playing', WAIT_MS, 'playing');
});
after(async () => {
  await s?.close();
  await broker?.close();
  await rm(dir, { recursive: true, force: true });
});

describe('info and get', () => {
  it('info: retained, what the bridge is, no secret', async () => {
    const [kept] = await retained(broker.url, [s.topics.info]);
    assert.equal(kept?.retain, true);
    const info = BridgeInfo.parse(JSON.parse(kept.text));
    assert.deepEqual({ ...info, started_at: '' }, {
      version: VERSION,
      device: { id: 'test', name: 'Test speaker' },
      mixer: { backend: 'none', device: null, control: null },
      librespot: { url: s.emulator.url, reachable: true },
      log_level: 'debug',
      started_at: '',
    });
    assert.ok(Date.now() - Date.parse(info.started_at) < 600_000);
  });

  it('get: the state published again, and an answer with state, info and the bridge’s clock', async () => {
    const mark = s.watcher.mark();
    const r = await shell(`mosquitto_pub -h 127.0.0.1 -p ${broker.port} -t '${s.topics.get}' -m '{"transaction":"g1"}'`);
    assert.equal(r.code, 0, r.stderr);
    const answer = await s.watcher.waitJson<any>(s.topics.response, (a) => a.transaction === 'g1', WAIT_MS, mark);
    assert.equal(answer.ok, true);
    assert.equal(answer.state.playback, 'playing');
    assert.equal(answer.info.device.id, 'test');
    assert.ok(Math.abs(Date.parse(answer.time) - Date.now()) < 60_000, answer.time);
    await s.watcher.wait(s.topics.state, () => true, WAIT_MS, mark);
    const bad = await shell(`mosquitto_pub -h 127.0.0.1 -p ${broker.port} -t '${s.topics.get}' -m 'state please'`);
    assert.equal(bad.code, 0);
    const refused = await s.watcher.waitJson<any>(s.topics.response, (a) => a.ok === false, WAIT_MS, mark);
    assert.equal(refused.error, 'get takes an empty payload or {"transaction":…}');
  });
});

describe('ctl status: the present', () => {
  for (const version of ['0.9', '0.10'] as const) {
    const id = `v${version.replace('.', '')}`;
    it(`v${version}: the position runs on from position_ms + position_updated_at`, async () => {
      const other = await startSpeaker({ broker, emulator: { version }, config: { device: { id: `pos${id}` } } });
      try {
        await until(() => other.state().playback === 'playing', WAIT_MS, 'playing');
        const mark = other.watcher.mark();
        assert.equal((await ctl(`--device pos${id} seek 30`)).code, 0);
        const seeked = await other.watcher.waitJson<any>(other.topics.state, (st) => st.position_ms >= 30_000 && st.position_ms < 31_000, undefined, mark);
        // 2.5 s of playing after the retained position, on the clock the bridge stamped it with
        await until(() => Date.now() >= Date.parse(seeked.position_updated_at) + 2500);
        const r = await ctl(`--device pos${id} status`);
        assert.equal(r.code, 0, r.stderr);
        const [, m, ss] = /playback +playing, at (\d+):(\d\d) \//.exec(r.stdout) ?? [];
        assert.ok(m !== undefined, r.stdout);
        // the retained state still says 0:30: the position shown must be later
        assert.ok(Number(m) * 60 + Number(ss) >= 32, r.stdout);
      } finally {
        await other.close();
      }
    });

    it(`v${version}: player data is marked stale while go-librespot is unreachable`, async () => {
      const other = await startSpeaker({ broker, emulator: { version }, config: { device: { id: `stale${id}`, name: 'Stale' } } });
      try {
        await until(() => other.state().playback === 'playing', WAIT_MS, 'playing');
        await other.emulator.close();
        await until(() => other.state().librespot === false, WAIT_MS, 'go-librespot seen down');
        const r = await ctl(`--device stale${id} status`);
        assert.equal(r.code, 0, r.stderr);
        assert.match(r.stdout, /\n {2}playback +unknown: go-librespot is offline \(last known: /);
        assert.match(r.stdout, /\n {2}playing +last known: /);
        assert.doesNotMatch(r.stdout, /playback +playing/);
      } finally {
        await other.close();
      }
    });
  }
});

describe('ctl and a hung bridge (a real bridge process, stopped with SIGSTOP)', () => {
  let emulator: LibrespotEmulator;
  let child: ChildProcess;
  let w: Watcher;
  const base = 'librespot2mqtt/hung';
  const nexts = () => emulator.requests.filter((r) => r.path === '/player/next').length;

  before(async () => {
    emulator = await LibrespotEmulator.start();
    w = await Watcher.connect(broker.url, [`${base}/#`]);
    const env = {
      ...cleanEnv(),
      LIBRESPOT2MQTT_MQTT_URL: broker.url,
      LIBRESPOT2MQTT_LIBRESPOT_URL: emulator.url,
      LIBRESPOT2MQTT_DEVICE_ID: 'hung',
      LIBRESPOT2MQTT_MIXER_BACKEND: 'none',
      LIBRESPOT2MQTT_STATE_FILE: join(dir, 'hung.json'),
      LIBRESPOT2MQTT_LOG_LEVEL: 'warn',
    };
    child = spawn(process.execPath, [CLI], { env, stdio: 'ignore' });
    await w.wait(`${base}/availability`, (m) => m.text === 'online');
    await w.waitJson<any>(`${base}/state`, (st) => st.playback === 'playing');
  });
  after(async () => {
    child?.kill('SIGCONT');
    child?.kill('SIGTERM');
    await w?.close();
    await emulator?.close();
  });

  it('ctl exits 4 without sending the command, status says so, list says hung; a late command is refused, not run', async () => {
    child.kill('SIGSTOP');
    try {
      const n = await ctl('--device hung --timeout 3 next');
      assert.equal(n.code, 4, n.stderr);
      assert.match(n.stderr, /timed out waiting for an answer from bridge hung .*it is hung, or cut off from the broker/);
      const st = await ctl('--device hung --timeout 3 status');
      assert.equal(st.code, 4);
      assert.match(st.stdout, /^hung \([^)]*\): bridge says online but does not answer: what follows is the last state it published\n/);
      const l = await ctl('--timeout 3 list');
      assert.match(l.stdout, /^hung +hung /m);
      // what ctl puts on a command: a deadline at the end of its wait (here: passed while the bridge is stopped)
      const deadline = new Date(Date.now() + 300).toISOString();
      assert.equal((await shell(`mosquitto_pub -h 127.0.0.1 -p ${broker.port} -q 1 -t '${base}/set' -m '{"action":"next","deadline":"${deadline}","transaction":"late"}'`)).code, 0);
      await sleep(800);
    } finally {
      child.kill('SIGCONT');
    }
    const late = await w.waitJson<any>(`${base}/response`, (a) => a.transaction === 'late');
    assert.equal(late.ok, false);
    assert.match(late.error, /^expired \d+ ms before it arrived \(deadline .*\): not run, its sender gave up waiting$/);
    await sleep(300);
    assert.equal(nexts(), 0, 'nothing skipped behind the user’s back');
    // awake again: one ctl next is one skip
    const ok = await ctl('--device hung next');
    assert.equal(ok.code, 0, ok.stderr);
    assert.equal(nexts(), 1);
  });
});

describe('what ctl puts on the wire', () => {
  it('MQTT 5: message expiry = the time ctl still waits, and a deadline on the bridge’s clock', async () => {
    const client = await mqtt.connectAsync(broker.url, { protocolVersion: 5 });
    const seen: Array<{ expiry?: number; body: any; at: number }> = [];
    client.on('message', (_t, payload, packet) => seen.push({ expiry: packet.properties?.messageExpiryInterval, body: JSON.parse(payload.toString()), at: Date.now() }));
    await client.subscribeAsync(s.topics.set, { qos: 1 });
    try {
      const r = await ctl('--timeout 10 volume 33');
      assert.equal(r.code, 0, r.stderr);
      // the test's own subscription may hear the command after the bridge has answered it
      await until(() => seen.some((m) => m.body.volume === '33'), undefined, `the command in ${JSON.stringify(seen)}`);
      const sent = seen.find((m) => m.body.volume === '33')!;
      assert.ok(sent.expiry !== undefined && sent.expiry >= 1 && sent.expiry <= 10, `expiry ${sent.expiry}`);
      const left = Date.parse(sent.body.deadline) - sent.at;
      assert.ok(left > 0 && left <= 10_000, `deadline ${sent.body.deadline}, ${left} ms after it was sent`);
    } finally {
      await client.endAsync();
    }
  });

  it('MQTT 3.1.1: the deadline in the JSON', async () => {
    const w = await Watcher.connect(broker.url, [s.topics.set]);
    try {
      const r = await ctl('--timeout 10 volume 34', { LIBRESPOT2MQTT_MQTT_PROTOCOL_VERSION: '4' });
      assert.equal(r.code, 0, r.stderr);
      const body = JSON.parse((await w.wait(s.topics.set, (m) => m.text.includes('"34"'))).text);
      assert.ok(Date.parse(body.deadline) > Date.now() - 10_500 && typeof body.transaction === 'string', JSON.stringify(body));
    } finally {
      await w.close();
    }
  });
});

describe('a broker that refuses ctl', () => {
  it('is named as a refusal of the login, with the keys to check and no password', async () => {
    const port = await freePort();
    const conf = join(dir, 'refusing.conf');
    await writeFile(conf, `listener ${port} 127.0.0.1\nallow_anonymous false\npersistence false\n`);
    const mosq = spawn('mosquitto', ['-c', conf], { stdio: 'ignore' });
    try {
      let r;
      for (let i = 0; i < 50; i++) {
        r = await ctl('status', { LIBRESPOT2MQTT_MQTT_URL: `mqtt://speaker:s3cret-pw@127.0.0.1:${port}` });
        if (!/ECONNREFUSED/.test(r.stderr)) break;
        await sleep(100);
      }
      assert.equal(r!.code, 5, r!.stderr);
      assert.match(r!.stderr, /^librespot2mqtt ctl: the broker refused user "speaker": check the user and password in mqtt\.url \(Connection refused: .*\)\n$/);
      assert.doesNotMatch(r!.stdout + r!.stderr, /s3cret-pw/);
    } finally {
      mosq.kill('SIGKILL');
    }
  });
});
