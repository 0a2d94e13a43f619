// ctl's MQTT side: one short-lived connection that remembers the latest message per topic, knows
// when the broker has delivered every retained message, and sends a command and waits for its answer.
import { randomBytes } from 'node:crypto';
import mqtt, { type IPublishPacket, type MqttClient } from 'mqtt';
import type { ResolvedConfig } from '../config/schema.js';
import { brokerAddress, brokerOptions, readFiles } from '../mqtt/options.js';
import { describeTrouble, refusedMqtt5 } from '../mqtt/refusal.js';
import { CtlError, EXIT } from './usage.js';

export interface Answer {
  ok: boolean;
  error?: string;
  command?: Record<string, unknown>;
  state?: unknown;
  /** get's answer: the bridge's info and clock */
  info?: unknown;
  time?: string;
}

type Listener = () => void;

export class CtlClient {
  readonly #latest = new Map<string, string>();
  readonly #listeners = new Set<Listener>();
  readonly #replies = new Map<string, (text: string) => void>();
  /** a private topic: the answers to MQTT 5 requests, and the markers of sync() */
  readonly #inbox: string;

  private constructor(
    private readonly client: MqttClient,
    cfg: ResolvedConfig,
    id: string,
    private readonly deadline: number,
  ) {
    this.#inbox = `${cfg.mqtt.base_topic}/ctl/${id}`;
    client.on('message', (topic, payload, packet) => this.#onMessage(topic, payload, packet));
  }

  static async connect(cfg: ResolvedConfig, timeoutMs: number): Promise<CtlClient> {
    const deadline = Date.now() + timeoutMs;
    const id = `librespot2mqtt_ctl_${randomBytes(6).toString('hex')}`;
    const { url, options: base, who } = brokerOptions(cfg);
    // never the bridge's client id: the broker would disconnect the bridge
    const options = { ...base, clientId: id, reconnectPeriod: 0, connectTimeout: timeoutMs };
    let client: MqttClient;
    try {
      Object.assign(options, readFiles(cfg));
      client = await mqtt.connectAsync({ ...brokerAddress(url), ...options }).catch((err: unknown) => {
        if (refusedMqtt5(err, options.protocolVersion)) return mqtt.connectAsync({ ...brokerAddress(url), ...options, protocolVersion: 4 });
        throw err;
      });
    } catch (err) {
      throw new CtlError(describeTrouble(err, { ...who, clientId: id, deviceId: undefined }).text, EXIT.broker);
    }
    const ctl = new CtlClient(client, cfg, id, deadline);
    await client.subscribeAsync(ctl.#inbox, { qos: 1 });
    return ctl;
  }

  /** Subscribes and returns once the broker has sent every retained message on `topics`. */
  async watch(topics: string[]): Promise<void> {
    await this.client.subscribeAsync(topics, { qos: 1 });
    // the broker sends retained messages right after the subscription, in order with what follows:
    // our own marker coming back means they are all here, without guessing a waiting time
    const marker = randomBytes(8).toString('hex');
    await this.#request(marker, () => this.client.publishAsync(this.#inbox, marker, { qos: 1 }), 'the broker');
  }

  latest(topic: string): string | undefined {
    return this.#latest.get(topic);
  }

  /** The latest message of every topic that `match` accepts. */
  all(match: (topic: string) => boolean): Array<[string, string]> {
    return [...this.#latest].filter(([topic]) => match(topic));
  }

  /** The time left before ctl gives up, in ms. */
  get remainingMs(): number {
    return Math.max(0, this.deadline - Date.now());
  }

  /**
   * Sends a JSON request on `topic` and returns the bridge's answer. With MQTT 5 the message expires
   * when ctl stops waiting, so a broker never hands it to the bridge later.
   */
  send(topic: string, body: Record<string, unknown>, responseTopic: string, device: string): Promise<Answer> {
    const token = randomBytes(8).toString('hex');
    const v5 = this.client.options.protocolVersion === 5;
    const publish = () =>
      v5
        ? this.client.publishAsync(topic, JSON.stringify(body), {
            qos: 1,
            properties: {
              responseTopic: this.#inbox,
              correlationData: Buffer.from(token),
              messageExpiryInterval: Math.max(1, Math.ceil(this.remainingMs / 1000)),
            },
          })
        : this.client.publishAsync(topic, JSON.stringify({ ...body, transaction: token }), { qos: 1 });
    // MQTT 3.1.1 has no response topic: the answer comes on the bridge's own, told apart by the transaction
    return (v5 ? Promise.resolve() : this.client.subscribeAsync(responseTopic, { qos: 1 }).then(() => undefined))
      .then(() => this.#request(token, publish, `bridge ${device}`))
      .then((text) => JSON.parse(text) as Answer);
  }

  /** Resolves when `ok` holds, checked now and after every message; rejects at the deadline. */
  until(ok: () => boolean, what: string): Promise<void> {
    return new Promise((resolve, reject) => {
      const check = () => {
        if (!ok()) return;
        done();
        resolve();
      };
      const timer = setTimeout(() => (done(), reject(this.#timeout(what))), Math.max(0, this.deadline - Date.now()));
      const done = () => (clearTimeout(timer), this.#listeners.delete(check));
      this.#listeners.add(check);
      check();
    });
  }

  /** Removes retained messages from the broker (an empty retained message deletes one). */
  async clear(topics: string[]): Promise<void> {
    await Promise.all(topics.map((t) => this.client.publishAsync(t, '', { qos: 1, retain: true })));
  }

  close(): Promise<void> {
    return this.client.endAsync();
  }

  #request(token: string, publish: () => Promise<unknown>, from: string): Promise<string> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => (this.#replies.delete(token), reject(this.#timeout(`an answer from ${from}`))), Math.max(0, this.deadline - Date.now()));
      this.#replies.set(token, (text) => (clearTimeout(timer), this.#replies.delete(token), resolve(text)));
      publish().catch((err: Error) => (clearTimeout(timer), this.#replies.delete(token), reject(new CtlError(`publishing failed: ${err.message}`, EXIT.broker))));
    });
  }

  #timeout(what: string): CtlError {
    return new CtlError(`timed out waiting for ${what}`, EXIT.timeout);
  }

  #onMessage(topic: string, payload: Buffer, packet: IPublishPacket): void {
    const text = payload.toString('utf8');
    if (topic === this.#inbox) {
      const token = packet.properties?.correlationData?.toString() ?? text;
      this.#replies.get(token)?.(text);
      return;
    }
    const transaction = transactionOf(text);
    if (transaction !== undefined) this.#replies.get(transaction)?.(text);
    this.#latest.set(topic, text);
    for (const l of this.#listeners) l();
  }
}

function transactionOf(text: string): string | undefined {
  if (!text.startsWith('{')) return undefined;
  try {
    const t = (JSON.parse(text) as { transaction?: unknown }).transaction;
    return typeof t === 'string' ? t : undefined;
  } catch {
    return undefined;
  }
}
