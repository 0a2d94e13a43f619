// First contact with a real mosquitto, as a new user meets it (issue 13): a wrong password fixed on
// the broker later, a password file, no user name, the broker gone for a while, two bridges with one
// device.id, a broker that says "session taken over", a TLS listener we do not trust. What is
// asserted is what the log says and how often (counts), never how fast.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { resolveConfig } from '../bridge/config/load.js';
import { merge } from '../bridge/config/env.js';
import { startBridge } from '../bridge/bridge.js';
import { topicsFor } from '../bridge/ha/topics.js';
import { LibrespotEmulator } from '../bridge/emulator/emulator.js';
import { SCHEDULE, Backoff } from '../bridge/mqtt/backoff.js';
import { startBroker } from './helpers/broker.js';
import { captureLog, sleep, until, type LogLine } from './helpers/setup.js';
import { retained, Watcher } from './helpers/mqtt.js';
import { WAIT_MS } from './helpers/patience.js';

const DEBUG = 20;
const INFO = 30;
const WARN = 40;
const ERROR = 50;

async function bridgeOn(url: string, config: Record<string, unknown> = {}) {
  const emulator = await LibrespotEmulator.start();
  const cfg = resolveConfig(
    merge(
      {
        mqtt: { url },
        librespot: { url: emulator.url, timeout_ms: 1000 },
        device: { id: 'first-contact', name: 'First contact' },
        mixer: { backend: 'none' },
        state_file: join(mkdtempSync(join(tmpdir(), 'l2m-state-')), 'state.json'),
      },
      config,
    ),
  );
  const logs = captureLog();
  const bridge = await startBridge(cfg, logs.log);
  // the MQTT connection's own lines (go-librespot's are not the point here)
  const since = (mark: number) => logs.lines.slice(mark).filter((l) => l.part === 'mqtt');
  return {
    cfg,
    logs,
    /** lines above debug level from `mark` on: what a user at the default level reads */
    mark: () => logs.lines.length,
    loud: (mark = 0) => since(mark).filter((l) => l.level >= INFO),
    attempts: (mark = 0) => since(mark).filter((l) => l.level === DEBUG && l.msg.startsWith('connecting to the MQTT broker')).length,
    has: (re: RegExp, mark = 0) => since(mark).some((l) => re.test(l.msg)),
    close: async () => {
      await bridge.stop();
      await emulator.close();
    },
  };
}

const show = (lines: LogLine[]) => lines.map((l) => `${l.level} ${l.msg}`).join('\n');
const CONNECTED_AGAIN = /^connected to the MQTT broker after \d+ s$/;

describe('MQTT connection: refusals are retried, named once, and end by themselves', { concurrency: true }, () => {
  it('a wrong password: one error naming the user and the keys; online by itself once the broker, restarted, accepts it', async (t) => {
    const broker = await startBroker({ users: { speaker: 'right-horse' } });
    const b = await bridgeOn(broker.url, { mqtt: { username: 'speaker', password: 'battery-staple' } });
    try {
      await until(() => b.attempts() >= 3, 30_000, 'three refused attempts');
      const loud = b.loud();
      assert.equal(loud.length, 1, show(loud));
      assert.equal(loud[0]!.level, ERROR);
      assert.match(loud[0]!.msg, /^the broker refused user "speaker": check mqtt\.username \/ mqtt\.password \(Connection refused: Not authorized\): retrying with backoff/);
      const refused = b.attempts();
      // the fix is made on the broker, as in Home Assistant's Mosquitto add-on: the bridge is not touched
      broker.setUsers({ speaker: 'battery-staple' });
      await broker.stop();
      await broker.start();
      const fixed = Date.now();
      const mark = b.mark();
      await until(() => b.has(CONNECTED_AGAIN, mark), 60_000, 'online after the fix');
      t.diagnostic(`password fixed on the broker → bridge online in ${Date.now() - fixed} ms, after ${refused} refused attempts`);
      const w = await Watcher.connect(broker.url.replace('//', '//speaker:battery-staple@'), [topicsFor(b.cfg).availability]);
      await w.wait(topicsFor(b.cfg).availability, (m) => m.text === 'online').finally(() => w.close());
      assert.equal(b.loud().filter((l) => /refused user/.test(l.msg)).length, 1, show(b.loud()));
    } finally {
      await b.close();
      await broker.close();
    }
  });

  it('no user name for a broker without anonymous access: says to set mqtt.username and mqtt.password', async () => {
    const broker = await startBroker({ users: { speaker: 'x' } });
    const b = await bridgeOn(broker.url);
    try {
      await until(() => b.attempts() >= 2, 30_000, 'two refused attempts');
      assert.deepEqual(
        b.loud().map((l) => l.msg.replace(/: retrying.*/, '')),
        ['the broker refused a login without user name: set mqtt.username and mqtt.password (Connection refused: Not authorized)'],
      );
    } finally {
      await b.close();
      await broker.close();
    }
  });

  it('mqtt.password_file: read before every attempt; missing → the key named; created → online without a restart', async () => {
    const broker = await startBroker({ users: { speaker: 'kept-out-of-the-config' } });
    const file = join(mkdtempSync(join(tmpdir(), 'l2m-secret-')), 'mqtt-password');
    const b = await bridgeOn(broker.url, { mqtt: { username: 'speaker', password_file: file } });
    try {
      await until(() => b.has(/cannot read mqtt\.password_file/), WAIT_MS, 'the missing file named');
      assert.match(b.loud()[0]!.msg, new RegExp(`^cannot read mqtt\\.password_file "${file}": no such file: retrying`));
      // with the newline `echo` adds
      writeFileSync(file, 'kept-out-of-the-config\n');
      await until(() => b.has(CONNECTED_AGAIN), 30_000, 'online once the file is there');
      assert.deepEqual(b.loud().map((l) => l.level), [ERROR, INFO], show(b.loud()));
    } finally {
      await b.close();
      await broker.close();
    }
  });

  it('the broker down for a while: one warning, one info line when it is back, attempts at debug only', async (t) => {
    const broker = await startBroker();
    const b = await bridgeOn(broker.url);
    try {
      await until(() => b.has(/^connected to the MQTT broker$/), WAIT_MS, 'connected');
      const mark = b.mark();
      await broker.stop();
      const WINDOW_S = 12;
      await sleep(WINDOW_S * 1000);
      const loud = b.loud(mark);
      const attempts = b.attempts(mark);
      assert.equal(loud.length, 1, show(loud));
      assert.equal(loud[0]!.level, WARN);
      assert.match(loud[0]!.msg, /^cannot reach the MQTT broker at mqtt:\/\/127\.0\.0\.1:\d+ \(connect ECONNREFUSED 127\.0\.0\.1:\d+\): is it running\? check mqtt\.url: retrying with backoff up to every 30 s/);
      // waits of at least 0.75, 1.5, 3 and 6 s: no more than 4 attempts fit in 12 s (a fixed 2 s period made 6)
      assert.ok(attempts >= 1 && attempts <= 4, `${attempts} attempts`);
      const perHour = attemptsPerHour();
      t.diagnostic(`broker down ${WINDOW_S} s: ${loud.length} line above debug, ${attempts} attempts at debug; an hour down: 1 warning and at most ${perHour} debug attempts (was about 1,800 warnings)`);
      await broker.start();
      const back = b.mark();
      await until(() => b.has(CONNECTED_AGAIN, back), 40_000, 'back');
      assert.deepEqual(b.loud(back).map((l) => [l.level, l.msg.replace(/\d+ s$/, 'N s')]), [[INFO, 'connected to the MQTT broker after N s']]);
    } finally {
      await b.close();
      await broker.close();
    }
  });

  it('a TLS listener whose certificate we do not trust: named, with the key to check, and retried', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'l2m-tls-'));
    const [cert, key] = [join(dir, 'cert.pem'), join(dir, 'key.pem')];
    execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-subj', '/CN=127.0.0.1', '-days', '2', '-keyout', key, '-out', cert], { stdio: 'ignore' });
    const broker = await startBroker({ tls: { cert, key } });
    const b = await bridgeOn(broker.url.replace('mqtt://', 'mqtts://'));
    try {
      await until(() => b.attempts() >= 2, 30_000, 'two failed attempts');
      const loud = b.loud();
      assert.deepEqual(loud.map((l) => l.level), [ERROR], show(loud));
      assert.match(
        loud[0]!.msg,
        /^TLS with the broker at mqtts:\/\/127\.0\.0\.1:\d+ failed: check mqtt\.tls\.ca \(or mqtt\.tls\.reject_unauthorized: false for a self-signed broker you trust\) \(self-signed certificate\): retrying/,
      );
    } finally {
      await b.close();
      await broker.close();
    }
  });
});

/** The most attempts an hour of the default schedule makes (every jitter at its shortest). */
function attemptsPerHour(): number {
  const backoff = new Backoff(SCHEDULE, () => 0);
  let n = 0;
  for (let t = 0; t < 3_600_000; t += backoff.next()) n++;
  return n;
}

const TAKEOVER = 'another librespot2mqtt with device.id "raspberrypi" is connected to this broker: give each speaker its own device.id';

describe('MQTT connection: two bridges with one device.id', { concurrency: true }, () => {
  for (const version of [5, 4] as const)
    it(`MQTT ${version === 5 ? '5' : '3.1.1'} on mosquitto (no DISCONNECT reason): the one kicked out names the other and stops fighting`, async (t) => {
      const broker = await startBroker({ verbose: true });
      const config = { mqtt: { protocol_version: version }, device: { id: 'raspberrypi' } };
      const first = await bridgeOn(broker.url, config);
      let second: Awaited<ReturnType<typeof bridgeOn>> | undefined;
      try {
        await until(() => first.has(/^connected to the MQTT broker$/), WAIT_MS, 'the first bridge online');
        const t0 = Date.now();
        second = await bridgeOn(broker.url, config);
        const both = [first, second];
        await until(() => both.some((b) => b.has(/^another librespot2mqtt/)), 60_000, 'a takeover named');
        const kicks = () => broker.log().split('\n').filter((l) => l.includes('already connected, closing old connection')).length;
        t.diagnostic(`named after ${Date.now() - t0} ms and ${kicks()} takeovers`);
        const loser = both.find((b) => b.has(/^another librespot2mqtt/))!;
        const named = loser.loud().filter((l) => l.msg.startsWith('another'));
        assert.equal(named.length, 1, show(loser.loud()));
        assert.equal(named[0]!.level, ERROR);
        assert.match(named[0]!.msg, new RegExp(`^${TAKEOVER.replace(/[.()]/g, '\\$&')}: not fighting over it, next attempt in [4-6] min$`));
        const [k, a] = [kicks(), loser.attempts()];
        await sleep(5000);
        assert.equal(kicks(), k, 'no more takeovers');
        assert.equal(loser.attempts(), a, 'no attempts while it waits');
        // the bridge that stayed is what Home Assistant sees: online, not the last will of the other
        const availability = topicsFor(first.cfg).availability;
        assert.deepEqual((await retained(broker.url, [availability])).map((m) => m.text), ['online']);
      } finally {
        await second?.close();
        await first.close();
        await broker.close();
      }
    });

  it('MQTT 5 DISCONNECT "session taken over" (0x8E, as the spec asks of a broker): named at the first one, no retry soon', async () => {
    const standIn = await sessionTakenOverBroker();
    const b = await bridgeOn(`mqtt://127.0.0.1:${standIn.port}`, { device: { id: 'raspberrypi' } });
    try {
      await until(() => b.has(/^another librespot2mqtt/), WAIT_MS, 'the takeover named');
      assert.deepEqual(b.loud().map((l) => [l.level, l.msg.replace(/: not fighting.*/, '')]), [[INFO, 'connected to the MQTT broker'], [ERROR, TAKEOVER]]);
      await sleep(2000);
      assert.equal(standIn.connections(), 1);
    } finally {
      await b.close();
      await standIn.close();
    }
  });
});

/**
 * A stand-in for an MQTT 5 broker that sends DISCONNECT 0x8E when a client is taken over (mosquitto
 * 2.0 just closes the connection): it accepts every CONNECT, then says "session taken over".
 */
async function sessionTakenOverBroker() {
  const sockets = new Set<Socket>();
  let connections = 0;
  const server = createServer((socket) => {
    connections++;
    sockets.add(socket);
    socket.on('error', () => undefined).on('close', () => sockets.delete(socket));
    socket.once('data', () => {
      // CONNACK: no session present, reason 0 (success), no properties
      socket.write(Buffer.from([0x20, 0x03, 0x00, 0x00, 0x00]));
      // DISCONNECT: reason 0x8E (session taken over), no properties
      setTimeout(() => socket.end(Buffer.from([0xe0, 0x02, 0x8e, 0x00])), 100);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as { port: number }).port,
    connections: () => connections,
    close: () => {
      for (const s of sockets) s.destroy();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
