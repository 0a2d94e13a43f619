// The MQTT client: connection options from the config, the last will, and the one publish path
// that skips retained values the broker already has from us.
import { readFileSync } from 'node:fs';
import mqtt, { type IClientOptions, type IPublishPacket, type MqttClient } from 'mqtt';
import type { ResolvedConfig } from '../config/schema.js';
import type { Logger } from '../log.js';

export type MessageHandler = (topic: string, payload: Buffer, packet: IPublishPacket) => void;

export interface ConnectionOptions {
  cfg: ResolvedConfig;
  log: Logger;
  will: { topic: string; payload: string };
  subscriptions: string[];
  onConnect(): void;
  onMessage: MessageHandler;
}

/** The broker's address as options: given the URL itself, MQTT.js reads it with url.parse(), which
 * Node 24 (Alpine 3.24) warns about on every start (DEP0169). */
function brokerAddress(url: string): IClientOptions {
  const u = new URL(url);
  const userinfo = (part: string) => (part ? decodeURIComponent(part) : undefined);
  return {
    protocol: u.protocol.slice(0, -1) as IClientOptions['protocol'],
    host: u.hostname.replace(/^\[(.*)\]$/, '$1'),
    port: u.port ? Number(u.port) : undefined,
    // ws:// and wss:// only
    path: `${u.pathname}${u.search}`,
    username: userinfo(u.username),
    password: userinfo(u.password),
  };
}

/** Everything MQTT.js needs to connect: mqtt.connect(clientOptions(cfg)). */
export function clientOptions(cfg: ResolvedConfig, will?: { topic: string; payload: string }): IClientOptions {
  const { mqtt: m } = cfg;
  const file = (path: string | undefined) => (path ? readFileSync(path) : undefined);
  const address = brokerAddress(m.url);
  return {
    ...address,
    clientId: m.client_id ?? `librespot2mqtt_${cfg.device.id}`,
    username: m.username ?? address.username,
    password: m.password ?? address.password,
    protocolVersion: m.protocol_version,
    keepalive: m.keepalive,
    reconnectPeriod: 2000,
    connectTimeout: 10_000,
    // everything that matters is republished on reconnect: queueing while offline only costs memory
    queueQoSZero: false,
    ca: file(m.tls.ca),
    cert: file(m.tls.cert),
    key: file(m.tls.key),
    rejectUnauthorized: m.tls.reject_unauthorized,
    will: will && { topic: will.topic, payload: Buffer.from(will.payload), qos: 1, retain: true },
  };
}

/** The broker's CONNACK for a protocol version it does not speak (3.1.1 code 1, MQTT 5 code 0x84). */
export const refusedMqtt5 = (err: unknown, opts: IClientOptions) =>
  opts.protocolVersion === 5 && [1, 0x84].includes((err as { code?: unknown }).code as number);

/** How long one run of incoming messages may hold the event loop before it yields. */
const SLICE_MS = 10;

export class Connection {
  readonly client: MqttClient;
  readonly #retained = new Map<string, string>();
  #everConnected = false;
  #closing = false;

  constructor(private readonly opts: ConnectionOptions) {
    const { cfg, log } = opts;
    this.client = mqtt.connect(clientOptions(cfg, opts.will));
    this.client.on('connect', () => {
      // small messages that matter now: Nagle's algorithm would hold them for up to 40 ms
      (this.client.stream as { setNoDelay?: (on: boolean) => void }).setNoDelay?.(true);
      log.info({ url: cfg.mqtt.url }, this.#everConnected ? 'reconnected to the MQTT broker' : 'connected to the MQTT broker');
      this.#everConnected = true;
      // the broker may have lost our retained messages (restart without persistence)
      this.#retained.clear();
      // MQTT 5: keep the retain flag on live messages too, so a retained command is refused at once
      // (not run now and refused only after the next reconnect)
      const rap = this.client.options.protocolVersion === 5 ? { rap: true } : {};
      this.client.subscribe(opts.subscriptions, { qos: 1, ...rap }, (err) => {
        if (err) log.error(`subscribing to ${opts.subscriptions.join(', ')} failed: ${err.message}`);
      });
      opts.onConnect();
    });
    this.client.on('message', (topic, payload, packet) => {
      if (!this.#closing) opts.onMessage(topic, payload, packet);
    });
    // MQTT.js handles every message of a socket read in one go: after a flood that is seconds with no
    // room for SIGTERM or a timer. Yielding keeps them prompt; the socket is still read only as fast
    // as messages are handled.
    let slice = performance.now();
    this.client.handleMessage = (_packet, done) => {
      if (performance.now() - slice < SLICE_MS) return done();
      setImmediate(() => {
        slice = performance.now();
        done();
      });
    };
    this.client.on('error', (err) => {
      if (refusedMqtt5(err, this.client.options)) {
        // older brokers (and aedes) speak 3.1.1 only: MQTT.js reconnects with what options say
        log.warn(`the MQTT broker at ${cfg.mqtt.url} does not speak MQTT 5: using 3.1.1 (mqtt.protocol_version: 4 says so from the start)`);
        this.client.options.protocolVersion = 4;
        return;
      }
      log.error(`MQTT ${cfg.mqtt.url}: ${err.message}`);
    });
    this.client.on('offline', () => log.warn(`MQTT broker ${cfg.mqtt.url} is not reachable: retrying every 2 s`));
  }

  get connected(): boolean {
    return this.client.connected;
  }

  /** Retained values are sent only when they differ from what this connection last sent. */
  publish(topic: string, payload: string, opts: { retain: boolean; force?: boolean } = { retain: true }): void {
    if (!this.client.connected) return;
    if (opts.retain) {
      if (!opts.force && this.#retained.get(topic) === payload) return;
      this.#retained.set(topic, payload);
    }
    this.client.publish(topic, payload, { qos: 1, retain: opts.retain }, (err) => {
      if (err) {
        this.#retained.delete(topic);
        this.opts.log.warn(`publishing ${topic} failed: ${err.message}`);
      }
    });
  }

  /** A reply that may carry MQTT 5 properties (correlation data). */
  reply(topic: string, payload: string, properties?: IPublishPacket['properties']): void {
    if (this.client.connected) this.client.publish(topic, payload, { qos: 1, retain: false, properties });
  }

  /** Says `finalWords` (retained) and disconnects, within `withinMs` whatever the broker does: a broker
   * that does not acknowledge (stalled, overloaded, gone) gets a dropped connection, and its copy of
   * the last will says the same words. */
  async close(finalWords?: { topic: string; payload: string }, withinMs = 1000): Promise<void> {
    this.#closing = true;
    const clean = (async () => {
      if (finalWords && this.client.connected)
        await this.client.publishAsync(finalWords.topic, finalWords.payload, { qos: 1, retain: true }).catch(() => undefined);
      await this.client.endAsync();
      return 'clean' as const;
    })().catch(() => 'clean' as const);
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<'late'>((resolve) => (timer = setTimeout(resolve, withinMs, 'late')));
    const how = await Promise.race([clean, late]);
    clearTimeout(timer);
    if (how === 'late') {
      this.opts.log.warn(`the MQTT broker did not confirm within ${withinMs} ms: dropping the connection (its last will says the same)`);
      this.client.end(true);
      this.client.stream?.destroy();
    }
  }
}
