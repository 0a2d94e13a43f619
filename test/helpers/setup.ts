// One speaker under test: a private broker, the go-librespot emulator, the bridge, and a
// subscriber that sees what Home Assistant would see.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { createLogger } from '../../bridge/log.js';
import { resolveConfig } from '../../bridge/config/load.js';
import { merge } from '../../bridge/config/env.js';
import { startBridge, type Bridge } from '../../bridge/bridge.js';
import { topicsFor, type Topics } from '../../bridge/ha/topics.js';
import type { ResolvedConfig } from '../../bridge/config/schema.js';
import { LibrespotEmulator, type EmulatorOptions } from '../../bridge/emulator/emulator.js';
import { startBroker, type TestBroker } from './broker.js';
import { Watcher } from './mqtt.js';
import { WAIT_MS } from './patience.js';
import { statePayload } from '../../bridge/mqtt/payloads.js';

export interface LogLine {
  level: number;
  msg: string;
  [k: string]: unknown;
}

export function captureLog() {
  const lines: LogLine[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _enc, done) {
      for (const l of chunk.toString().split('\n').filter(Boolean)) lines.push(JSON.parse(l) as LogLine);
      done();
    },
  });
  return { lines, log: createLogger('debug', stream), has: (re: RegExp) => lines.some((l) => re.test(l.msg)) };
}

export interface Speaker {
  broker: TestBroker;
  emulator: LibrespotEmulator;
  bridge: Bridge;
  watcher: Watcher;
  topics: Topics;
  cfg: ResolvedConfig;
  logs: ReturnType<typeof captureLog>;
  /** the latest retained state the subscriber saw */
  state(): Record<string, any>;
  close(): Promise<void>;
}

export async function startSpeaker(opts: { emulator?: EmulatorOptions; config?: Record<string, unknown>; broker?: TestBroker } = {}): Promise<Speaker> {
  const broker = opts.broker ?? (await startBroker());
  const emulator = await LibrespotEmulator.start(opts.emulator);
  const cfg = resolveConfig(
    merge(
      {
        mqtt: { url: broker.url },
        librespot: { url: emulator.url, timeout_ms: 1000 },
        device: { id: 'test', name: 'Test speaker' },
        mixer: { backend: 'none' },
        state_file: join(mkdtempSync(join(tmpdir(), 'l2m-state-')), 'state.json'),
      },
      opts.config ?? {},
    ),
  );
  const topics = topicsFor(cfg);
  const watcher = await Watcher.connect(broker.url, [`${topics.base}/#`, topics.discovery]);
  const logs = captureLog();
  const bridge = await startBridge(cfg, logs.log);
  await watcher.wait(topics.availability, (m) => m.text === 'online');
  const speaker: Speaker = {
    broker,
    emulator,
    bridge,
    watcher,
    topics,
    cfg,
    logs,
    state: () => JSON.parse(watcher.messages.filter((m) => m.topic === topics.state).at(-1)?.text ?? '{}'),
    async close() {
      await bridge.stop();
      await watcher.close();
      // the one it has now: a test may have replaced a killed one
      await speaker.emulator.close();
      if (!opts.broker) await broker.close();
    },
  };
  return speaker;
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Polls `cond` every 10 ms until it is true; rejects with `what` after `timeoutMs`. */
export async function until(cond: () => boolean, timeoutMs = WAIT_MS, what = 'condition'): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!cond()) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(10);
  }
}


/** Waits until the speaker is quiet: what the bridge knows is what it last published, and nothing
 * more arrived for `quietMs` and at least 20 turns of the event loop (so a reply that was already
 * on its way in is handled, however slow the machine). A test that counts messages starts here, so
 * a late message of the test before is not counted as its own. */
export async function settle(s: Speaker, quietMs = 300): Promise<void> {
  const deadline = Date.now() + WAIT_MS;
  let seen = -1;
  let since = 0;
  let turns = 0;
  for (;;) {
    const published = JSON.stringify(s.state()) === JSON.stringify(statePayload(s.bridge.store.get()));
    if (s.watcher.messages.length !== seen || !published) [seen, since, turns] = [s.watcher.messages.length, Date.now(), 0];
    else if (++turns >= 20 && Date.now() - since >= quietMs) return;
    if (Date.now() > deadline) throw new Error(`the speaker did not settle within ${WAIT_MS} ms`);
    await sleep(10);
  }
}
