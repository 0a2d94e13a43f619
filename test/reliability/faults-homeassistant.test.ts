// Home Assistant restarts: it says "offline", then "online" on its status topic; the bridge answers
// the "online" with discovery first, then the state that refers to it, once.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { on } from '../helpers/mqtt.js';
import { startSpeaker, type Speaker } from '../helpers/setup.js';
import { expectedRetained, repeatFault, type Outcome } from './fault.js';

const REPETITIONS = 3;

let s: Speaker;
before(async () => (s = await startSpeaker()));
after(() => s?.close());

async function restart(): Promise<Outcome> {
  const t = s.topics;
  const mark = s.watcher.mark();
  await s.watcher.publish(t.haStatus, 'offline');
  await s.watcher.publish(t.haStatus, 'online');
  const t0 = Date.now();
  const lost: string[] = [];
  for (const topic of [t.availability, t.discovery, t.state])
    await s.watcher.wait(topic, (m) => m.text === expectedRetained(s).get(topic), 10_000, mark).catch(() => lost.push(`${topic}: not republished`));
  const seen = s.watcher.messages.slice(mark);
  const discovery = seen.findIndex((m) => m.topic === t.discovery);
  const state = seen.findIndex((m, i) => i > discovery && m.topic === t.state);
  assert.ok(discovery >= 0 && state > discovery, 'the state again after discovery, which it refers to');
  assert.equal(on(s.watcher, t.discovery, mark).length, 1, 'one discovery message');
  return { recoveredMs: (seen[state]?.at ?? t0) - t0, lost };
}

describe('fault: Home Assistant restarts', () => {
  it('homeassistant/status offline → online: discovery, then the state', () => repeatFault('Home Assistant restarted (status offline → online)', REPETITIONS, restart));
});
