// The MQTT protocol of the bridge against a real mosquitto: availability, publish-on-change, HA birth,
// broker restarts, the command path's answers and refusals, and a go-librespot that is slow, gone,
// old or talking nonsense.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import mqtt from 'mqtt';
import { WebSocketServer } from 'ws';
import { settle, sleep, startSpeaker, until, type Speaker } from './helpers/setup.js';
import { freePort, startBroker } from './helpers/broker.js';
import { on, retained } from './helpers/mqtt.js';
import { COMMAND_KEYS } from '../bridge/commands/table.js';
import { NO_SESSION } from '../bridge/librespot/client.js';
import { LibrespotEmulator } from '../bridge/emulator/emulator.js';
import { WAIT_MS } from './helpers/patience.js';

type Answer = { ok: boolean; error?: string; transaction?: unknown; command?: Record<string, unknown> };

/** Publishes a command and returns the next answer on <base>/<id>/response. */
async function send(s: Speaker, topic: string, payload: string): Promise<Answer> {
  const mark = s.watcher.mark();
  await s.watcher.publish(topic, payload);
  return s.watcher.waitJson<Answer>(s.topics.response, () => true, WAIT_MS, mark);
}
const posts = (s: Speaker, since: number) => s.emulator.requests.slice(since).filter((r) => r.method === 'POST');
const warned = (s: Speaker, text: string) => s.logs.lines.some((l) => l.level >= 40 && l.msg.includes(text));

// one bad value per command key, with the answer it must get; a key added to the table later gets
// a generic check (its own field name, not zod's default English) until it is listed here
const BAD: Record<string, [string, string]> = {
  max_volume: ['loud', 'max_volume: must be a number from 0 to 100 %, or a change like +5 or -5'],
  volume: ['loud', 'volume: must be a number from 0 to 100 %, or a change like +5 or -5'],
  mute: ['maybe', 'mute: must be on, off or toggle'],
  shuffle: ['maybe', 'shuffle: must be on, off or toggle'],
  repeat: ['sometimes', 'repeat: must be one of off, context, track'],
  play_uri: ['hello', 'play_uri: must be a Spotify URI like spotify:playlist:37i9dQZF1DXcBWIGoYBM5M, or an open.spotify.com link'],
  seek: ['abc', 'seek: must be a number from 0 to 86400 seconds, or a change like +5 or -5'],
  action: ['dance', 'action: must be one of play, pause, play_pause, next, previous, stop'],
};
const badCase = (key: string): [string, string | RegExp] =>
  BAD[key] ?? ['%%not a value%%', new RegExp(`^${key}: (?!Invalid|Expected|Too )\\S`)];

describe('protocol: one speaker on a real broker', () => {
  let s: Speaker;
  before(async () => {
    s = await startSpeaker();
    await s.watcher.waitJson<any>(s.topics.state, (v) => v.playback === 'playing' && v.track);
  });
  after(() => s?.close());

  it('availability and go-librespot reachability are retained online', async () => {
    const seen = await retained(s.broker.url, [s.topics.availability, s.topics.needs.librespot]);
    for (const t of [s.topics.availability, s.topics.needs.librespot]) {
      const m = seen.filter((m) => m.topic === t);
      assert.equal(m.length, 1, t);
      assert.equal(m[0]!.text, 'online');
      assert.equal(m[0]!.retain, true);
    }
  });

  it('state is published only on change', async (t) => {
    await settle(s);
    let mark = s.watcher.mark();
    await s.bridge.check(); // GET / says what the bridge knows: nothing new
    await sleep(300);
    assert.deepEqual(on(s.watcher, s.topics.state, mark).map((m) => m.text), [], 'no new state without a change');
    mark = s.watcher.mark();
    const t0 = Date.now();
    s.emulator.appPause();
    await s.watcher.waitJson<any>(s.topics.state, (v) => v.playback === 'paused', WAIT_MS, mark);
    t.diagnostic(`event → MQTT latency (app pause → state message): ${on(s.watcher, s.topics.state, mark)[0]!.at - t0} ms`);
    await sleep(300);
    assert.equal(on(s.watcher, s.topics.state, mark).length, 1, 'one change, one state message');
    s.emulator.appResume();
    await s.watcher.waitJson<any>(s.topics.state, (v) => v.playback === 'playing', WAIT_MS, mark);
  });

  it('HA birth (homeassistant/status online, not retained) re-publishes discovery, then state', async () => {
    let mark = s.watcher.mark();
    await s.watcher.publish(s.topics.haStatus, 'offline');
    await sleep(700);
    assert.equal(on(s.watcher, s.topics.discovery, mark).length, 0, 'offline needs no action');
    mark = s.watcher.mark();
    await s.watcher.publish(s.topics.haStatus, 'online');
    await s.watcher.wait(s.topics.state, () => true, WAIT_MS, mark);
    const order = s.watcher.messages.slice(mark).map((m) => m.topic);
    assert.ok(order.includes(s.topics.discovery), 'discovery re-published');
    assert.ok(order.indexOf(s.topics.discovery) < order.indexOf(s.topics.state), `discovery before state: ${order.join(', ')}`);
    assert.ok(order.indexOf(s.topics.availability) >= 0 && order.indexOf(s.topics.availability) < order.indexOf(s.topics.state));
  });

  it('a retained command published while the bridge runs (MQTT 5) is refused at once', async () => {
    const since = s.emulator.requests.length;
    const topic = `${s.topics.set}/action`;
    await s.watcher.publish(topic, 'next', { retain: true });
    try {
      await until(() => warned(s, `retained command on ${topic} ignored`), WAIT_MS, 'the warning');
      await sleep(200);
      assert.deepEqual(posts(s, since), []);
    } finally {
      await s.watcher.publish(topic, '', { retain: true }); // clear it from the broker
    }
  });

  it('bad payloads get {"ok":false,"error":…} with a specific message and a log line', async (t) => {
    for (const key of COMMAND_KEYS) if (!BAD[key]) t.diagnostic(`no specific bad-value case for command ${key} yet: generic check`);
    const since = s.emulator.requests.length;
    const cases: Array<[string, string, string | RegExp]> = [
      [s.topics.set, 'nope', 'payload is not JSON: "nope" (example: {"action":"next"})'],
      [s.topics.set, '[1,2]', 'payload must be a JSON object, e.g. {"action":"next"}'],
      [s.topics.set, '{}', `no command given (known: ${COMMAND_KEYS.join(', ')})`],
      [s.topics.set, '{"louder":5}', `unknown command "louder" (known: ${COMMAND_KEYS.join(', ')})`],
      [`${s.topics.set}/louder`, '5', `unknown command topic set/louder (known: ${COMMAND_KEYS.map((k) => `set/${k}`).join(', ')})`],
      ...COMMAND_KEYS.flatMap((key): Array<[string, string, string | RegExp]> => {
        const [value, error] = badCase(key);
        return [
          [`${s.topics.set}/${key}`, value, error],
          [s.topics.set, JSON.stringify({ [key]: value }), error],
        ];
      }),
    ];
    for (const [topic, payload, error] of cases) {
      const a = await send(s, topic, payload);
      assert.equal(a.ok, false, `${topic} ← ${payload}`);
      assert.deepEqual(Object.keys(a).sort(), ['error', 'ok']);
      if (typeof error === 'string') assert.equal(a.error, error, `${topic} ← ${payload}`);
      else assert.match(a.error!, error, `${topic} ← ${payload}`);
      assert.ok(warned(s, `rejected command on ${topic}: ${a.error}`), `log line for ${topic} ← ${payload}`);
    }
    assert.deepEqual(posts(s, since), [], 'nothing reached go-librespot');
    const ok = await send(s, `${s.topics.set}/action`, 'play');
    assert.equal(ok.ok, true, 'the bridge still works');
  });

  it('seek out of range says the range', async () => {
    const a = await send(s, s.topics.set, '{"seek":99999}');
    assert.deepEqual(a, { ok: false, error: 'seek: must be between 0 and 86400 seconds' });
  });

  it('echoes the transaction, on success and on refusal', async (t) => {
    const since = s.emulator.requests.length;
    const t0 = Date.now();
    const a = await send(s, s.topics.set, '{"action":"play","transaction":"tx-1"}');
    assert.equal(a.ok, true);
    assert.equal(a.transaction, 'tx-1');
    assert.deepEqual(a.command, { action: 'play' });
    const post = posts(s, since).find((r) => r.path === '/player/resume');
    assert.ok(post, 'POST /player/resume');
    t.diagnostic(`command → HTTP latency (MQTT publish → emulator got POST): ${post.at - t0} ms`);
    const b = await send(s, s.topics.set, '{"bogus":1,"transaction":{"n":42}}');
    assert.equal(b.ok, false);
    assert.deepEqual(b.transaction, { n: 42 });
  });

  it('honours an MQTT 5 response topic and correlation data', async () => {
    const client = await mqtt.connectAsync(s.broker.url, { protocolVersion: 5 });
    try {
      const replyTo = `test-replies/${process.pid}`;
      await client.subscribeAsync(replyTo, { qos: 1 });
      let got: { body: Answer; corr?: Buffer } | undefined;
      client.on('message', (topic, payload, packet) => {
        if (topic === replyTo) got = { body: JSON.parse(payload.toString()) as Answer, corr: packet.properties?.correlationData };
      });
      const mark = s.watcher.mark();
      await client.publishAsync(s.topics.set, '{"action":"play"}', {
        qos: 1,
        properties: { responseTopic: replyTo, correlationData: Buffer.from('corr-7') },
      });
      await until(() => got !== undefined, undefined, 'a reply on the response topic');
      const { body, corr } = got!;
      assert.equal(body.ok, true);
      assert.equal(corr?.toString(), 'corr-7');
      assert.equal(on(s.watcher, s.topics.response, mark).length, 0, 'not also on the default response topic');
    } finally {
      await client.endAsync(true);
    }
  });

  it('a command while go-librespot hangs fails with the timeout, then the bridge recovers', async (t) => {
    s.emulator.setHang(true);
    const t0 = Date.now();
    let a: Answer;
    try {
      a = await send(s, s.topics.set, '{"action":"pause"}');
    } finally {
      s.emulator.setHang(false);
    }
    const ms = Date.now() - t0;
    t.diagnostic(`answer to a command while go-librespot hangs: ${ms} ms (timeout_ms 1000)`);
    assert.equal(a.ok, false);
    assert.match(a.error!, /^action: POST \/player\/pause: go-librespot did not answer within 1000 ms$/);
    assert.equal((await send(s, s.topics.set, '{"action":"play"}')).ok, true, 'recovered');
  });

  it('a command without a Spotify session says so', async () => {
    s.emulator.logout();
    const a = await send(s, `${s.topics.set}/action`, 'next');
    assert.deepEqual(a, { ok: false, error: `action: ${NO_SESSION}` });
    assert.ok(warned(s, 'no Spotify session'));
    s.emulator.transferIn();
    await s.bridge.check();
    await s.watcher.waitJson<any>(s.topics.state, (v) => v.playback === 'playing' && v.session);
  });
});

describe('protocol: a retained command waiting on the broker', () => {
  it('is ignored with a warning when the bridge subscribes, and nothing reaches go-librespot', async () => {
    const broker = await startBroker();
    const topic = 'librespot2mqtt/stale/set/action';
    const pub = await mqtt.connectAsync(broker.url, { protocolVersion: 4 });
    let s: Speaker | undefined;
    try {
      await pub.publishAsync(topic, 'next', { qos: 1, retain: true });
      s = await startSpeaker({ broker, config: { device: { id: 'stale' }, mqtt: { protocol_version: 4 } } });
      await until(() => warned(s!, `retained command on ${topic} ignored: publish commands without retain`), WAIT_MS, 'the warning');
      await sleep(200);
      assert.deepEqual(posts(s, 0), []);
      assert.equal((await send(s, topic, 'pause')).ok, true, 'the same command, not retained, runs');
    } finally {
      await pub.publishAsync(topic, '', { qos: 1, retain: true });
      await pub.endAsync(true);
      await s?.close();
      await broker.close();
    }
  });
});

describe('protocol: broker restart', () => {
  it('discovery, availability and state come back after the broker lost them', async (t) => {
    const s = await startSpeaker({ config: { device: { id: 'restart' } } });
    try {
      await s.watcher.waitJson<any>(s.topics.state, (v) => v.track);
      const mark = s.watcher.mark();
      await s.broker.stop();
      const t0 = Date.now();
      await s.broker.start();
      await s.watcher.wait(s.topics.discovery, () => true, WAIT_MS, mark);
      await s.watcher.wait(s.topics.availability, (m) => m.text === 'online', WAIT_MS, mark);
      await s.watcher.waitJson<any>(s.topics.state, (v) => v.track, WAIT_MS, mark);
      t.diagnostic(`broker back → state re-published after ${Date.now() - t0} ms (first retry after about 1 s)`);
      const seen = await retained(s.broker.url, [s.topics.discovery, s.topics.availability, s.topics.state, s.topics.needs.librespot]);
      assert.deepEqual([...new Set(seen.filter((m) => m.retain).map((m) => m.topic))].sort(),
        [s.topics.discovery, s.topics.availability, s.topics.needs.librespot, s.topics.state].sort());
      assert.equal((await send(s, `${s.topics.set}/action`, 'pause')).ok, true, 'commands work: resubscribed');
    } finally {
      await s.close();
    }
  });
});

describe('protocol: go-librespot absent, old or broken', () => {
  it('not running at start: offline, a warning naming the URL, then connects when it appears', async (t) => {
    const port = await freePort();
    const s = await startSpeaker({ config: { device: { id: 'late' }, librespot: { url: `http://127.0.0.1:${port}` } } });
    let emu: LibrespotEmulator | undefined;
    try {
      await s.watcher.wait(s.topics.needs.librespot, (m) => m.text === 'offline');
      await until(() => warned(s, `127.0.0.1:${port}`), WAIT_MS, 'a warning naming the URL');
      emu = await LibrespotEmulator.start({ port });
      const t0 = Date.now();
      await s.watcher.wait(s.topics.needs.librespot, (m) => m.text === 'online');
      await s.watcher.waitJson<any>(s.topics.state, (v) => v.playback === 'playing' && v.track?.uri === emu!.status()!.track!.uri);
      t.diagnostic(`go-librespot appeared → online after ${Date.now() - t0} ms (backoff)`);
    } finally {
      await s.close();
      await emu?.close();
    }
  });

  it('a legacy daemon (no v0.9.0 fields, GET / = {}) works', async () => {
    const s = await startSpeaker({ emulator: { version: '0.3' }, config: { device: { id: 'legacy' } } });
    try {
      const st = await s.watcher.waitJson<any>(s.topics.state, (v) => v.playback === 'playing' && v.track);
      assert.equal(st.track.uri, s.emulator.status()!.track!.uri);
      assert.equal(st.track.codec, null);
      assert.equal(st.track.format, null);
      assert.equal(st.track.bitrate, null);
      assert.match(st.track.release_date, /^\d{4}/);
      const mark = s.watcher.mark();
      assert.equal((await send(s, `${s.topics.set}/action`, 'next')).ok, true);
      await s.watcher.waitJson<any>(s.topics.state, (v) => v.track && v.track.uri !== st.track.uri, WAIT_MS, mark);
      await s.bridge.check(); // GET / answers {} on old daemons
      assert.ok(!s.logs.lines.some((l) => l.level >= 40), JSON.stringify(s.logs.lines.filter((l) => l.level >= 40)));
    } finally {
      await s.close();
    }
  });

  it('garbage from go-librespot: clear log lines, no crash, good events still apply', async () => {
    const server = createServer((req, res) => {
      res.setHeader('content-type', 'application/json');
      if (req.url === '/status') res.end('{"stopped":"yes","paused":1,"track":5}\n');
      else res.end('{"playback_ready":true}\n');
    });
    const wss = new WebSocketServer({ server, path: '/events' });
    wss.on('connection', (ws) => {
      ws.send('this is not json');
      ws.send('{"type":"metadata","data":{"uri":5}}');
      ws.send(Buffer.from([0xff, 0x00]), { binary: true });
      ws.send('{"type":"shuffle_context","data":{"value":true}}\n');
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const { port } = server.address() as { port: number };
    const s = await startSpeaker({ config: { device: { id: 'garbage' }, librespot: { url: `http://127.0.0.1:${port}` } } });
    try {
      await s.watcher.waitJson<any>(s.topics.state, (v) => v.shuffle === true);
      await until(() => s.logs.lines.filter((l) => l.msg === 'ignoring a malformed event from go-librespot').length >= 3, WAIT_MS, 'malformed-event warnings');
      await until(() => warned(s, 'GET /status failed: GET /status: unexpected answer: '), WAIT_MS, 'the /status warning');
      const line = s.logs.lines.find((l) => l.msg.startsWith('GET /status failed'))!;
      assert.match(line.msg, /stopped: .*boolean/i, line.msg);
      await s.bridge.check();
      assert.equal(s.state().librespot, true);
      assert.equal(on(s.watcher, s.topics.availability).at(-1)!.text, 'online');
    } finally {
      await s.close();
      for (const c of wss.clients) c.terminate();
      wss.close();
      await new Promise<void>((r) => server.close(() => r()));
    }
  });
});

