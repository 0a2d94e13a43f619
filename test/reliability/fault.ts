// What the fault tests share: a fault repeated, its worst recovery and what was lost recorded as one
// row, and what a subscriber that connects now (Home Assistant after a restart) must find retained.
import assert from 'node:assert/strict';
import { discoveryPayload } from '../../bridge/ha/discovery.js';
import { availabilityPayload, statePayload } from '../../bridge/mqtt/payloads.js';
import { retained } from '../helpers/mqtt.js';
import type { Speaker } from '../helpers/setup.js';
import { record } from './report.js';

export interface Outcome {
  /** from the end of the fault to the bridge being whole again */
  recoveredMs: number;
  /** what a subscriber should have had and did not (messages, retained topics wrong after recovery), one line each */
  lost: string[];
}

/** Runs `once` `repetitions` times one after the other; records the row, then asserts nothing was lost. */
export async function repeatFault(fault: string, repetitions: number, once: (rep: number) => Promise<Outcome>): Promise<void> {
  const outcomes: Outcome[] = [];
  for (let rep = 0; rep < repetitions; rep++) outcomes.push(await once(rep));
  const lost = outcomes.flatMap((o) => o.lost);
  record({ section: 'fault', fault, repetitions, worstRecoveryMs: Math.round(Math.max(...outcomes.map((o) => o.recoveredMs))), messagesLost: lost.length });
  assert.deepEqual(lost, [], `${fault}: lost`);
}

/** The retained topics as the bridge should have them now, from its own store. */
export function expectedRetained(s: Speaker): Map<string, string> {
  const t = s.topics;
  const st = s.bridge.store.get();
  return new Map([
    [t.availability, availabilityPayload(true)],
    [t.discovery, JSON.stringify(discoveryPayload(s.cfg, t))],
    [t.needs.librespot, availabilityPayload(st.librespot)],
    [t.needs.mixer, availabilityPayload(st.mixer)],
    [t.state, JSON.stringify(statePayload(st))],
  ]);
}

/** The expected retained topics a fresh subscriber finds missing or different, each counted once. */
export async function wrongRetained(s: Speaker): Promise<string[]> {
  const expected = expectedRetained(s);
  const seen = await retained(s.broker.url, [...expected.keys()]);
  const last = new Map(seen.map((m) => [m.topic, m.text]));
  return [...expected].filter(([topic, text]) => last.get(topic) !== text).map(([topic]) => `${topic}: ${last.get(topic)?.slice(0, 200) ?? 'missing'}`);
}
