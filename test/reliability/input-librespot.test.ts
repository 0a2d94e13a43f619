// Bad input from go-librespot: the emulator turned hostile sends malformed, misshapen, binary and
// oversized event frames and a flood of events, and answers /status and / with broken JSON, wrong
// shapes, unexpected statuses, oversized bodies or nothing at all. Each is refused with its own log
// line, the bridge keeps its connection (or makes a new one) and answers a get; the heap after GC
// returns to within 2 MB of where it was.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { startSpeaker, until, type Speaker } from '../helpers/setup.js';
import { grew, settledMemory, type Memory } from '../helpers/memory.js';
import { ApiEvent, ApiRoot, ApiStatus } from '../../bridge/librespot/api.js';
import { record } from './report.js';

const RUNS = Number(process.env.L2M_FUZZ_RUNS ?? 300);
const FLOOD = 20_000;
const BATCH = 25;
/** fast-check's own 'binary' unit holds a table of every code point: 85 MB of this process's heap */
const anyCodePoint = fc.integer({ min: 0, max: 0x10ffff }).map((c) => String.fromCodePoint(c));
const TYPES = ApiEvent.options.map((o) => o.shape.type.value);

let s: Speaker;
const unhandled: unknown[] = [];
const onUnhandled = (err: unknown) => unhandled.push(err);

before(async () => {
  process.on('unhandledRejection', onUnhandled);
  s = await startSpeaker();
  // frames sent before the event stream is open would be lost
  await until(() => s.logs.has(/^connected to go-librespot$/), 10_000, 'the event stream open');
});
after(async () => {
  process.off('unhandledRejection', onUnhandled);
  s?.emulator.answerWith(null);
  await s?.close();
});

const count = (re: RegExp) => s.logs.lines.filter((l) => re.test(l.msg)).length;
const MALFORMED = /^ignoring a malformed event from go-librespot$/;
const UNKNOWN = /^ignoring an event type this bridge does not know$/;
const APPLIED = /^go-librespot event [a-z_]+$/;
let marker = 0;

/** The test holds the logs it checked and the emulator the requests it saw: let them go before measuring. */
function forget(): void {
  s.logs.lines.length = 0;
  s.watcher.messages.length = 0;
  s.emulator.requests.length = 0;
}

async function alive(): Promise<void> {
  await until(() => s.bridge.store.get().librespot, 10_000, 'go-librespot reachable again');
  const mark = s.watcher.mark();
  await s.watcher.publish(s.topics.get, '{"transaction":"alive?"}');
  const a = await s.watcher.waitJson<{ ok: boolean; transaction?: string }>(s.topics.response, (a) => a.transaction === 'alive?', 10_000, mark);
  assert.equal(a.ok, true);
}

/** A playback error no other input names, after the others: once the state shows it, everything sent
 * before was handled (a /status read, which a random event may cause, leaves the last error alone). */
async function settle(): Promise<void> {
  const message = `marker ${marker++}`;
  const data = { uri: '', play_origin: 'test', stage: 'test', kind: 'network', unplayable: false, message };
  s.emulator.sendFrame(JSON.stringify({ type: 'playback_error', data }));
  await until(() => s.bridge.store.get().last_error?.message === message, 20_000, 'the marker event');
}

/** Runs `pass` as a warm-up, then measured; records the family's row. */
async function family(name: string, runs: number, pass: (n: number) => Promise<{ tried: number; refused: number }>): Promise<void> {
  const total = { tried: 0, refused: 0 };
  const add = (r: { tried: number; refused: number }) => ((total.tried += r.tried), (total.refused += r.refused));
  add(await pass(Math.max(1, Math.round(runs / 10))));
  await alive();
  forget();
  const before: Memory = await settledMemory();
  add(await pass(runs));
  await alive();
  forget();
  const after: Memory = await settledMemory();
  record({ section: 'input', family: `go-librespot: ${name}`, tried: total.tried, refused: total.refused, memBeforeMB: before.heapMB, memAfterMB: after.heapMB });
  assert.deepEqual(unhandled, [], 'no error escaped');
  assert.ok(grew(before, after).heapMB < 2, `heap after GC grew ${grew(before, after).heapMB.toFixed(2)} MB (${name})`);
}

/** Sends frames in batches; every frame must be applied or get its own log line. */
function frames(arb: fc.Arbitrary<string>) {
  return async (n: number) => {
    let tried = 0;
    let refused = 0;
    const run = await fc.check(
      fc.asyncProperty(fc.array(arb, { minLength: 1, maxLength: BATCH }), async (batch) => {
        s.logs.lines.length = 0;
        for (const f of batch) s.emulator.sendFrame(f);
        await settle();
        const bad = count(MALFORMED) + count(UNKNOWN);
        // the marker is applied too
        assert.equal(bad + count(APPLIED) - 1, batch.length, `one log line per frame: ${JSON.stringify(batch).slice(0, 300)}`);
        tried += batch.length;
        refused += bad;
      }),
      { numRuns: Math.max(1, Math.ceil(n / ((BATCH + 1) / 2))), endOnFailure: true },
    );
    if (run.failed) throw run.errorInstance;
    return { tried, refused };
  };
}

type Answer = { status: number; body: string | Buffer } | 'hang';

/** Answers `path` with `answer` once the bridge asks; the rest is the emulator's. */
function hostile(path: string, answer: Answer): void {
  s.emulator.answerWith((req: IncomingMessage, res: ServerResponse) => {
    if (new URL(req.url ?? '/', 'http://x').pathname !== path) return false;
    // a hung daemon: the connection stays open, nothing comes back
    if (answer !== 'hang') res.writeHead(answer.status, { 'content-type': 'application/json' }).end(answer.body);
    return true;
  });
}

/** Would the bridge take this answer to GET `path`? */
function acceptable(path: string, a: Answer): boolean {
  if (a === 'hang') return false;
  if (a.status === 204) return true;
  if ((a.status < 200 || a.status > 299) && a.status !== 409) return false;
  try {
    return (path === '/status' ? ApiStatus : ApiRoot).safeParse(JSON.parse(a.body.toString())).success;
  } catch {
    return false;
  }
}

const FAILED = /^(GET \/status|session check) failed: /;

describe('bad input from go-librespot', () => {
  it('event frames: malformed JSON', () =>
    family('WebSocket frames: malformed JSON', RUNS, frames(fc.oneof(fc.string({ unit: anyCodePoint, maxLength: 200 }), fc.json().map((j) => j.slice(0, -1))))));

  it('event frames: wrong shapes', () => {
    const shape = fc
      .record({ type: fc.oneof(fc.constantFrom(...TYPES), fc.string({ maxLength: 12 }), fc.anything({ maxDepth: 1 })), data: fc.anything({ maxDepth: 3 }) }, { requiredKeys: [] })
      .map((o) => JSON.stringify(o) ?? 'null');
    return family('WebSocket frames: wrong shapes', RUNS, frames(fc.oneof(shape, fc.json({ maxDepth: 3 }))));
  });

  it('event frames: binary and oversized ones', () =>
    family('WebSocket frames: binary, oversized (to 2 MiB)', 20, async (n) => {
      let refused = 0;
      for (let i = 0; i < n; i++) {
        s.logs.lines.length = 0;
        if (i % 2 === 0) {
          s.emulator.sendFrame(Buffer.from([0x7b, 0xff, 0x00, i]), true);
          await settle();
          assert.equal(count(MALFORMED), 1, 'a binary frame is refused with a log line');
        } else {
          const size = 300_000 + ((i * 104_729) % 1_800_000);
          s.emulator.sendFrame(JSON.stringify({ type: 'metadata', data: { name: 'x'.repeat(size) } }));
          await until(() => s.logs.has(/^go-librespot sent an event frame over \d+ bytes: not read, reconnecting$/), 10_000, 'the oversized frame refused');
          await until(() => s.logs.has(/^connected to go-librespot$/), 10_000, 'a new connection');
          await settle();
        }
        refused++;
      }
      return { tried: n, refused };
    }));

  it('event frames: a flood of valid events, the last one wins', () =>
    family(`WebSocket: a flood of ${FLOOD} events (all applied)`, 1, async (n) => {
      const events = n * FLOOD;
      s.logs.lines.length = 0;
      for (let i = 1; i <= events; i++) s.emulator.sendFrame(JSON.stringify({ type: 'seek', data: { uri: 'spotify:track:x', play_origin: 'flood', position: i, duration: events + 1 } }));
      await settle();
      assert.equal(count(/^go-librespot event seek$/), events, 'every event of the flood applied');
      return { tried: events, refused: 0 };
    }));

  it('HTTP answers: broken JSON, wrong shapes, unexpected statuses, oversized, none', () => {
    const status = fc.constantFrom(200, 200, 200, 201, 204, 301, 302, 400, 401, 404, 409, 418, 500, 502);
    const body = fc.oneof(
      fc.string({ unit: anyCodePoint, maxLength: 100 }),
      fc.json({ maxDepth: 3 }),
      fc.anything({ maxDepth: 3 }).map((v) => JSON.stringify(v) ?? ''),
      // /status with one field broken
      fc.tuple(fc.constantFrom('volume', 'track', 'paused', 'volume_steps', 'device_name'), fc.anything({ maxDepth: 1 })).map(([k, v]) => JSON.stringify({ ...s.emulator.status(), [k]: v })),
    );
    const answer: fc.Arbitrary<Answer> = fc.oneof(
      { arbitrary: fc.record({ status, body }), weight: 20 },
      { arbitrary: fc.integer({ min: 1_100_000, max: 3_000_000 }).map((n) => ({ status: 200, body: Buffer.alloc(n, ' ') })), weight: 1 },
      { arbitrary: fc.constant('hang' as const), weight: 1 },
    );
    return family('HTTP answers to /status and /', RUNS / 5, async (n) => {
      let tried = 0;
      let refused = 0;
      const run = await fc.check(
        fc.asyncProperty(fc.constantFrom('/status', '/'), answer, async (path, a) => {
          s.logs.lines.length = 0;
          const asked = s.emulator.requests.length;
          hostile(path, a);
          // /status is read after a session event; / by the session check
          if (path === '/status') s.emulator.sendFrame(JSON.stringify({ type: 'active', data: null }));
          else void s.bridge.check();
          const expectRefusal = !acceptable(path, a);
          if (expectRefusal) await until(() => count(FAILED) > 0, 20_000, `a log line for ${path} ← ${shown(a)}`);
          else await until(() => s.emulator.requests.slice(asked).some((r) => r.path === path), 20_000, `${path} asked`);
          s.emulator.answerWith(null);
          if (a === 'hang') await until(() => s.bridge.store.get().librespot, 20_000, 'reconnected after the hang');
          tried++;
          if (expectRefusal) refused++;
          s.emulator.requests.length = 0;
        }),
        { numRuns: n, endOnFailure: true },
      );
      if (run.failed) throw run.errorInstance;
      return { tried, refused };
    });
  });

  it('after all of it: go-librespot is followed again', async () => {
    s.emulator.answerWith(null);
    s.emulator.appPause();
    await until(() => s.bridge.store.get().playback === 'paused', 10_000, 'paused');
    await alive();
  });
});

const shown = (a: Answer) => (a === 'hang' ? 'no answer' : `HTTP ${a.status} ${JSON.stringify(a.body.toString().slice(0, 80))}`);
