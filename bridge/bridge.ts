// Wires the parts together: sources → store → publisher, and MQTT commands back to the sources.
import type { ResolvedConfig } from './config/schema.js';
import type { Logger } from './log.js';
import { LibrespotClient } from './librespot/client.js';
import { LibrespotSource } from './librespot/source.js';
import { Store } from './state/store.js';
import { initialState, type PlayerState } from './state/state.js';
import { topicsFor } from './ha/topics.js';
import { discoveryPayload } from './ha/discovery.js';
import { Connection } from './mqtt/connection.js';
import { Publisher } from './mqtt/publisher.js';
import { CommandHandler } from './commands/handler.js';
import { availabilityPayload } from './mqtt/payloads.js';

export interface Bridge {
  store: Store<PlayerState>;
  /** run the slow session/liveness check now instead of at its next tick */
  check(): Promise<void>;
  stop(): Promise<void>;
}

export function startBridge(cfg: ResolvedConfig, log: Logger): Bridge {
  const topics = topicsFor(cfg);
  const store = new Store<PlayerState>(initialState);
  const client = new LibrespotClient(cfg.librespot.url, cfg.librespot.timeout_ms);
  const source = new LibrespotSource({ client, store, log: log.child({ part: 'librespot' }), sessionCheckMs: cfg.librespot.session_check_s * 1000 });

  let publisher: Publisher | undefined;
  let commands: CommandHandler | undefined;
  let birthTimer: NodeJS.Timeout | undefined;
  const mqttLog = log.child({ part: 'mqtt' });
  const connection = new Connection({
    cfg,
    log: mqttLog,
    will: { topic: topics.availability, payload: availabilityPayload(false) },
    subscriptions: [topics.set, `${topics.set}/+`, topics.groupSet, `${topics.groupSet}/+`, ...(cfg.mqtt.discovery ? [topics.haStatus] : [])],
    onConnect: () => publisher?.publishAll(),
    onMessage: (topic, payload, packet) => {
      if (topic === topics.haStatus) {
        if (payload.toString() !== 'online') return;
        // HA asks everyone at once after its restart: spread the answers a little
        clearTimeout(birthTimer);
        birthTimer = setTimeout(() => publisher?.publishAll(), Math.random() * 500);
        return;
      }
      if (commands?.handles(topic)) void commands.handle(topic, payload, packet);
    },
  });
  publisher = new Publisher({
    connection,
    store,
    topics,
    discovery: cfg.mqtt.discovery ? discoveryPayload(cfg, topics) : null,
    log: mqttLog,
  });
  commands = new CommandHandler({
    connection,
    ctx: { librespot: client, state: () => store.get() },
    setTopics: [topics.set, topics.groupSet],
    responseTopic: topics.response,
    log: log.child({ part: 'command' }),
  });
  source.start();

  return {
    store,
    check: () => source.check(),
    async stop() {
      clearTimeout(birthTimer);
      source.stop();
      publisher?.stop();
      await connection.close({ topic: topics.availability, payload: availabilityPayload(false) });
    },
  };
}
