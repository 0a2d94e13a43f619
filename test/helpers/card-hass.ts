// A stand-in for Home Assistant's frontend `hass` object, with the registry shapes HA 2026 sends
// (hass.entities: entity registry display entries; hass.devices: device registry entries;
// config/entity_registry/get_entries: extended entries with unique_id). Only the parts a Lovelace
// card can see: the entity ids are deliberately not what the card could guess.
import type { Key } from '../../card/src/keys.js';

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

export interface Track {
  name: string;
  artists: string[];
  album: string;
  duration_ms: number;
  position_ms: number;
  /** ms before NOW */
  updated_ago: number;
}

export interface Scenario {
  bridge: 'online' | 'offline';
  librespot: 'on' | 'off';
  playback: 'playing' | 'paused' | 'buffering' | 'idle' | 'off';
  track?: Track;
  playing_from?: string;
  volume: number | null;
  max_volume: number;
  muted: boolean;
  shuffle: boolean;
  repeat: 'off' | 'context' | 'track';
  last_error?: string;
  pairing?: { code: string; url: string; expires_at: string };
}

export const MIDNIGHT: Track = {
  name: 'Midnight City',
  artists: ['M83'],
  album: "Hurry Up, We're Dreaming",
  duration_ms: 243_000,
  position_ms: 21_000,
  updated_ago: 60_000,
};

export const BASE: Scenario = {
  bridge: 'online',
  librespot: 'on',
  playback: 'playing',
  track: MIDNIGHT,
  playing_from: 'Discover Weekly',
  volume: 45,
  max_volume: 100,
  muted: false,
  shuffle: true,
  repeat: 'context',
};

const registryName = (key: string) => key.replace(/_/g, ' ');

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
      name: 'librespot2mqtt livingroom',
      name_by_user: 'Living Room Speaker',
      identifiers: [['mqtt', `librespot2mqtt_${BRIDGE_ID}`]],
      manufacturer: 'librespot2mqtt',
    },
  };
  const extended = Object.fromEntries(
    Object.entries(ENTITY_IDS).map(([key, id]) => [
      id,
      { entity_id: id, device_id: DEVICE_ID, platform: 'mqtt', unique_id: `librespot2mqtt_${BRIDGE_ID}_${key}`, original_name: registryName(key) },
    ]),
  );
  extended['sensor.other_title'] = { entity_id: 'sensor.other_title', platform: 'mqtt', unique_id: 'zigbee2mqtt_0x1234_title' } as never;
  return { entities, devices, extended };
}

/** hass.states for a scenario, as the bridge's discovery makes HA compute them */
export function states(s: Scenario): Record<string, { entity_id: string; state: string; attributes: Record<string, unknown> }> {
  const out: Record<string, { entity_id: string; state: string; attributes: Record<string, unknown> }> = {};
  const set = (key: Key, state: string, attributes: Record<string, unknown> = {}) => {
    out[ENTITY_IDS[key]] = { entity_id: ENTITY_IDS[key], state, attributes };
  };
  const offline = s.bridge === 'offline';
  const player = offline || s.librespot === 'off' ? 'unavailable' : null;
  const t = s.track;
  const attrs = t
    ? {
        uri: 'spotify:track:6GyFP1nfCDB8lbD2bG0Hq9',
        name: t.name,
        artists: t.artists,
        album: t.album,
        duration_ms: t.duration_ms,
        context_uri: 'spotify:playlist:37i9dQZEVXcQ9COmYvdajy',
        position_ms: t.position_ms,
        position_updated_at: new Date(NOW - t.updated_ago).toISOString(),
      }
    : { context_uri: null, position_ms: 0, position_updated_at: null };
  set('librespot', offline ? 'unavailable' : s.librespot);
  set('playback', player ?? s.playback, { options: ['playing', 'paused', 'buffering', 'idle', 'off'] });
  set('title', player ?? (t ? t.name.slice(0, 255) : 'unknown'), attrs);
  set('artist', player ?? (t ? t.artists.join(', ') : 'unknown'), attrs);
  set('album', player ?? (t ? t.album : 'unknown'), attrs);
  set('cover', player ?? (t ? '2026-11-30T20:14:00+00:00' : 'unknown'), {
    entity_picture: `/api/image_proxy/${ENTITY_IDS.cover}?token=f00d`,
    access_token: 'f00d',
  });
  set('playing_from', player ?? s.playing_from ?? 'unknown');
  for (const b of ['play', 'pause', 'next', 'previous'] as const) set(b, player ?? 'unknown');
  set('shuffle', player ?? (s.shuffle ? 'on' : 'off'));
  set('repeat', player ?? s.repeat, { options: ['off', 'context', 'track'] });
  const mixer = offline || s.volume === null ? 'unavailable' : null;
  set('volume', mixer ?? String(s.volume), { min: 0, max: 100, step: 1, mode: 'slider' });
  set('mute', mixer ?? (s.muted ? 'on' : 'off'));
  set('max_volume', offline ? 'unavailable' : String(s.max_volume), { min: 0, max: 100, step: 1 });
  set('last_error', player ?? s.last_error ?? 'unknown');
  set('pairing', offline ? 'unavailable' : (s.pairing?.code ?? 'unknown'), s.pairing ? { url: s.pairing.url, expires_at: s.pairing.expires_at } : {});
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
