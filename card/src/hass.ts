// The slice of Home Assistant's frontend `hass` object the card uses (home-assistant/frontend
// src/types.ts: HomeAssistant; entity/device registry display entries).
export interface HassEntity {
  entity_id: string;
  state: string;
  attributes: Record<string, unknown>;
  last_changed?: string;
  last_updated?: string;
}

export interface EntityRegistryDisplayEntry {
  entity_id: string;
  device_id?: string | null;
  platform?: string;
}

export interface DeviceRegistryEntry {
  id: string;
  name: string | null;
  name_by_user?: string | null;
  identifiers?: Array<[string, string]>;
}

export interface Hass {
  states: Record<string, HassEntity | undefined>;
  entities?: Record<string, EntityRegistryDisplayEntry | undefined>;
  devices?: Record<string, DeviceRegistryEntry | undefined>;
  callService(domain: string, service: string, data?: Record<string, unknown>): Promise<unknown>;
  callWS<T>(msg: Record<string, unknown>): Promise<T>;
}

/** States that carry no value: HA's own, and the "None" a template renders for an empty field. */
export const NO_VALUE = new Set(['unavailable', 'unknown', 'None', 'none', '']);
export const hasValue = (e: HassEntity | undefined): e is HassEntity => !!e && !NO_VALUE.has(e.state);
