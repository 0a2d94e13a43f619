// `librespot2mqtt demo`: the real bridge against the built-in go-librespot emulator and, unless
// a broker is given, an embedded one; prints what to type to watch and drive it, then one line per
// thing that happens. On exit it takes its retained topics off the broker again.
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Logger } from '../log.js';
import { resolveConfig } from '../config/load.js';
import type { ResolvedConfig } from '../config/schema.js';
import { startBridge, type Bridge } from '../bridge.js';
import { topicsFor } from '../ha/topics.js';
import { LibrespotEmulator } from '../emulator/emulator.js';
import { startEmbeddedBroker, type EmbeddedBroker } from './broker.js';
import { banner } from './banner.js';
import { narrate } from './narrate.js';
import { clearRetained } from './clean.js';
import { maskUrls } from '../mask-url.js';

export interface DemoOptions {
  mqttUrl?: string;
  deviceId?: string;
  trackSeconds?: number;
  /** how long the simulated phone stays away after a stop */
  phoneAwayMs?: number;
  log: Logger;
  print(line: string): void;
}

export interface Demo {
  mqttUrl: string;
  cfg: ResolvedConfig;
  bridge: Bridge;
  emulator: LibrespotEmulator;
  stop(): Promise<void>;
}

export const DEMO_ID = 'demo';

export function demoConfig(mqttUrl: string, deviceId = DEMO_ID, embedded = false): ResolvedConfig {
  return resolveConfig({
    // aedes speaks MQTT 3.1.1 only
    mqtt: { url: mqttUrl, ...(embedded ? { protocol_version: 4 as const } : {}) },
    device: { id: deviceId, name: 'librespot2mqtt demo' },
    // no sound card in the demo: the volume entities drive the simulated go-librespot's volume
    mixer: { backend: 'none' },
    state_file: join(tmpdir(), `librespot2mqtt-demo-${process.pid}.json`),
  });
}

export async function startDemo(opts: DemoOptions): Promise<Demo> {
  const emulator = await LibrespotEmulator.start({ autoAdvance: true, metadataCache: true, trackDurationMs: (opts.trackSeconds ?? 30) * 1000 });
  let broker: EmbeddedBroker | undefined;
  let mqttUrl = opts.mqttUrl;
  if (!mqttUrl) {
    broker = await startEmbeddedBroker('127.0.0.1', 1883);
    mqttUrl = `mqtt://127.0.0.1:${broker.port}`;
  }
  const base = demoConfig(mqttUrl, opts.deviceId, broker !== undefined);
  const cfg = { ...base, librespot: { ...base.librespot, url: emulator.url } };
  const bridge = await startBridge(cfg, opts.log);
  for (const line of banner(cfg, emulator, broker !== undefined)) opts.print(line);
  const quiet = narrate(bridge.store, emulator, opts.print);
  // `stop` ends the Spotify session, as on a real speaker; the simulated phone then connects again
  let phone: NodeJS.Timeout | undefined;
  const away = opts.phoneAwayMs ?? 5000;
  const unwatch = bridge.store.subscribe((s, changed) => {
    if (!changed.has('session') || s.session || !s.librespot) return;
    opts.print(`the Spotify session ended: the simulated phone connects again in ${away / 1000} s`);
    clearTimeout(phone);
    phone = setTimeout(() => emulator.transferIn({ paused: true }), away);
  });
  return {
    mqttUrl,
    cfg,
    bridge,
    emulator,
    async stop() {
      clearTimeout(phone);
      unwatch();
      quiet();
      await bridge.stop();
      // an embedded broker takes everything with it
      if (!broker) await clearRetained(cfg, topicsFor(cfg)).catch((err: Error) => opts.print(`could not remove the demo's topics from the broker: ${err.message}`));
      await emulator.close();
      await broker?.close();
    },
  };
}

/** `demo --clean`: what a demo that could not stop (killed, crashed) left on the broker. */
export async function cleanDemo(mqttUrl = demoConfig('mqtt://127.0.0.1:1883').mqtt.url, deviceId?: string): Promise<string> {
  const cfg = demoConfig(mqttUrl, deviceId);
  const removed = await clearRetained(cfg, topicsFor(cfg));
  return removed.length === 0 ? `nothing of demo ${cfg.device.id} on ${maskUrls(mqttUrl)}` : `removed ${removed.length} retained topics of demo ${cfg.device.id} from ${maskUrls(mqttUrl)}`;
}
