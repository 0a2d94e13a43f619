// A broker that stops answering (SIGSTOP) while the bridge keeps publishing: the messages waiting
// for an acknowledgement stay bounded, and once the broker answers again every retained topic
// ends at its latest value (issue 19: a bounded queue).
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { resolveConfig } from '../bridge/config/load.js';
import { Connection, MAX_IN_FLIGHT } from '../bridge/mqtt/connection.js';
import { startBroker, type TestBroker } from './helpers/broker.js';
import { Watcher } from './helpers/mqtt.js';
import { captureLog, until } from './helpers/setup.js';

describe('a stalled broker', () => {
  let broker: TestBroker;
  let w: Watcher;
  let c: Connection;

  before(async () => {
    broker = await startBroker();
    const cfg = resolveConfig({ mqtt: { url: broker.url }, device: { id: 'backlog' }, mixer: { backend: 'none' }, state_file: join(mkdtempSync(join(tmpdir(), 'l2m-state-')), 'state.json') });
    c = new Connection({ cfg, log: captureLog().log, will: { topic: 'backlog/availability', payload: 'offline' }, subscriptions: [], onConnect() {}, onMessage() {} });
    w = await Watcher.connect(broker.url, ['backlog/#']);
    await until(() => c.connected, 10_000, 'connected');
  });

  after(async () => {
    if (broker.pid) process.kill(broker.pid, 'SIGCONT');
    await c.close();
    await w.close();
    await broker.close();
  });

  it('holds at most MAX_IN_FLIGHT messages, and delivers the latest retained value once it answers again', async () => {
    assert.ok(broker.pid, 'a mosquitto process to stall');
    const n = MAX_IN_FLIGHT * 3;
    process.kill(broker.pid, 'SIGSTOP');
    let most = 0;
    for (let i = 1; i <= n; i++) {
      c.publish('backlog/state', `state ${i}`);
      c.publish('backlog/event', `event ${i}`, { retain: false });
      most = Math.max(most, c.inFlight);
    }
    assert.ok(most <= MAX_IN_FLIGHT, `${most} messages in flight`);
    process.kill(broker.pid, 'SIGCONT');
    await w.wait('backlog/state', (m) => m.text === `state ${n}`, 30_000);
    // sent in order on one connection: every event kept arrived before the held state
    const events = w.messages.filter((m) => m.topic === 'backlog/event').length;
    assert.ok(events > 0 && events <= MAX_IN_FLIGHT, `${events} of ${n} events were kept while the broker was stalled`);
  });
});
