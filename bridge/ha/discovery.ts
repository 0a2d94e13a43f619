// Home Assistant device-based discovery: one retained message holding every component.
import type { ResolvedConfig } from '../config/schema.js';
import { VERSION } from '../version.js';
import { ENTITIES, type EntityDef } from './entities.js';
import { entityId } from './entity-ids.js';
import type { Topics } from './topics.js';

export const uniqueId = (cfg: Pick<ResolvedConfig, 'device'>, key: string) => `librespot2mqtt_${cfg.device.id}_${key}`;

export function component(e: EntityDef, cfg: Pick<ResolvedConfig, 'device'>, t: Topics): Record<string, unknown> {
  return {
    platform: e.platform,
    unique_id: uniqueId(cfg, e.key),
    default_entity_id: entityId(cfg, e),
    name: e.name,
    ...e.config(t),
    availability: [{ topic: t.availability }, ...e.needs.map((n) => ({ topic: t.needs[n] }))],
    availability_mode: 'all',
    qos: 1,
  };
}

export function discoveryPayload(cfg: Pick<ResolvedConfig, 'device'>, t: Topics, entities: EntityDef[] = ENTITIES) {
  return {
    device: {
      identifiers: [`librespot2mqtt_${cfg.device.id}`],
      name: cfg.device.name,
      manufacturer: 'librespot2mqtt',
      model: 'Spotify Connect speaker (go-librespot)',
      sw_version: VERSION,
    },
    origin: { name: 'librespot2mqtt', sw_version: VERSION },
    components: Object.fromEntries(entities.map((e) => [e.key, component(e, cfg, t)])),
  };
}
