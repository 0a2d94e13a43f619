// The broker goes away (killed, or stopped cleanly) and comes back without the retained messages
// (no persistence): the bridge reconnects with backoff and republishes discovery, then the newest
// state; nothing it changed meanwhile is replayed stale, and it never says it is offline.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { on } from '../helpers/mqtt.js';
import { sleep, startSpeaker, until, type Speaker } from '../helpers/setup.js';
import { repeatFault, expectedRetained, wrongRetained } from './fault.js';

const REPETITIONS = 3;
/** state changes while the broker is away: none may be queued for later */
const CHANGES_WHILE_DOWN = 50;
/** more than the connection keeps unacknowledged (MAX_IN_FLIGHT) */
const CHANGES_WHILE_STALLED = 1500;
/** generous: the backoff (1 s, 2 s, 4 s … ±25 %) may be well on its way when the broker returns */
const RECOVERY_TIMEOUT_MS = 60_000;

let s: Speaker;
before(async () => (s = await startSpeaker()));
after(() => s?.close());

/** The speaker moves on while the broker is away: seeks a few ms apart (each one a state the bridge
 * publishes, not one coalesced change), then a volume change. (No skip: the new track's own events
 * could land after the seeks on a loaded machine.) */
async function changeWhileDown(rep: number, changes = CHANGES_WHILE_DOWN): Promise<void> {
  for (let i = 0; i < changes; i++) {
    s.emulator.appSeek(1000 + i);
    await sleep(2);
  }
  const volume = 10 + ((rep * 17) % 80);
  s.emulator.appVolume(volume);
  await until(() => {
    const st = s.bridge.store.get();
    return st.spotify_volume === volume && st.position_ms === 1000 + changes - 1;
  }, 20_000, 'the bridge taking in the changes');
}

/** 'hung-kill': the broker stalls while the states pile up unacknowledged, then it is killed */
async function outage(how: 'kill' | 'term' | 'hung-kill', rep: number) {
  const t = s.topics;
  const mark = s.watcher.mark();
  const logMark = s.logs.lines.length;
  if (how === 'hung-kill') {
    process.kill(s.broker.pid!, 'SIGSTOP');
    await changeWhileDown(rep, CHANGES_WHILE_STALLED);
    await s.broker.stop('kill');
  } else {
    await s.broker.stop(how);
    await changeWhileDown(rep);
  }
  // down long enough for the bridge to knock and be refused, as a real restart is: a broker back
  // within the first retry looks like another client taking our client id (see KICKS_FOR_TAKEOVER)
  await until(() => s.logs.lines.slice(logMark).some((l) => l.problem === 'unreachable' || /\(still; next attempt/.test(l.msg)), 30_000, 'a refused attempt');
  const expected = expectedRetained(s);
  await s.broker.start();
  const t0 = Date.now();
  // the subscriber reconnects by itself (every 200 ms) and sees what the bridge publishes
  const arrivals = await Promise.all(
    [t.availability, t.discovery, t.state].map((topic) => s.watcher.wait(topic, (m) => m.text === expected.get(topic), RECOVERY_TIMEOUT_MS, mark)),
  );
  const recoveredMs = Math.max(...arrivals.map((m) => m.at)) - t0;
  const wrong = await wrongRetained(s);
  // the bridge never went away: once the broker is back, it must never say so (a broker that is
  // stopped cleanly hands out the last wills of its clients as it goes: that "offline" is true then)
  assert.deepEqual([...new Set(on(s.watcher, t.availability, mark).filter((m) => m.at >= t0).map((m) => m.text))], ['online']);
  // one discovery message per reconnect: Home Assistant must not see the entities twice
  assert.equal(on(s.watcher, t.discovery, mark).length, 1, 'one discovery message');
  // nothing queued while the broker was away arrives now: every state after it returned is the newest
  const stale = on(s.watcher, t.state, mark).filter((m) => m.text !== expected.get(t.state));
  assert.equal(stale.length, 0, `stale states replayed: ${stale.map((m) => m.text.slice(0, 120)).join('\n')}`);
  return { recoveredMs, lost: wrong };
}

/** The broker stops answering for a moment (SIGSTOP) while states are published, then goes on:
 * what it holds arrives in order, so the newest state is the one retained. */
async function stall(rep: number) {
  const t = s.topics;
  const pid = s.broker.pid;
  assert.ok(pid, 'a mosquitto process to stall');
  const mark = s.watcher.mark();
  process.kill(pid, 'SIGSTOP');
  try {
    await changeWhileDown(rep);
  } finally {
    process.kill(pid, 'SIGCONT');
  }
  const t0 = Date.now();
  const expected = expectedRetained(s);
  const newest = await s.watcher.wait(t.state, (m) => m.text === expected.get(t.state), RECOVERY_TIMEOUT_MS, mark);
  assert.deepEqual(on(s.watcher, t.availability, mark), [], 'no availability message: the bridge never went away');
  return { recoveredMs: newest.at - t0, lost: await wrongRetained(s) };
}

describe('fault: the MQTT broker goes away and comes back', () => {
  it('killed (SIGKILL), restarted', () => repeatFault('broker killed (SIGKILL), restarted', REPETITIONS, (rep) => outage('kill', rep)));
  it(`stalled (SIGSTOP) while ${CHANGES_WHILE_DOWN} states are published, resumed`, () =>
    repeatFault(`broker stalled (SIGSTOP) during ${CHANGES_WHILE_DOWN} state changes, resumed`, REPETITIONS, stall));
  it(`hung (SIGSTOP) during ${CHANGES_WHILE_STALLED} state changes, then killed and restarted`, () =>
    repeatFault(`broker hung during ${CHANGES_WHILE_STALLED} state changes, killed, restarted`, REPETITIONS, (rep) => outage('hung-kill', rep)));
  it('stopped cleanly (SIGTERM), restarted', () => repeatFault('broker stopped cleanly (SIGTERM), restarted', REPETITIONS, (rep) => outage('term', rep)));
});
