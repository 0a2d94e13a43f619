// Which entity plays which part: the card's config first, then the speaker device's entities,
// recognised by their unique_id (names and entity ids may have been changed by the user).
import { DEVICE_PREFIX, CARD_ENTITIES, KEYS, type Key } from './keys.js';
import type { DeviceRegistryEntry, Hass } from './hass.js';

export type EntityMap = Partial<Record<Key, string>>;

export interface CardConfig {
  type?: string;
  /** device registry id; default: the first librespot2mqtt device */
  device?: string;
  entities?: EntityMap;
}

/** Throws what is wrong with a card config; HA shows the message on an error card. */
export function checkConfig(raw: unknown): CardConfig {
  if (!raw || typeof raw !== 'object') throw new Error('librespot2mqtt-card: the config must be a mapping');
  const config = raw as Record<string, unknown>;
  for (const k of Object.keys(config)) {
    if (!['type', 'device', 'entities', 'view_layout', 'grid_options', 'layout_options', 'visibility'].includes(k))
      throw new Error(`librespot2mqtt-card: unknown option "${k}" (options: device, entities)`);
  }
  if (config.device !== undefined && typeof config.device !== 'string')
    throw new Error('librespot2mqtt-card: "device" must be a device id (pick it in the card editor)');
  const entities = config.entities;
  if (entities !== undefined) {
    if (!entities || typeof entities !== 'object' || Array.isArray(entities))
      throw new Error('librespot2mqtt-card: "entities" must map a part to an entity id, e.g. {title: sensor.speaker_title}');
    for (const [k, v] of Object.entries(entities)) {
      const domain = CARD_ENTITIES[k as Key];
      if (!domain) throw new Error(`librespot2mqtt-card: unknown part "entities.${k}" (parts: ${KEYS.join(', ')})`);
      if (typeof v !== 'string' || !v.startsWith(`${domain}.`))
        throw new Error(`librespot2mqtt-card: "entities.${k}" must be a ${domain} entity id, got ${JSON.stringify(v)}`);
    }
  }
  return config as CardConfig;
}

const bridgeIdentifier = (d: DeviceRegistryEntry) =>
  d.identifiers?.find(([domain, id]) => domain === 'mqtt' && id.startsWith(DEVICE_PREFIX))?.[1];

export const speakerDevices = (hass: Hass): DeviceRegistryEntry[] =>
  Object.values(hass.devices ?? {}).filter((d): d is DeviceRegistryEntry => !!d && !!bridgeIdentifier(d));

export const findDevice = (hass: Hass, config: CardConfig): DeviceRegistryEntry | undefined =>
  config.device ? hass.devices?.[config.device] : speakerDevices(hass)[0];

export const deviceName = (d: DeviceRegistryEntry) => d.name_by_user || d.name || 'librespot2mqtt speaker';

export const deviceEntityIds = (hass: Hass, device: DeviceRegistryEntry): string[] =>
  Object.values(hass.entities ?? {})
    .filter((e) => e?.device_id === device.id && e.platform === 'mqtt')
    .map((e) => e!.entity_id)
    .sort();

/** Reads the unique_ids from the entity registry (config/entity_registry/get_entries needs no admin). */
export async function deviceEntities(hass: Hass, device: DeviceRegistryEntry): Promise<EntityMap> {
  const ids = deviceEntityIds(hass, device);
  const prefix = `${bridgeIdentifier(device) ?? ''}_`;
  if (!ids.length || prefix === '_') return {};
  const entries = await hass.callWS<Record<string, { unique_id?: string } | null>>({
    type: 'config/entity_registry/get_entries',
    entity_ids: ids,
  });
  const map: EntityMap = {};
  for (const [entityId, entry] of Object.entries(entries)) {
    const key = entry?.unique_id?.startsWith(prefix) ? entry.unique_id.slice(prefix.length) : undefined;
    if (key && key in CARD_ENTITIES && entityId.startsWith(`${CARD_ENTITIES[key as Key]}.`)) map[key as Key] = entityId;
  }
  return map;
}
