// A stand-in for Home Assistant's frontend `hass` object, with the registry shapes HA 2026 sends
// (hass.entities: entity registry display entries; hass.devices: device registry entries;
// config/entity_registry/get_entries: extended entries with unique_id). Only the parts a Lovelace
// card can see: the entity ids are deliberately not what the card could guess, and the states are
// what Home Assistant makes of the bridge's real discovery payload and state JSON.
import type { Key } from '../../card/src/keys.js';
import { resolveConfig } from '../../bridge/config/load.js';
import { discoveryPayload } from '../../bridge/ha/discovery.js';
import { ENTITIES } from '../../bridge/ha/entities.js';
import { topicsFor, type Need } from '../../bridge/ha/topics.js';
import { statePayload } from '../../bridge/mqtt/payloads.js';
import { initialState, type PlayerState, type Track } from '../../bridge/state/state.js';
import { renderJinja } from './jinja.js';

export const NOW = Date.parse('2026-11-30T20:15:00Z');
export const DEVICE_ID = '9f4c2a0d5b7e41c3a8d6e2f1b0c9a7d3';
const BRIDGE_ID = 'livingroom';

/** entity ids as a user may have renamed them; the card must find them by unique_id */
export const ENTITY_IDS: Record<Key, string> = {
  playback: 'sensor.living_room_speaker_playback',
  title: 'sensor.now_playing',
  artist: 'sensor.living_room_speaker_artist',
  album: 'sensor.living_room_speaker_album',
  cover: 'image.living_room_speaker_cover',
  playing_from: 'sensor.living_room_speaker_playing_from',
  librespot: 'binary_sensor.living_room_speaker_go_librespot',
  play: 'button.living_room_speaker_play',
  pause: 'button.living_room_speaker_pause',
  next: 'button.living_room_speaker_next',
  previous: 'button.living_room_speaker_previous',
  shuffle: 'switch.living_room_speaker_shuffle',
  repeat: 'select.living_room_speaker_repeat',
  volume: 'number.kitchen_volume',
  mute: 'switch.living_room_speaker_mute',
  max_volume: 'number.living_room_speaker_max_volume',
  last_error: 'sensor.living_room_speaker_last_error',
  pairing: 'sensor.living_room_speaker_pairing',
};

const cfg = resolveConfig({ device: { id: BRIDGE_ID, name: 'Living Room Speaker' } });
const topics = topicsFor(cfg);
const components = discoveryPayload(cfg, topics).components as Record<string, Record<string, unknown>>;

export const track = (name: string, artists: string[], album: string, duration_ms: number): Track => ({
  uri: 'spotify:track:6GyFP1nfCDB8lbD2bG0Hq9',
  name,
  artists,
  album,
  cover_url: 'https://i.scdn.co/image/ab67616d0000b273b1d5d3a4b4dbcd6fe5a5ba1b',
  duration_ms,
  release_date: '2011-10-18',
  track_number: 2,
  disc_number: 1,
  format: 'OGG_VORBIS_320',
  codec: 'vorbis',
  bitrate: 320_000,
  sample_rate: 44_100,
  bit_depth: 16,
  artist_uris: ['spotify:artist:63MQldklfxkjYDoUE4Tppz'],
  album_uri: 'spotify:album:6R0ynY7RF20ofs9GJR5TXR',
});

export const MIDNIGHT = track('Midnight City', ['M83'], "Hurry Up, We're Dreaming", 243_000);

/** The bridge's state (what it publishes on its state topic), and whether the bridge itself is online. */
export interface Scenario {
  bridge: 'online' | 'offline';
  state: PlayerState;
}

/** playing Midnight City from Discover Weekly, 21 s in as of a minute ago, volume 45 % */
export const scenario = (over: Partial<PlayerState> = {}, bridge: Scenario['bridge'] = 'online'): Scenario => ({
  bridge,
  state: {
    ...initialState,
    librespot: true,
    session: true,
    playback: 'playing',
    track: MIDNIGHT,
    context_uri: 'spotify:playlist:37i9dQZEVXcQ9COmYvdajy',
    context_name: 'Discover Weekly',
    position_ms: 21_000,
    position_updated_at: new Date(NOW - 60_000).toISOString(),
    shuffle: true,
    repeat: 'context',
    spotify_volume: 45,
    device_name: 'Living Room Speaker',
    mixer: true,
    volume: 45,
    muted: false,
    ...over,
  },
});

/** hass.entities, hass.devices and what get_entries answers */
export function registry() {
  const entities = Object.fromEntries(
    Object.values(ENTITY_IDS).map((id) => [id, { entity_id: id, device_id: DEVICE_ID, platform: 'mqtt', labels: [] }]),
  );
  // another MQTT device's entity must not be taken for ours
  entities['sensor.other_title'] = { entity_id: 'sensor.other_title', device_id: 'other', platform: 'mqtt', labels: [] };
  const devices = {
    other: { id: 'other', name: 'Zigbee plug', name_by_user: null, identifiers: [['mqtt', 'zigbee2mqtt_0x1234']] },
    [DEVICE_ID]: {
      id: DEVICE_ID,
      name: 'Living Room Speaker',
      name_by_user: null,
      // what discovery's device block makes of it
      identifiers: (discoveryPayload(cfg, topics).device.identifiers as string[]).map((id) => ['mqtt', id]),
      manufacturer: 'librespot2mqtt',
    },
  };
  const extended: Record<string, Record<string, unknown>> = Object.fromEntries(
    (Object.entries(ENTITY_IDS) as [Key, string][]).map(([key, id]) => [
      id,
      { entity_id: id, device_id: DEVICE_ID, platform: 'mqtt', unique_id: components[key]!.unique_id, original_name: components[key]!.name },
    ]),
  );
  extended['sensor.other_title'] = { entity_id: 'sensor.other_title', platform: 'mqtt', unique_id: 'zigbee2mqtt_0x1234_title' };
  return { entities, devices, extended };
}

type HassState = { entity_id: string; state: string; attributes: Record<string, unknown> };

/**
 * hass.states for a scenario, as Home Assistant computes them from the bridge's discovery: each
 * entity's own value_template and json_attributes_template rendered by Jinja2 over the state JSON
 * the bridge publishes, "unavailable" where an availability topic it needs is offline, "None" as
 * HA's MQTT sensor reads it (no value: unknown), ON/OFF as on/off.
 */
export function states(s: Scenario): Record<string, HassState> {
  const up: Record<Need, boolean> = { librespot: s.state.librespot, mixer: s.state.mixer };
  const keys = Object.keys(ENTITY_IDS) as Key[];
  const templates = keys.flatMap((k) => [components[k]!.value_template ?? '', components[k]!.json_attributes_template ?? '']) as string[];
  const rendered = renderJinja(templates, {}, { value_json: statePayload(s.state) });
  const out: Record<string, HassState> = {};
  keys.forEach((key, i) => {
    const c = components[key]!;
    const def = ENTITIES.find((e) => e.key === key)!;
    const [value, attrs] = [rendered[2 * i]!, rendered[2 * i + 1]!];
    const attributes: Record<string, unknown> = attrs ? (JSON.parse(attrs) as Record<string, unknown>) : {};
    for (const a of ['options', 'min', 'max', 'step', 'mode']) if (c[a] !== undefined) attributes[a] = c[a];
    let state: string;
    if (s.bridge === 'offline' || def.needs.some((n) => !up[n])) state = 'unavailable';
    else if (c.platform === 'button') state = 'unknown';
    else if (c.platform === 'image') {
      state = s.state.track?.cover_url ? '2026-11-30T20:14:00+00:00' : 'unknown';
      Object.assign(attributes, { entity_picture: `/api/image_proxy/${ENTITY_IDS.cover}?token=f00d`, access_token: 'f00d' });
    } else if (c.state_topic === topics.needs.librespot) state = up.librespot ? 'on' : 'off';
    else if (value === 'None') state = 'unknown';
    else if (c.platform === 'switch' || c.platform === 'binary_sensor') state = value.toLowerCase();
    else state = value;
    out[ENTITY_IDS[key]] = { entity_id: ENTITY_IDS[key], state, attributes };
  });
  return out;
}

/**
 * Runs in the page: window.setHass(data) hands the card a hass object whose calls are recorded in
 * window.calls (services) and window.ws (WebSocket messages), answered the way HA answers them.
 */
export const PAGE_SCRIPT = `
window.calls = [];
window.ws = [];
window.failNext = null;
window.setHass = (data, index) => {
  const hass = {
    states: data.states, entities: data.entities, devices: data.devices,
    callService: async (domain, service, serviceData) => {
      window.calls.push({ domain, service, data: serviceData });
      if (window.failNext) { const e = window.failNext; window.failNext = null; throw e; }
    },
    callWS: async (msg) => {
      window.ws.push(msg);
      if (data.wsError) throw data.wsError;
      if (msg.type === 'config/entity_registry/get_entries')
        return Object.fromEntries(msg.entity_ids.map((id) => [id, data.extended[id] ?? null]));
      throw { code: 'unknown_command', message: 'Unknown command.' };
    },
  };
  const cards = [...document.querySelectorAll('librespot2mqtt-card')];
  for (const card of index === undefined ? cards : [cards[index]]) card.hass = hass;
  return hass;
};
`;
