// Commands from MQTT: refuse retained ones, validate, run, and answer on <base>/<id>/response
// (or the MQTT 5 response topic the sender asked for), echoing the sender's transaction.
import type { IPublishPacket } from 'mqtt';
import type { Logger } from '../log.js';
import type { Connection } from '../mqtt/connection.js';
import { statePayload } from '../mqtt/payloads.js';
import { execute } from './execute.js';
import { parseCommand } from './parse.js';
import type { CommandContext } from './table.js';

export interface CommandHandlerOptions {
  ctx: CommandContext;
  /** <base>/<id>/set and <base>/all/set: the plain topics are these plus /<key> */
  setTopics: string[];
  responseTopic: string;
  log: Logger;
}

export class CommandHandler {
  constructor(private readonly opts: CommandHandlerOptions) {}

  /** The topics to subscribe to. */
  get subscriptions(): string[] {
    return this.opts.setTopics.flatMap((t) => [t, `${t}/+`]);
  }

  handles(topic: string): boolean {
    return this.opts.setTopics.some((t) => topic === t || topic.startsWith(`${t}/`));
  }

  async handle(connection: Connection, topic: string, payload: Buffer, packet: IPublishPacket): Promise<void> {
    const { log } = this.opts;
    if (packet.retain) {
      // a retained command would run again on every reconnect
      if (payload.length > 0)
        log.warn(`ignoring a retained command on ${topic}: publish commands without retain, and clear it with: mosquitto_pub -r -n -t '${topic}'`);
      return;
    }
    const base = this.opts.setTopics.find((t) => topic === t || topic.startsWith(`${t}/`))!;
    const field = topic === base ? undefined : topic.slice(base.length + 1);
    const parsed = parseCommand(field, payload);
    const answer = (body: object) => this.#answer(connection, packet, { ...body, ...(parsed.transaction !== undefined ? { transaction: parsed.transaction } : {}) });
    if (!parsed.ok) {
      log.warn(`rejected command on ${topic}: ${parsed.error}`);
      return answer({ ok: false, error: parsed.error });
    }
    log.info(`from MQTT ${topic}: ${JSON.stringify(parsed.command)}`);
    try {
      await execute(parsed.command, this.opts.ctx);
      answer({ ok: true, command: parsed.command, state: statePayload(this.opts.ctx.state()) });
    } catch (err) {
      const error = (err as Error).message;
      log.warn(`command ${JSON.stringify(parsed.command)} failed: ${error}`);
      answer({ ok: false, error });
    }
  }

  #answer(connection: Connection, packet: IPublishPacket, body: object): void {
    const p = packet.properties;
    const topic = p?.responseTopic ?? this.opts.responseTopic;
    connection.reply(topic, JSON.stringify(body), p?.correlationData ? { correlationData: p.correlationData } : undefined);
  }
}
