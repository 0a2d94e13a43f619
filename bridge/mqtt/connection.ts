// The MQTT client: connection options from the config, the last will, the one publish path that
// skips retained values the broker already has from us, and our own reconnect schedule. MQTT.js
// retries at a fixed period and not at all after some CONNACK refusals; the broker may be started
// after us, or a user created in it only after us, so every failure is retried with backoff and
// logged once per change of condition (attempts only at debug level).
import mqtt, { type IPublishPacket, type MqttClient } from 'mqtt';
import type { ResolvedConfig } from '../config/schema.js';
import type { Logger } from '../log.js';
import { Backoff, jitter, SCHEDULE, type Schedule } from './backoff.js';
import { brokerAddress, brokerOptions, readFiles } from './options.js';
import { describeTrouble, refusedMqtt5, SESSION_TAKEN_OVER, takeover, type Identity, type Trouble, type TroubleKind } from './refusal.js';

export type MessageHandler = (topic: string, payload: Buffer, packet: IPublishPacket) => void;

/** Where to ask for the user and password again after the broker refused them (the add-on: the
 * Supervisor, whose Mosquitto add-on may have made new ones); null: nothing new. */
export type Relogin = () => Promise<{ username?: string; password?: string } | null>;

export interface ConnectionOptions {
  cfg: ResolvedConfig;
  log: Logger;
  will: { topic: string; payload: string };
  subscriptions: string[];
  onConnect(): void;
  onMessage: MessageHandler;
  schedule?: Schedule;
  relogin?: Relogin;
}

/** Short connections ended by the broker, in a row, that mean another client takes our client id. */
const KICKS_FOR_TAKEOVER = 3;
/** how long a stop waits for the broker to take the final "offline" */
const CLOSE_WAIT_MS = 1000;
/** How long one run of incoming messages may hold the event loop before it yields. */
const SLICE_MS = 10;
/** Messages sent and not yet acknowledged, at most (a few hundred KB). A broker that stalls (or a
 * link that does) would otherwise make every change pile up in memory until the keepalive notices:
 * beyond this, a retained topic keeps only its latest value, sent once the broker catches up, and
 * other messages (events, replies) are dropped. High enough that a flood of 2,000 commands is
 * answered in full (test/ctl.test.ts): acknowledgements are read only between slices. */
export const MAX_IN_FLIGHT = 1000;

export class Connection {
  readonly #client: MqttClient;
  readonly #retained = new Map<string, string>();
  /** retained values held back while MAX_IN_FLIGHT messages are unacknowledged: the latest per topic */
  readonly #held = new Map<string, string>();
  readonly #who: Identity;
  readonly #schedule: Schedule;
  readonly #backoff: Backoff;
  /** the condition last logged above debug level: logging again only when it changes */
  #reported: TroubleKind | 'connected' | undefined;
  #connectedAt: number | undefined;
  #downSince: number | undefined;
  #lastError: unknown;
  #disconnectReason: number | undefined;
  #kicks = 0;
  /** an attempt failed since the last connection: the broker was away (or refused us), not kicking us out */
  #refused = false;
  #retryNow = false;
  #started = false;
  #closing = false;
  #timer: NodeJS.Timeout | undefined;
  #stableTimer: NodeJS.Timeout | undefined;
  /** the credentials asked for again after a refused login: the next attempt waits for them */
  #relogin: Promise<void> | undefined;

  constructor(private readonly opts: ConnectionOptions) {
    const { cfg, log } = opts;
    this.#schedule = opts.schedule ?? SCHEDULE;
    this.#backoff = new Backoff(this.#schedule);
    const { url, options, who } = brokerOptions(cfg, opts.will);
    this.#who = who;
    this.#client = mqtt.connect({ ...brokerAddress(url), ...options, reconnectPeriod: 0, manualConnect: true });
    this.#client.on('connect', () => this.#onConnect());
    this.#client.on('message', (topic, payload, packet) => {
      log.trace(`MQTT in  ${topic}${packet.retain ? ' (retained)' : ''}: ${payload.toString('utf8')}`);
      if (!this.#closing) opts.onMessage(topic, payload, packet);
    });
    // MQTT.js handles every message of a socket read in one go: after a flood that is seconds with no
    // room for SIGTERM or a timer. Yielding keeps them prompt; the socket is still read only as fast
    // as messages are handled.
    let slice = performance.now();
    this.#client.handleMessage = (_packet, done) => {
      if (performance.now() - slice < SLICE_MS) return done();
      setImmediate(() => {
        slice = performance.now();
        done();
      });
    };
    this.#client.on('disconnect', (packet) => (this.#disconnectReason = packet.reasonCode));
    this.#client.on('packetreceive', (packet) => {
      if (packet.cmd === 'puback' && this.#held.size > 0) this.#release();
    });
    this.#client.on('error', (err) => {
      if (refusedMqtt5(err, this.#client.options.protocolVersion)) {
        // older brokers (and aedes) speak 3.1.1 only
        log.warn(`the MQTT broker at ${who.url} does not speak MQTT 5: using 3.1.1 (mqtt.protocol_version: 4 says so from the start)`);
        this.#client.options.protocolVersion = 4;
        this.#retryNow = true;
        return;
      }
      this.#lastError = err;
    });
    this.#client.on('close', () => this.#onClose());
    this.#attempt();
  }

  get connected(): boolean {
    return this.#client.connected;
  }

  /** messages sent and not acknowledged yet */
  get inFlight(): number {
    return Object.keys(this.#client.outgoing).length;
  }

  /** Retained values are sent only when they differ from what this connection last sent. */
  publish(topic: string, payload: string, opts: { retain: boolean; force?: boolean } = { retain: true }): void {
    if (!this.#client.connected) return;
    if (opts.retain) {
      if (!opts.force && (this.#held.get(topic) ?? this.#retained.get(topic)) === payload) return;
      if (this.inFlight >= MAX_IN_FLIGHT) {
        this.#held.set(topic, payload);
        return;
      }
      this.#held.delete(topic);
      this.#retained.set(topic, payload);
    } else if (this.#backlogged(topic)) return;
    this.opts.log.trace(`MQTT out ${topic}${opts.retain ? ' (retained)' : ''}: ${payload}`);
    this.#client.publish(topic, payload, { qos: 1, retain: opts.retain }, (err) => {
      if (err) {
        this.#retained.delete(topic);
        // lost with the connection: everything is published again on the next one
        (this.#client.connected ? this.opts.log.warn : this.opts.log.debug).call(this.opts.log, `publishing ${topic} failed: ${err.message}`);
      }
    });
  }

  #backlogged(topic: string): boolean {
    if (this.inFlight < MAX_IN_FLIGHT) return false;
    this.opts.log.debug(`the MQTT broker has not acknowledged ${MAX_IN_FLIGHT} messages: ${topic} dropped`);
    return true;
  }

  /** MQTT.js forgets what a connection never had acknowledged only when it ends the connection
   * itself (a keepalive timeout), not when the broker goes (killed, restarted): with a clean session
   * none of it is sent again, yet it would count as in flight for good, and past MAX_IN_FLIGHT hold
   * back everything published on the next connection. Everything retained is published again anyway. */
  #forgetInFlight(): void {
    const outgoing = this.#client.outgoing;
    for (const [id, { cb }] of Object.entries(outgoing)) {
      delete outgoing[Number(id)];
      cb?.(new Error('connection lost'));
    }
  }

  /** The held retained values, oldest first, as far as the broker keeps up. */
  #release(): void {
    for (const [topic, payload] of this.#held) {
      if (this.inFlight >= MAX_IN_FLIGHT) return;
      this.#held.delete(topic);
      this.publish(topic, payload, { retain: true });
    }
  }

  /** A reply that may carry MQTT 5 properties (correlation data). */
  reply(topic: string, payload: string, properties?: IPublishPacket['properties']): void {
    if (!this.#client.connected || this.#backlogged(topic)) return;
    this.opts.log.trace(`MQTT out ${topic}: ${payload}`);
    this.#client.publish(topic, payload, { qos: 1, retain: false, properties });
  }

  async close(finalWords?: { topic: string; payload: string }): Promise<void> {
    this.#closing = true;
    clearTimeout(this.#timer);
    clearTimeout(this.#stableTimer);
    // a clean DISCONNECT waits for every unacknowledged message: only worth it while the broker answers
    let acked = this.#client.connected;
    if (finalWords && this.#client.connected) {
      const published = this.#client.publishAsync(finalWords.topic, finalWords.payload, { qos: 1, retain: true }).then(() => true, () => false);
      // a broker that stopped answering must not hold the stop (the last will says "offline" then)
      let timer: NodeJS.Timeout | undefined;
      acked = await Promise.race([published, new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(false), CLOSE_WAIT_MS)))]);
      clearTimeout(timer);
    }
    // messages sent before a lost connection may never be acknowledged: a clean end would wait forever
    const settled = acked && Object.keys(this.#client.outgoing).length === 0;
    if (this.#started) await this.#client.endAsync(!settled);
  }

  #attempt(): void {
    this.#timer = undefined;
    this.#lastError = undefined;
    this.#disconnectReason = undefined;
    try {
      Object.assign(this.#client.options, readFiles(this.opts.cfg));
    } catch (err) {
      this.#retry(describeTrouble(err, this.#who));
      return;
    }
    this.opts.log.debug(`connecting to the MQTT broker at ${this.#who.url} as ${this.#client.options.protocolVersion === 5 ? 'MQTT 5' : 'MQTT 3.1.1'}`);
    if (this.#started) this.#client.reconnect();
    else this.#client.connect();
    this.#started = true;
  }

  #onConnect(): void {
    const { log, subscriptions } = this.opts;
    const url = this.#who.url;
    // small messages that matter now: Nagle's algorithm would hold them for up to 40 ms
    (this.#client.stream as { setNoDelay?: (on: boolean) => void }).setNoDelay?.(true);
    this.#connectedAt = Date.now();
    const downS = this.#downSince === undefined ? 0 : Math.round((Date.now() - this.#downSince) / 1000);
    if (this.#reported === 'takeover') log.debug(`connected to ${url} again: another client with our client id may take over again`);
    else if (this.#reported === undefined) log.info({ url }, 'connected to the MQTT broker');
    else if (this.#reported === 'connected') log.info({ url }, 'reconnected to the MQTT broker (it had closed the connection)');
    else log.info({ url, down_s: downS }, `connected to the MQTT broker after ${downS} s`);
    if (this.#reported !== 'takeover') {
      this.#reported = 'connected';
      this.#downSince = undefined;
    }
    this.#stableTimer = setTimeout(() => this.#onStable(), this.#schedule.stableMs).unref();
    // back after an outage: the next one starts at the first delay again, not where this one ended
    // (a broker restarted twice within the stable time would otherwise wait up to the cap)
    if (this.#refused) this.#backoff.reset();
    this.#refused = false;
    // the broker may have lost our retained messages (restart without persistence); what was held
    // back is part of what is published again now
    this.#retained.clear();
    this.#held.clear();
    // MQTT 5: keep the retain flag on live messages too, so a retained command is refused at once
    // (not run now and refused only after the next reconnect)
    const rap = this.#client.options.protocolVersion === 5 ? { rap: true } : {};
    this.#client.subscribe(subscriptions, { qos: 1, ...rap }, (err) => {
      // a connection that ended meanwhile subscribes again on the next one
      if (err && this.#client.connected) log.error(`subscribing to ${subscriptions.join(', ')} failed: ${err.message}`);
    });
    this.opts.onConnect();
  }

  /** Connected long enough: not kicked, the backoff starts over. */
  #onStable(): void {
    this.#backoff.reset();
    this.#kicks = 0;
    if (this.#reported !== 'takeover') return;
    this.opts.log.info({ url: this.#who.url }, `connected to the MQTT broker again and stayed: the other client with client id "${this.#who.clientId}" is gone`);
    this.#reported = 'connected';
    this.#downSince = undefined;
  }

  #onClose(): void {
    clearTimeout(this.#stableTimer);
    if (this.#closing) return;
    this.#forgetInFlight();
    const connectedAt = this.#connectedAt;
    this.#connectedAt = undefined;
    if (this.#retryNow) {
      this.#retryNow = false;
      this.#timer = setTimeout(() => this.#attempt(), 0);
      return;
    }
    if (connectedAt === undefined) {
      // the attempt failed: whatever the broker does now, it is not kicking us out
      this.#kicks = 0;
      this.#retry(describeTrouble(this.#lastError, this.#who));
      return;
    }
    const lived = Date.now() - connectedAt;
    const kicked = this.#lastError === undefined && lived < this.#schedule.stableMs;
    this.#kicks = kicked ? this.#kicks + 1 : 0;
    // MQTT 5 brokers may say so (reason 0x8E); others (mosquitto 2.0, any 3.1.1 broker) just close
    // the connection right after another client connected with our id, again and again
    if (this.#disconnectReason === SESSION_TAKEN_OVER || this.#kicks >= KICKS_FOR_TAKEOVER) {
      this.#retry(takeover(this.#who));
      return;
    }
    this.#downSince ??= Date.now();
    const why = this.#lastError ?? this.#disconnectReason;
    const delay = this.#backoff.next();
    this.opts.log.debug(`the MQTT broker closed the connection after ${lived} ms${why === undefined ? '' : ` (${describeTrouble(why, this.#who).text})`}; next attempt in ${seconds(delay)}`);
    this.#wait(delay);
  }

  #retry(trouble: Trouble): void {
    const { log } = this.opts;
    this.#downSince ??= Date.now();
    const delay = trouble.kind === 'takeover' ? jitter(this.#schedule.takeoverMs) : this.#backoff.next();
    this.#refused ||= trouble.kind !== 'takeover';
    if (trouble.kind === this.#reported) log.debug(`${trouble.text} (still; next attempt in ${seconds(delay)})`);
    else {
      const then =
        trouble.kind === 'takeover'
          ? `: not fighting over it, next attempt in ${seconds(delay)}`
          : `: retrying with backoff up to every ${seconds(this.#schedule.capMs)} (attempts are logged at debug level)`;
      const level = trouble.kind === 'unreachable' ? 'warn' : 'error';
      log[level]({ problem: trouble.kind }, trouble.text + then);
      this.#reported = trouble.kind;
    }
    if (trouble.kind === 'login' && this.opts.relogin) this.#relogin = this.#askAgain(this.opts.relogin);
    this.#wait(delay);
  }

  async #askAgain(relogin: Relogin): Promise<void> {
    const { log } = this.opts;
    try {
      const login = await relogin();
      const options = this.#client.options;
      if (!login || (login.username === options.username && login.password === options.password)) return;
      Object.assign(options, login);
      log.info(`new MQTT credentials${login.username ? ` for user "${login.username}"` : ''}: the next attempt uses them`);
    } catch (err) {
      log.debug(`asking for the MQTT credentials again failed: ${(err as Error).message}`);
    }
  }

  #wait(delay: number): void {
    this.#timer = setTimeout(() => {
      const relogin = this.#relogin;
      this.#relogin = undefined;
      if (!relogin) return this.#attempt();
      void relogin.then(() => {
        if (!this.#closing) this.#attempt();
      });
    }, delay);
  }
}

const seconds = (ms: number) => (ms >= 60_000 ? `${Math.round(ms / 60_000)} min` : `${Math.round(ms / 100) / 10} s`);
