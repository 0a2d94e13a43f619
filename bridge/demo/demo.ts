// `librespot2mqtt demo`: the real bridge against the built-in go-librespot emulator and, unless
// a broker is given, an embedded one; prints what to type to watch and drive it.
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Logger } from '../log.js';
import { resolveConfig } from '../config/load.js';
import { startBridge, type Bridge } from '../bridge.js';
import { topicsFor } from '../ha/topics.js';
import { LibrespotEmulator } from '../emulator/emulator.js';
import { maskUrls, withoutCredentials } from '../mask-url.js';
import { startEmbeddedBroker, type EmbeddedBroker } from './broker.js';

export interface DemoOptions {
  mqttUrl?: string;
  deviceId?: string;
  trackSeconds?: number;
  log: Logger;
  print(line: string): void;
}

export interface Demo {
  mqttUrl: string;
  bridge: Bridge;
  emulator: LibrespotEmulator;
  stop(): Promise<void>;
}

export async function startDemo(opts: DemoOptions): Promise<Demo> {
  const emulator = await LibrespotEmulator.start({ autoAdvance: true, trackDurationMs: (opts.trackSeconds ?? 30) * 1000 });
  let broker: EmbeddedBroker | undefined;
  let mqttUrl = opts.mqttUrl;
  if (!mqttUrl) {
    broker = await startEmbeddedBroker('127.0.0.1', 1883);
    mqttUrl = `mqtt://127.0.0.1:${broker.port}`;
  }
  const cfg = resolveConfig({
    // aedes speaks MQTT 3.1.1 only
    mqtt: { url: mqttUrl, ...(broker ? { protocol_version: 4 as const } : {}) },
    librespot: { url: emulator.url },
    device: { id: opts.deviceId ?? 'demo', name: 'librespot2mqtt demo' },
    // no sound card in the demo: the volume entities drive the simulated go-librespot's volume
    mixer: { backend: 'none' },
    state_file: join(tmpdir(), `librespot2mqtt-demo-${process.pid}.json`),
  });
  const bridge = await startBridge(cfg, opts.log);
  const t = topicsFor(cfg);
  const u = new URL(mqttUrl);
  const { username, password } = withoutCredentials(mqttUrl);
  // the password is the user's to type: it is never printed
  const login = `${username ? ` -u '${username}'` : ''}${password ? ' -P "$MQTT_PASSWORD"' : ''}`;
  const hp = `-h ${u.hostname} -p ${u.port || 1883}${login}`;
  for (const line of [
    `librespot2mqtt demo: the bridge (device.id "${cfg.device.id}") runs against a simulated go-librespot (${emulator.url}) that plays a playlist,`,
    `  with ${broker ? 'an embedded' : 'your'} MQTT broker at ${maskUrls(mqttUrl)}.`,
    '',
    ...(password ? ['In the lines below, $MQTT_PASSWORD stands for the password in --mqtt-url (export MQTT_PASSWORD=…).', ''] : []),
    'Watch everything the bridge publishes (Home Assistant discovery, state, events):',
    `  mosquitto_sub ${hp} -v -t '${t.base}/#' -t '${t.discovery}'`,
    'Drive it:',
    `  mosquitto_pub ${hp} -t ${t.set}/action -m next`,
    `  mosquitto_pub ${hp} -t ${t.set}/action -m pause`,
    `  mosquitto_pub ${hp} -t ${t.set}/shuffle -m toggle`,
    `  mosquitto_pub ${hp} -t ${t.set}/volume -m 30`,
    `  mosquitto_pub ${hp} -t ${t.set} -m '{"play_uri":"${emulator.catalogue.albums[0]!.uri}","transaction":"t1"}'`,
    `  mosquitto_sub ${hp} -v -t ${t.response}     # the answers to commands`,
    'The bridge logs warnings only; add --log-level info to see everything. Stop with Ctrl-C.',
  ])
    opts.print(line);
  return {
    mqttUrl,
    bridge,
    emulator,
    async stop() {
      await bridge.stop();
      await emulator.close();
      await broker?.close();
    },
  };
}
