// An accelerated day: 200,000 go-librespot events (through the emulator's event stream) and 20,000
// MQTT commands (through mosquitto) into one running bridge, fed as fast as it takes them. After a
// warm-up, the heap after GC grows by less than 2 MB, and the event listeners and the active handles
// and timers are the same in number before and after. RSS is recorded, not asserted: it is this
// whole process's (the emulator and the test's MQTT clients too), and glibc's malloc keeps what it freed.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { EventEmitter } from 'node:events';
import mqtt, { type MqttClient } from 'mqtt';
import { startSpeaker, until, type Speaker } from '../helpers/setup.js';
import { grew, settledMemory } from '../helpers/memory.js';
import { record } from './report.js';

const EVENTS = Number(process.env.L2M_SOAK_EVENTS ?? 200_000);
const COMMANDS = Number(process.env.L2M_SOAK_COMMANDS ?? 20_000);
const ROUNDS = 20;
const WINDOW = 100;

// every emitter that was ever given a listener, to count the listeners alive at any moment
const emitters = new Set<WeakRef<EventEmitter>>();
const seen = new WeakSet<EventEmitter>();
for (const name of ['on', 'addListener', 'prependListener', 'once', 'prependOnceListener'] as const) {
  const original = EventEmitter.prototype[name];
  EventEmitter.prototype[name] = function (this: EventEmitter, ...args: Parameters<typeof original>) {
    if (!seen.has(this)) (seen.add(this), emitters.add(new WeakRef(this)));
    return original.apply(this, args);
  };
}
/** The listeners alive now; forgets the emitters that are gone (the count's own memory must not grow). */
const listeners = () => {
  let n = 0;
  for (const ref of emitters) {
    const e = ref.deref();
    if (e) for (const name of e.eventNames()) n += e.listenerCount(name);
    else emitters.delete(ref);
  }
  return n;
};
// an Immediate runs at the next turn of the loop and cannot pile up: whether one is pending at the
// moment of counting says nothing about a leak (the clean CI run caught one in flight)
const resources = () => {
  const tally: Record<string, number> = {};
  for (const r of process.getActiveResourcesInfo()) if (r !== 'Immediate') tally[r] = (tally[r] ?? 0) + 1;
  return tally;
};

/** After a GC (emitters that are garbage have no listeners to count), then memory without the dead references. */
async function measure() {
  await settledMemory();
  const counts = { listeners: listeners(), resources: resources() };
  return { ...counts, memory: await settledMemory() };
}

let s: Speaker;
let client: MqttClient;
const answers = new Set<string>();
let next = 0;
let marker = 0;

before(async () => {
  // go-librespot's default timeout: the emulator shares this process and its CPU with the day's load
  s = await startSpeaker({ config: { librespot: { timeout_ms: 5000 } } });
  await until(() => s.logs.has(/^connected to go-librespot$/), 10_000, 'the event stream open');
  client = await mqtt.connectAsync(s.broker.url, { protocolVersion: 5, reconnectPeriod: 0 });
  client.on('message', (_t, _p, packet) => {
    const id = packet.properties?.correlationData?.toString();
    if (id) answers.add(id);
  });
  await client.subscribeAsync(s.topics.response, { qos: 1 });
});
after(async () => {
  await client?.endAsync(true);
  await s?.close();
});

/** What a day brings from go-librespot: seeks, volume, pause and resume, shuffle, now and then a new track. */
function eventFrame(i: number): string {
  const ref = { uri: 'spotify:track:soak', context_uri: 'spotify:playlist:soak', play_origin: 'soak' };
  switch (i % 8) {
    case 0:
      return JSON.stringify({ type: 'seek', data: { ...ref, position: i % 200_000, duration: 200_000 } });
    case 1:
      return JSON.stringify({ type: 'volume', data: { value: i % 65_536, max: 65_535 } });
    case 2:
      return JSON.stringify({ type: 'paused', data: ref });
    case 3:
      return JSON.stringify({ type: 'playing', data: { ...ref, resume: true } });
    case 4:
      return JSON.stringify({ type: 'shuffle_context', data: { value: i % 16 === 4 } });
    case 5:
      return JSON.stringify({ type: 'will_play', data: ref });
    case 6:
      return JSON.stringify({ type: 'not_playing', data: ref });
    default:
      // a session or track change: the bridge reads /status again
      return JSON.stringify({ type: i % 400 === 7 ? 'metadata' : 'seek', data: i % 400 === 7 ? s.emulator.status()!.track : { ...ref, position: 0, duration: 200_000 } });
  }
}

/** What a day brings over MQTT: the dashboard, automations and scripts, and some mistakes. */
function command(i: number): [string, string] {
  const t = s.topics;
  const all: Array<[string, string]> = [
    [`${t.set}/volume`, String(i % 101)],
    [t.get, ''],
    [`${t.set}/max_volume`, String(60 + (i % 41))],
    [t.set, JSON.stringify({ shuffle: 'toggle', transaction: i })],
    [`${t.set}/action`, i % 2 ? 'pause' : 'play'],
    [`${t.set}/volume`, 'loud'],
    [t.set, '{"louder":1}'],
    [`${t.set}/seek`, '+5'],
    [`${t.groupSet}/mute`, i % 2 ? 'on' : 'off'],
    [t.get, '{"transaction":1}'],
  ];
  return all[i % all.length]!;
}

async function events(n: number): Promise<void> {
  for (let i = 0; i < n; i++) {
    s.emulator.sendFrame(eventFrame(next++));
    // the emulator's socket is in this process too: let the bridge read as the day goes on
    if (i % 2000 === 1999) await settle();
  }
  await settle();
}

/** A playback error no other event names: once the state shows it, every event before it was handled.
 * Sent again while it is not seen: frames sent while the bridge reconnects are lost, as with go-librespot. */
async function settle(): Promise<void> {
  const deadline = Date.now() + 120_000;
  for (;;) {
    const message = `marker ${marker++}`;
    s.emulator.sendFrame(JSON.stringify({ type: 'playback_error', data: { uri: '', play_origin: 'soak', stage: 'soak', kind: 'network', unplayable: false, message } }));
    const seen = await until(() => s.bridge.store.get().last_error?.message === message, 5000).then(() => true, () => false);
    if (seen) return;
    if (Date.now() > deadline) throw new Error('the bridge stopped taking events');
  }
}

async function commands(n: number): Promise<void> {
  for (let done = 0; done < n; done += WINDOW) {
    answers.clear();
    const ids: string[] = [];
    for (let i = done; i < Math.min(n, done + WINDOW); i++) {
      const id = String(next++);
      ids.push(id);
      const [topic, payload] = command(i);
      await client.publishAsync(topic, payload, { qos: 1, properties: { correlationData: Buffer.from(id) } });
    }
    await until(() => ids.every((id) => answers.has(id)), 60_000, `the answers to commands ${done}…`);
  }
}

/** A day's part: events and commands together, then what the test itself held is let go. */
async function round(eventCount: number, commandCount: number): Promise<void> {
  await Promise.all([events(eventCount), commands(commandCount)]);
  s.logs.lines.length = 0;
  s.watcher.messages.length = 0;
  s.emulator.requests.length = 0;
  listeners();
}

describe('soak: an accelerated day', () => {
  it(`${EVENTS} player events and ${COMMANDS} commands: memory, listeners and handles stay where they were`, async () => {
    // warm-up: code compiled, caches filled, every path taken once
    await round(EVENTS / ROUNDS, COMMANDS / ROUNDS);
    const start = await measure();
    for (let r = 0; r < ROUNDS; r++) await round(EVENTS / ROUNDS, COMMANDS / ROUNDS);
    // timers and sockets of the last commands (HTTP calls, their timeouts) end by themselves
    await until(() => JSON.stringify(resources()) === JSON.stringify(start.resources), 20_000, `handles and timers as before: ${JSON.stringify(start.resources)}`).catch(() => {});
    const end = await measure();
    const g = grew(start.memory, end.memory);
    const leaks = `listeners ${start.listeners} → ${end.listeners}; handles/timers ${JSON.stringify(start.resources)} → ${JSON.stringify(end.resources)}`;
    record({ section: 'soak', what: `${EVENTS} player events + ${COMMANDS} commands`, count: EVENTS + COMMANDS, rssGrowthMB: g.rssMB, heapGrowthMB: g.heapMB, leaks });
    assert.ok(g.heapMB < 2, `heap after GC grew ${g.heapMB.toFixed(2)} MB`);
    assert.equal(end.listeners, start.listeners, 'listeners');
    assert.deepEqual(end.resources, start.resources, 'handles and timers');
  });
});
