// The two HACS integrations that give Home Assistant an MQTT media_player, as data: which feeds
// each reads (topic key → what we publish), which commands it sends (topic key → our command),
// and the rest of its discovery payload. Both claim the domain mqtt_media_player and the topic
// homeassistant/media_player/<id>/config, with key sets the other refuses: one is chosen by config.
// Keys are the ones each integration's code reads (test/fixtures/hacs-media-player/ names the commits).
import { VERSION } from '../../version.js';
import type { PlayerState } from '../../state/state.js';

/** Our command path's plain form: <base>/<id>/set/<field> ← value. */
export type Translated = { field: string; value: string } | { error: string };

export interface Feed {
  /** the discovery key naming the topic */
  key: string;
  /** the topic below <base>/<id>/media_player/ */
  name: string;
  /** the feed changes only when one of these state fields does */
  from: (keyof PlayerState)[];
  value(s: Readonly<PlayerState>, art: string): string;
}

export interface CommandFeed {
  key: string;
  name: string;
  /** the payload the integration sends, set in discovery (play_payload: Play) */
  payload?: { key: string; value: string };
  translate(payload: string): Translated;
}

export interface Flavour {
  /** the cover as bytes (base64) rather than its URL */
  artAsBytes: boolean;
  feeds: Feed[];
  commands: CommandFeed[];
  /** name, device and availability, in the shape this integration reads */
  identity(o: { name: string; id: string; availability: string }): Record<string, unknown>;
}

const MEDIA_STATE: Record<PlayerState['playback'], string> = {
  playing: 'playing',
  // a player between two tracks is still playing for a media card
  buffering: 'playing',
  paused: 'paused',
  idle: 'idle',
  off: 'off',
};

const seconds = (ms: number) => String(Math.floor(ms / 1000));

/** what each feed carries, by its topic name below <base>/<id>/media_player/ */
const FEEDS: Record<string, Omit<Feed, 'key' | 'name'>> = {
  state: { from: ['librespot', 'playback'], value: (s) => (s.librespot ? MEDIA_STATE[s.playback] : 'off') },
  title: { from: ['track'], value: (s) => s.track?.name ?? '' },
  artist: { from: ['track'], value: (s) => s.track?.artists.join(', ') ?? '' },
  album: { from: ['track'], value: (s) => s.track?.album ?? '' },
  // both read these with int(): "12.5" would be dropped
  duration: { from: ['track'], value: (s) => (s.track ? seconds(s.track.duration_ms) : '') },
  // the integration stamps the time it receives a position and HA extrapolates while playing:
  // publish it when it jumps, not as it runs
  position: { from: ['track', 'position_ms', 'position_updated_at'], value: (s) => (s.track ? seconds(s.position_ms) : '') },
  volume: { from: ['volume'], value: (s) => String((s.volume ?? 0) / 100) },
  mute: { from: ['muted'], value: (s) => (s.muted ? 'mute' : 'unmute') },
  albumart: { from: ['track'], value: (_s, art) => art },
  mediatype: { from: ['track'], value: () => 'music' },
};

/** the feeds an integration reads, its discovery key for each made from the feed's name */
const feeds = (key: (name: string) => string, names: (keyof typeof FEEDS)[]): Feed[] =>
  names.map((name) => ({ key: key(name), name, ...FEEDS[name]! }));

/** HA's media_player volume is 0..1; ours is a whole percent */
function volumeLevel(payload: string): Translated {
  const t = payload.trim();
  const v = /^(?:0|1|0?\.\d+|1\.0+)$/.test(t) ? Number(t) : NaN;
  if (Number.isNaN(v)) return { error: `volume: expected a level from 0 to 1 (like 0.35), got ${JSON.stringify(payload.slice(0, 40))}` };
  return { field: 'volume', value: String(Math.round(v * 100)) };
}

/** {"media_type": "...", "media_id": "spotify:playlist:…"}: we can play Spotify URIs only */
function playMedia(payload: string): Translated {
  let id: unknown;
  try {
    id = (JSON.parse(payload) as { media_id?: unknown }).media_id;
  } catch {
    return { error: 'play_media: expected JSON {"media_type": …, "media_id": …}' };
  }
  return typeof id === 'string' ? { field: 'play_uri', value: id } : { error: 'play_media: media_id must be a string' };
}

const action = (key: string, name: string, payloadKey: string, payload: string, ours: string): CommandFeed => ({
  key,
  name,
  payload: { key: payloadKey, value: payload },
  translate: (p) => (p === payload ? { field: 'action', value: ours } : { error: `${name}: expected ${JSON.stringify(payload)}, got ${JSON.stringify(p.slice(0, 40))}` }),
});

const device = (o: { name: string; id: string }) => ({
  identifiers: [`librespot2mqtt_${o.id}_media_player`],
  name: o.name,
  manufacturer: 'librespot2mqtt',
  model: 'Spotify Connect speaker (go-librespot)',
  sw_version: VERSION,
});

export const FLAVOURS = {
  /** bkbilly/mqtt_media_player: state_*_topic / command_*_topic, cover as base64 bytes */
  bkbilly: {
    artAsBytes: true,
    feeds: feeds((n) => `state_${n}_topic`, ['state', 'title', 'artist', 'album', 'duration', 'position', 'volume', 'mute', 'albumart', 'mediatype']),
    commands: [
      action('command_play_topic', 'play', 'command_play_payload', 'Play', 'play'),
      action('command_pause_topic', 'pause', 'command_pause_payload', 'Pause', 'pause'),
      action('command_next_topic', 'next', 'command_next_payload', 'Next', 'next'),
      action('command_previous_topic', 'previous', 'command_previous_payload', 'Previous', 'previous'),
      { key: 'command_volume_topic', name: 'volume', translate: volumeLevel },
      {
        key: 'command_mute_topic',
        name: 'mute',
        translate: (p) => (p === 'mute' || p === 'unmute' ? { field: 'mute', value: p === 'mute' ? 'on' : 'off' } : { error: `mute: expected mute or unmute, got ${JSON.stringify(p.slice(0, 40))}` }),
      },
      { key: 'command_playmedia_topic', name: 'play_media', translate: playMedia },
    ],
    // a single availability object with its topic (not a list); this integration reads no device
    identity: (o) => ({ name: o.name, availability: { topic: o.availability, payload_available: 'online', payload_not_available: 'offline' } }),
  },
  /** shyndman/ha-mqtt-media-player: <what>_topic, cover as a URL, seek and stop; its schema refuses other keys */
  shyndman: {
    artAsBytes: false,
    // no mute: its schema has no mute key
    feeds: feeds((n) => `${n}_topic`, ['state', 'title', 'artist', 'album', 'duration', 'position', 'volume', 'albumart', 'mediatype']),
    commands: [
      action('play_topic', 'play', 'play_payload', 'Play', 'play'),
      action('pause_topic', 'pause', 'pause_payload', 'Pause', 'pause'),
      action('stop_topic', 'stop', 'stop_payload', 'Stop', 'stop'),
      action('next_topic', 'next', 'next_payload', 'Next', 'next'),
      action('previous_topic', 'previous', 'previous_payload', 'Previous', 'previous'),
      { key: 'volumeset_topic', name: 'volume', translate: volumeLevel },
      { key: 'playmedia_topic', name: 'play_media', translate: playMedia },
      {
        key: 'seek_topic',
        name: 'seek',
        translate: (p) => (/^\s*\d+(\.\d+)?\s*$/.test(p) ? { field: 'seek', value: String(Math.floor(Number(p))) } : { error: `seek: expected seconds, got ${JSON.stringify(p.slice(0, 40))}` }),
      },
    ],
    identity: (o) => ({
      name: o.name,
      unique_id: `librespot2mqtt_${o.id}_media_player`,
      device: device(o),
      availability: { payload_available: 'online', payload_not_available: 'offline' },
      availability_topic: o.availability,
    }),
  },
} satisfies Record<string, Flavour>;

export type FlavourName = keyof typeof FLAVOURS;

/** The discovery payload: identity, then every feed and command topic. */
export function mediaPlayerDiscovery(f: Flavour, o: { name: string; id: string; availability: string; root: string }): Record<string, unknown> {
  return {
    ...f.identity(o),
    ...Object.fromEntries(f.feeds.map((x) => [x.key, `${o.root}/${x.name}`])),
    ...Object.fromEntries(f.commands.flatMap((c) => [[c.key, `${o.root}/set/${c.name}`], ...(c.payload ? [[c.payload.key, c.payload.value]] : [])])),
  };
}
