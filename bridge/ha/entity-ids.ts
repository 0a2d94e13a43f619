// The entity ids Home Assistant gives our entities. Each component sends `default_entity_id`
// (HA 2025.10+; `object_id` was removed in 2026.4), so the ids follow from the config alone and
// everything we print (dashboards, media player YAML, blueprint examples, doctor) can name them.
import type { ResolvedConfig } from '../config/schema.js';
import type { EntityDef } from './entities.js';

/**
 * HA 2026.2+ validates entity ids strictly (cv.entity_id): lowercase a-z, 0-9 and single
 * underscores, none at either end. A device id may hold '-' or '__', which would invalidate the
 * whole discovery payload.
 */
export function objectIdPrefix(cfg: Pick<ResolvedConfig, 'device'>): string {
  return cfg.device.id.replace(/[^a-z0-9]+/g, '_').replace(/^_+|_+$/g, '') || 'speaker';
}

export const entityId = (cfg: Pick<ResolvedConfig, 'device'>, e: Pick<EntityDef, 'platform' | 'key'>): string =>
  `${e.platform}.${objectIdPrefix(cfg)}_${e.key}`;
