// What the doctor asks Home Assistant, in one round of WebSocket commands (the same ones HA's own
// frontend sends), shaped by zod so a surprising answer is a clear error, not a crash.
import { z } from 'zod';
import type { Connection } from 'home-assistant-js-websocket';

const RegistryEntity = z.looseObject({
  entity_id: z.string(),
  unique_id: z.string().nullish(),
  platform: z.string(),
  device_id: z.string().nullish(),
  disabled_by: z.string().nullish(),
});
const RegistryDevice = z.looseObject({ id: z.string(), identifiers: z.array(z.tuple([z.string(), z.string()])), name: z.string().nullish() });
const State = z.looseObject({ entity_id: z.string(), state: z.string() });
const Config = z.looseObject({ version: z.string(), components: z.array(z.string()) });
const Resource = z.looseObject({ url: z.string() });
const Manifest = z.looseObject({ domain: z.string(), documentation: z.string().nullish(), codeowners: z.array(z.string()).nullish() });

export type RegistryEntity = z.infer<typeof RegistryEntity>;

export interface Facts {
  version: string;
  components: string[];
  states: Map<string, string>;
  entities: RegistryEntity[];
  devices: z.infer<typeof RegistryDevice>[];
  /** null: the dashboards are in YAML mode or the answer was refused */
  resources: string[] | null;
  /** the installed mqtt_media_player integration's manifest, null when none is installed */
  mediaPlayer: z.infer<typeof Manifest> | null;
}

const ask = async <T>(conn: Connection, type: string, schema: z.ZodType<T>, extra: object = {}): Promise<T> => {
  const answer = await conn.sendMessagePromise({ type, ...extra });
  const parsed = schema.safeParse(answer);
  if (!parsed.success) throw new Error(`Home Assistant's answer to ${type} has an unexpected shape: ${parsed.error.issues[0]?.message}`);
  return parsed.data;
};
const orNull = <T>(p: Promise<T>) => p.catch(() => null);

export async function gatherFacts(conn: Connection): Promise<Facts> {
  const [config, states, entities, devices, resources, mediaPlayer] = await Promise.all([
    ask(conn, 'get_config', Config),
    ask(conn, 'get_states', z.array(State)),
    ask(conn, 'config/entity_registry/list', z.array(RegistryEntity)),
    ask(conn, 'config/device_registry/list', z.array(RegistryDevice)),
    orNull(ask(conn, 'lovelace/resources', z.array(Resource))),
    orNull(ask(conn, 'manifest/get', Manifest, { integration: 'mqtt_media_player' })),
  ]);
  return {
    version: config.version,
    components: config.components,
    states: new Map(states.map((s) => [s.entity_id, s.state])),
    entities,
    devices,
    resources: resources && resources.map((r) => r.url),
    mediaPlayer,
  };
}
