// A test's MQTT client: remembers every message, and waits for the one a test expects.
import { randomUUID } from 'node:crypto';
import mqtt, { type MqttClient } from 'mqtt';
import { WAIT_MS } from './patience.js';

export interface Message {
  topic: string;
  text: string;
  retain: boolean;
  at: number;
}

export class Watcher {
  readonly messages: Message[] = [];
  #waiters = new Set<() => void>();

  private constructor(readonly client: MqttClient) {
    client.on('message', (topic, payload, packet) => {
      this.messages.push({ topic, text: payload.toString(), retain: packet.retain, at: Date.now() });
      for (const w of this.#waiters) w();
    });
  }

  static async connect(url: string, topics: string[], protocolVersion: 4 | 5 = 4): Promise<Watcher> {
    const client = await mqtt.connectAsync(url, { protocolVersion, reconnectPeriod: 200 });
    (client.stream as { setNoDelay?: (on: boolean) => void }).setNoDelay?.(true);
    const w = new Watcher(client);
    await client.subscribeAsync(topics, { qos: 1 });
    return w;
  }

  /** The first message (from `since` on) that matches, waiting up to `timeoutMs`. */
  wait(topic: string, match: (m: Message) => boolean = () => true, timeoutMs = WAIT_MS, since = 0): Promise<Message> {
    const find = () => this.messages.slice(since).find((m) => m.topic === topic && match(m));
    return new Promise((resolve, reject) => {
      const check = () => {
        const m = find();
        if (!m) return;
        cleanup();
        resolve(m);
      };
      const timer = setTimeout(() => {
        cleanup();
        const seen = this.messages.filter((m) => m.topic === topic).slice(-3).map((m) => m.text.slice(0, 300));
        reject(new Error(`no matching message on ${topic} within ${timeoutMs} ms; last seen: ${JSON.stringify(seen)}`));
      }, timeoutMs);
      const cleanup = () => {
        clearTimeout(timer);
        this.#waiters.delete(check);
      };
      this.#waiters.add(check);
      check();
    });
  }

  async waitJson<T = Record<string, unknown>>(topic: string, match: (v: T) => boolean = () => true, timeoutMs?: number, since = 0): Promise<T> {
    const m = await this.wait(topic, (m) => {
      try {
        return match(JSON.parse(m.text) as T);
      } catch {
        return false;
      }
    }, timeoutMs, since);
    return JSON.parse(m.text) as T;
  }

  mark(): number {
    return this.messages.length;
  }

  publish(topic: string, payload: string, opts: { retain?: boolean } = {}): Promise<unknown> {
    return this.client.publishAsync(topic, payload, { qos: 1, retain: opts.retain ?? false });
  }

  close(): Promise<void> {
    return this.client.endAsync(true);
  }
}

/** The messages on `topic` from index `since` on. */
export function on(w: Watcher, topic: string, since = 0): Message[] {
  return w.messages.slice(since).filter((m) => m.topic === topic);
}

/** A fresh subscriber's view of the retained messages on `topics`: complete once a probe published
 * after the subscription comes back, since the broker sends what it retained before anything newer. */
export async function retained(url: string, topics: string[]): Promise<Message[]> {
  const probe = `l2m-test-probe/${randomUUID()}`;
  const w = await Watcher.connect(url, [...topics, probe]);
  try {
    await w.publish(probe, 'probe');
    await w.wait(probe);
  } finally {
    await w.close();
  }
  return w.messages.filter((m) => m.topic !== probe);
}
