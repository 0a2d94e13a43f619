// Commands from MQTT: refuse retained and expired ones, validate, run, and answer on
// <base>/<id>/response (or the MQTT 5 response topic the sender asked for), echoing the sender's
// transaction. <base>/<id>/get is answered the same way, with the state and the bridge's info.
import { createHash } from 'node:crypto';
import type { IPublishPacket } from 'mqtt';
import type { Logger } from '../log.js';
import type { Connection } from '../mqtt/connection.js';
import { statePayload } from '../mqtt/payloads.js';
import { execute } from './execute.js';
import { parseCommand, parseGet } from './parse.js';
import type { CommandContext } from './table.js';

/** The longest command payload read: a command, a transaction and a deadline fit many times over.
 * Anything longer is refused unread, so junk cannot make the bridge parse or log megabytes. */
export const MAX_COMMAND_BYTES = 16 * 1024;

export interface CommandHandlerOptions {
  ctx: CommandContext;
  /** <base>/<id>/set and <base>/all/set: the plain topics are these plus /<key> */
  setTopics: string[];
  /** <base>/<id>/get: `answer` publishes the state again and returns what the answer carries */
  get: { topic: string; answer(): Record<string, unknown> };
  responseTopic: string;
  /** after every command that ran: what the bridge says about itself may have changed (log level) */
  ran?(): void;
  log: Logger;
}

export class CommandHandler {
  /** a digest of the retained command answered per topic: the broker sends it again on every reconnect */
  readonly #retainedSeen = new Map<string, string>();

  constructor(private readonly opts: CommandHandlerOptions) {}

  /** The topics to subscribe to: set/# (which covers set itself) so that set/volume/extra is answered too. */
  get subscriptions(): string[] {
    return [...this.opts.setTopics.map((t) => `${t}/#`), this.opts.get.topic];
  }

  handles(topic: string): boolean {
    return topic === this.opts.get.topic || this.opts.setTopics.some((t) => topic === t || topic.startsWith(`${t}/`));
  }

  async handle(connection: Connection, topic: string, payload: Buffer, packet: IPublishPacket): Promise<void> {
    const { log } = this.opts;
    if (packet.retain) return this.#refuseRetained(connection, topic, payload, packet);
    if (payload.length > MAX_COMMAND_BYTES) {
      const error = `payload of ${payload.length} bytes is too large: a command is at most ${MAX_COMMAND_BYTES} bytes`;
      log.warn(`rejected ${topic === this.opts.get.topic ? '' : 'command on '}${topic}: ${error}`);
      return this.#answer(connection, packet, { ok: false, error });
    }
    if (topic === this.opts.get.topic) return this.#get(connection, payload, packet);
    const base = this.opts.setTopics.find((t) => topic === t || topic.startsWith(`${t}/`))!;
    const field = topic === base ? undefined : topic.slice(base.length + 1);
    const parsed = parseCommand(field, payload);
    const answer = (body: object) => this.#answer(connection, packet, { ...body, ...(parsed.transaction !== undefined ? { transaction: parsed.transaction } : {}) });
    if (!parsed.ok) {
      log.warn(`rejected command on ${topic}: ${parsed.error}`);
      return answer({ ok: false, error: parsed.error });
    }
    const late = parsed.deadline === undefined ? 0 : Date.now() - parsed.deadline;
    if (late > 0) {
      const error = `expired ${late} ms before it arrived (deadline ${new Date(parsed.deadline!).toISOString()}): not run, its sender gave up waiting`;
      log.warn(`command ${JSON.stringify(parsed.command)} ${error}`);
      return answer({ ok: false, error });
    }
    log.info(`from MQTT ${topic}: ${JSON.stringify(parsed.command)}`);
    const ctx = this.opts.ctx;
    try {
      await execute(parsed.command, parsed.deadline === undefined ? ctx : { ...ctx, librespot: ctx.librespot.until(parsed.deadline) });
      answer({ ok: true, command: parsed.command, state: statePayload(this.opts.ctx.state()) });
      this.opts.ran?.();
    } catch (err) {
      const error = (err as Error).message;
      log.warn(`command ${JSON.stringify(parsed.command)} failed: ${error}`);
      answer({ ok: false, error });
    }
  }

  #get(connection: Connection, payload: Buffer, packet: IPublishPacket): void {
    const parsed = parseGet(payload);
    if (!parsed.ok) {
      this.opts.log.warn(`rejected ${this.opts.get.topic}: ${parsed.error}`);
      return this.#answer(connection, packet, { ok: false, error: parsed.error });
    }
    // the bridge's clock lets a sender put a deadline on its next command without trusting its own
    const body = { ok: true, ...this.opts.get.answer(), time: new Date().toISOString() };
    this.#answer(connection, packet, { ...body, ...(parsed.transaction !== undefined ? { transaction: parsed.transaction } : {}) });
  }

  /** A retained command would run again on every reconnect: refused, and said so once. */
  #refuseRetained(connection: Connection, topic: string, payload: Buffer, packet: IPublishPacket): void {
    const digest = createHash('sha256').update(payload).digest('base64');
    if (payload.length === 0 || this.#retainedSeen.get(topic) === digest) return;
    // bounded: a flood of retained junk on set/<anything> must not grow memory
    if (this.#retainedSeen.size >= 100) this.#retainedSeen.delete(this.#retainedSeen.keys().next().value!);
    this.#retainedSeen.set(topic, digest);
    const error = `retained command on ${topic} ignored: publish commands without retain, and clear this one with: mosquitto_pub -r -n -t '${topic}'`;
    this.opts.log.warn(error);
    this.#answer(connection, packet, { ok: false, error });
  }

  #answer(connection: Connection, packet: IPublishPacket, body: object): void {
    const p = packet.properties;
    const topic = p?.responseTopic ?? this.opts.responseTopic;
    connection.reply(topic, JSON.stringify(body), p?.correlationData ? { correlationData: p.correlationData } : undefined);
  }
}
