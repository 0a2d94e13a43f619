// Entity ids by entity key, for the YAML we print: a key that is not a published entity is a bug,
// caught here rather than as a dead entity on the user's dashboard.
import type { ResolvedConfig } from '../../config/schema.js';
import { ENTITIES } from '../entities.js';
import { entityId } from '../entity-ids.js';

export type IdOf = (key: string) => string;

export function idsFor(cfg: Pick<ResolvedConfig, 'device'>): IdOf {
  return (key) => {
    const e = ENTITIES.find((x) => x.key === key);
    if (!e) throw new Error(`no entity "${key}" in the discovery table`);
    return entityId(cfg, e);
  };
}
