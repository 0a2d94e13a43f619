// Bad input on every command topic, through a real mosquitto to a running bridge: fast-check makes
// random bytes, oversized and huge payloads, deep JSON, wrong types, odd numbers and Unicode. Every
// input gets exactly one answer (told apart by MQTT 5 correlation data), each refusal says why on the
// response topic and in a log line, nothing crashes, and the bridge answers a get after each family.
// The heap after GC returns to within 2 MB of where it was before each family (after a warm-up pass).
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import mqtt, { type MqttClient } from 'mqtt';
import { startSpeaker, until, type Speaker } from '../helpers/setup.js';
import { grew, settledMemory, type Memory } from '../helpers/memory.js';
import { COMMAND_KEYS } from '../../bridge/commands/table.js';
import { MAX_COMMAND_BYTES } from '../../bridge/commands/handler.js';
import { record } from './report.js';

/** inputs per family in the measured pass (the warm-up pass adds a tenth) */
const RUNS = Number(process.env.L2M_FUZZ_RUNS ?? 300);
const BATCH = 25;

interface Answer {
  ok: boolean;
  error?: string;
}
interface Input {
  topic: string;
  payload: Buffer;
}

let s: Speaker;
let fuzzer: MqttClient;
let fuzzerClosed: Promise<never>;
let topics: { json: string[]; plain: string[]; get: string };
let next = 0;
/** the answers of the batch in flight, by correlation data */
const answers = new Map<string, Answer>();
const unhandled: unknown[] = [];
const onUnhandled = (err: unknown) => unhandled.push(err);

before(async () => {
  process.on('unhandledRejection', onUnhandled);
  s = await startSpeaker();
  fuzzer = await mqtt.connectAsync(s.broker.url, { protocolVersion: 5, reconnectPeriod: 0 });
  fuzzer.on('message', (_topic, payload, packet) => {
    const id = packet.properties?.correlationData?.toString();
    if (id !== undefined) answers.set(id, JSON.parse(payload.toString()) as Answer);
  });
  await fuzzer.subscribeAsync(s.topics.response, { qos: 1 });
  // a publish the broker finds malformed ends the connection: say so instead of waiting forever
  fuzzerClosed = new Promise((_, reject) => fuzzer.once('close', () => reject(new Error('the broker closed the fuzzer\'s connection'))));
  fuzzerClosed.catch(() => {});
  const { set, groupSet, get } = s.topics;
  topics = { json: [set, groupSet], plain: [set, groupSet].flatMap((t) => COMMAND_KEYS.map((k) => `${t}/${k}`)), get };
});
after(async () => {
  process.off('unhandledRejection', onUnhandled);
  await fuzzer?.endAsync(true);
  await s?.close();
});

const anyTopic = () => fc.constantFrom(...topics.json, ...topics.plain, topics.get);
const text = (t: fc.Arbitrary<string>) => t.map((p) => Buffer.from(p));

/** the log line that goes with a refusal on `topic` */
const logLine = (topic: string, error: string) => (topic === topics.get ? `rejected ${topic}: ${error}` : `rejected command on ${topic}: ${error}`);

/** Sends a batch; resolves with the answers by input. */
async function send(batch: Input[]): Promise<Array<Answer | undefined>> {
  const ids = batch.map(() => String(next++));
  answers.clear();
  for (const [i, input] of batch.entries())
    await Promise.race([fuzzer.publishAsync(input.topic, input.payload, { qos: 1, properties: { correlationData: Buffer.from(ids[i]!) } }), fuzzerClosed]);
  await until(() => ids.every((id) => answers.has(id)), 30_000, `the answers to batch ${ids[0]}…`);
  return ids.map((id) => answers.get(id));
}

/** Checks one batch was refused cleanly; returns how many inputs were refused (the rest were valid by chance and ran). */
function judge(batch: Input[], answers: Array<Answer | undefined>): number {
  const logged = new Map<string, number>();
  for (const l of s.logs.lines) if (l.level >= 40) logged.set(l.msg, (logged.get(l.msg) ?? 0) + 1);
  let refused = 0;
  for (const [i, input] of batch.entries()) {
    const a = answers[i];
    const what = `${input.topic} ← ${JSON.stringify(input.payload.subarray(0, 120).toString())} (${input.payload.length} bytes)`;
    assert.ok(a, `an answer for ${what}`);
    if (a.ok) continue;
    assert.ok(a.error && !/Invalid|Expected|undefined|\[object/.test(a.error), `a specific error for ${what}: ${a.error}`);
    const line = logLine(input.topic, a.error);
    const left = logged.get(line) ?? 0;
    assert.ok(left > 0, `a log line "${line}" for ${what}`);
    logged.set(line, left - 1);
    refused++;
  }
  return refused;
}

async function alive(): Promise<void> {
  const [a] = await send([{ topic: topics.get, payload: Buffer.from('{"transaction":"alive?"}') }]);
  assert.equal(a?.ok, true, 'the bridge answers a get');
}

/** The test process holds the logs and messages it checked: let them go before measuring. */
function forget(): void {
  s.logs.lines.length = 0;
  s.watcher.messages.length = 0;
  s.emulator.requests.length = 0;
}

async function fuzz(family: string, input: fc.Arbitrary<Input>, opts: { runs?: number; batch?: number } = {}): Promise<void> {
  const runs = opts.runs ?? RUNS;
  const size = opts.batch ?? BATCH;
  let tried = 0;
  let refused = 0;
  const pass = async (n: number) => {
    // our own message, not fast-check's report: a counterexample of megabytes helps nobody
    const run = await fc.check(
      fc.asyncProperty(fc.array(input, { minLength: 1, maxLength: size }), async (batch) => {
        const answers = await send(batch);
        refused += judge(batch, answers);
        tried += batch.length;
        forget();
      }),
      { numRuns: Math.max(1, Math.ceil(n / ((size + 1) / 2))), endOnFailure: true },
    );
    if (run.failed) throw run.errorInstance;
    await alive();
    forget();
  };
  await pass(runs / 10);
  const before: Memory = await settledMemory();
  await pass(runs);
  const after: Memory = await settledMemory();
  record({ section: 'input', family: `MQTT commands: ${family}`, tried, refused, memBeforeMB: before.heapMB, memAfterMB: after.heapMB });
  assert.deepEqual(unhandled, [], 'no error escaped the command path');
  assert.ok(grew(before, after).heapMB < 2, `heap after GC grew ${grew(before, after).heapMB.toFixed(2)} MB (${family})`);
}

describe('bad input on the command topics', () => {
  it('random bytes', () => fuzz('random bytes', fc.record({ topic: anyTopic(), payload: fc.uint8Array({ maxLength: 300 }).map((b) => Buffer.from(b)) })));

  it('oversized payloads (to 4 MiB): refused unread, the limit named', () => {
    const size = fc.oneof(fc.integer({ min: MAX_COMMAND_BYTES + 1, max: 64 * 1024 }), fc.integer({ min: 64 * 1024, max: 4 * 1024 * 1024 }));
    return fuzz('oversized (16 KiB-4 MiB)', fc.record({ topic: anyTopic(), payload: size.map((n) => Buffer.alloc(n, '{"action":"next"}')) }), { runs: 60, batch: 3 });
  });

  it('deep JSON', () => {
    const nested = fc
      .record({ depth: fc.integer({ min: 1, max: 5000 }), open: fc.constantFrom('[', '{"a":'), key: fc.constantFrom('transaction', 'deadline', ...COMMAND_KEYS) })
      .map(({ depth, open, key }) => ({ key, value: `${open.repeat(depth)}1${(open === '[' ? ']' : '}').repeat(depth)}` }));
    return fuzz(
      'deep JSON (to 5000 levels)',
      fc.oneof(
        fc.record({ topic: fc.constantFrom(...topics.json, topics.get), payload: nested.map(({ key, value }) => Buffer.from(`{"${key}":${value}}`)) }),
        fc.record({ topic: fc.constantFrom(...topics.plain), payload: nested.map(({ value }) => Buffer.from(value)) }),
      ),
    );
  });

  it('wrong types', () =>
    fuzz(
      'wrong types',
      fc.record({
        topic: fc.constantFrom(...topics.json),
        payload: fc
          .dictionary(fc.constantFrom('transaction', 'deadline', ...COMMAND_KEYS), fc.anything({ maxDepth: 3 }).filter((v) => typeof v !== 'string' || v.length > 12), { minKeys: 1, maxKeys: 3 })
          .map((o) => Buffer.from(JSON.stringify(o))),
      }),
    ));

  it('numbers: NaN, Infinity, negative, huge, other notations', () => {
    const odd = fc.oneof(
      fc.constantFrom('NaN', 'Infinity', '-Infinity', '-1', '-0', '1e2', '0x1F', '1e308', '101', '-101', '9999999999999999', '1.5', '+-5', '٣٣', '５０', '\u00a050', '50abc'),
      fc.double().map(String),
      fc.integer({ min: -1e9, max: -1 }).map(String),
    );
    const numeric = ['volume', 'max_volume', 'seek'];
    return fuzz(
      'numbers (NaN, Infinity, negative, huge)',
      fc.oneof(
        fc.record({ topic: fc.constantFrom(...topics.plain.filter((t) => numeric.includes(t.split('/').at(-1)!))), payload: text(odd) }),
        fc.record({
          topic: fc.constantFrom(...topics.json),
          payload: fc.tuple(fc.constantFrom(...numeric), fc.oneof(odd, fc.double(), fc.constantFrom(-1, -0.5, 101, 1e308, -1e308))).map(([k, v]) => Buffer.from(JSON.stringify({ [k]: v }))),
        }),
      ),
    );
  });

  it('Unicode: payloads and topic levels', () => {
    // fast-check's own 'binary' unit would hold a table of every code point: 85 MB of this process's heap
    const codePoint = fc.integer({ min: 0, max: 0x10ffff }).map((c) => String.fromCodePoint(c));
    const unicode = fc.string({ unit: codePoint, maxLength: 40 });
    // a topic level may hold anything but / # + and what mosquitto takes for malformed UTF-8 (NUL and
    // other controls, lone surrogates, non-characters): for those it drops the publisher's connection
    const level = fc
      .string({ unit: codePoint, minLength: 1, maxLength: 12 })
      .filter((l) => !/[/#+\u0000-\u001f\u007f-\u009f]|\p{Cs}/u.test(l) && ![...l].some((c) => (c.codePointAt(0)! & 0xfffe) === 0xfffe));
    return fuzz(
      'Unicode',
      fc.oneof(
        fc.record({ topic: anyTopic(), payload: text(unicode) }),
        fc.record({ topic: fc.constantFrom(...topics.json), payload: fc.tuple(fc.constantFrom(...COMMAND_KEYS), unicode).map(([k, v]) => Buffer.from(JSON.stringify({ [k]: v }))) }),
        fc.record({ topic: fc.tuple(fc.constantFrom(...topics.json), level).map(([t, l]) => `${t}/${l}`), payload: text(unicode) }),
      ),
    );
  });

  it('after all of it: a good command still works', async () => {
    // the fuzz may have lowered the cap or muted by chance (valid inputs ran)
    for (const [key, value] of [['max_volume', '100'], ['mute', 'off'], ['volume', '30']]) {
      const [a] = await send([{ topic: `${s.topics.set}/${key}`, payload: Buffer.from(value!) }]);
      assert.equal(a?.ok, true, JSON.stringify(a));
    }
    await until(() => s.bridge.store.get().volume === 30, 5000, 'volume 30');
  });
});
