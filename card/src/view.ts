// What the card shows, derived from the entities' states: no DOM here, so every state is one
// function call away from a test.
import { hasValue, type HassEntity } from './hass.js';
import type { Key } from './keys.js';

export type Lookup = (key: Key) => HassEntity | undefined;

export interface View {
  /** playing, paused, buffering, idle, off, offline (bridge gone), player_down (go-librespot gone), unknown */
  phase: string;
  label: string;
  /** why nothing plays, in plain words; null while a track is there */
  hint: string | null;
  title: string | null;
  artist: string | null;
  album: string | null;
  playingFrom: string | null;
  cover: string | null;
  positionMs: number | null;
  positionAt: string | null;
  durationMs: number | null;
  playing: boolean;
  can: { playPause: boolean; previous: boolean; next: boolean; shuffle: boolean; repeat: boolean; volume: boolean; mute: boolean };
  shuffle: boolean;
  repeat: string;
  volume: number | null;
  cap: number | null;
  muted: boolean;
  /** the Last error sensor: its state says what happened, its explanation attribute what to try */
  error: { summary: string; detail: string | null } | null;
  pairing: { code: string; url: string | null; expiresAt: string | null } | null;
}

const LABELS: Record<string, string> = {
  playing: 'Playing',
  paused: 'Paused',
  buffering: 'Loading',
  idle: 'Idle',
  off: 'No Spotify session',
  offline: 'Unavailable',
  player_down: 'Player unreachable',
  unknown: 'Unknown',
};

const HINTS: Record<string, string> = {
  off: 'Pick this speaker in the Spotify app to start playing.',
  idle: 'Nothing is playing.',
  offline: 'The librespot2mqtt bridge is offline: it is not connected to the MQTT broker, or stopped.',
  player_down: 'The bridge runs, but go-librespot does not answer: check the go-librespot service.',
  unknown: 'No state yet from the bridge.',
};

const str = (v: unknown) => (typeof v === 'string' && v !== '' ? v : null);
const num = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) ? v : null);
const value = (e: HassEntity | undefined) => (hasValue(e) ? e.state : null);
const usable = (e: HassEntity | undefined) => !!e && e.state !== 'unavailable';
const percent = (e: HassEntity | undefined) => {
  const n = hasValue(e) ? Number(e.state) : NaN;
  return Number.isFinite(n) ? n : null;
};

function phaseOf(get: Lookup): string {
  const librespot = get('librespot');
  const playback = get('playback');
  // The go-librespot sensor depends on the bridge alone, so it tells which part is missing.
  if (librespot?.state === 'unavailable' || (!librespot && playback?.state === 'unavailable')) return 'offline';
  if (librespot?.state === 'off') return 'player_down';
  return hasValue(playback) && playback.state in LABELS ? playback.state : 'unknown';
}

export function viewOf(get: Lookup): View {
  const phase = phaseOf(get);
  const live = phase !== 'offline' && phase !== 'player_down';
  const titleEntity = get('title');
  // the state is cut to 255 characters; the attributes hold the whole track
  const track = (live && hasValue(titleEntity) ? titleEntity.attributes : {}) as Record<string, unknown>;
  const title = live ? (str(track.name) ?? value(titleEntity)) : null;
  const artists = Array.isArray(track.artists) ? track.artists.filter((a) => typeof a === 'string').join(', ') : null;
  const pairing = get('pairing');
  const lastError = get('last_error');
  const playing = phase === 'playing' || phase === 'buffering';
  // without a Spotify session (or a player) there is nothing to play, skip or shuffle
  const session = live && phase !== 'off';
  return {
    phase,
    label: LABELS[phase]!,
    hint: title ? null : (HINTS[phase] ?? null),
    title,
    artist: live ? str(artists) ?? value(get('artist')) : null,
    album: live ? str(track.album) ?? value(get('album')) : null,
    playingFrom: live && title ? value(get('playing_from')) : null,
    cover: live && title && usable(get('cover')) ? str(get('cover')!.attributes.entity_picture) : null,
    positionMs: title ? num(track.position_ms) : null,
    positionAt: str(track.position_updated_at),
    durationMs: title ? num(track.duration_ms) : null,
    playing,
    can: {
      playPause: session && usable(get(playing ? 'pause' : 'play')),
      previous: session && usable(get('previous')),
      next: session && usable(get('next')),
      shuffle: session && usable(get('shuffle')),
      repeat: session && hasValue(get('repeat')),
      volume: percent(get('volume')) !== null,
      mute: usable(get('mute')),
    },
    shuffle: get('shuffle')?.state === 'on',
    repeat: value(get('repeat')) ?? 'off',
    volume: percent(get('volume')),
    cap: percent(get('max_volume')),
    muted: get('mute')?.state === 'on',
    error: hasValue(lastError) ? { summary: lastError.state, detail: str(lastError.attributes.explanation) } : null,
    pairing: hasValue(pairing)
      ? { code: pairing.state, url: str(pairing.attributes.url), expiresAt: str(pairing.attributes.expires_at) }
      : null,
  };
}

/** Where the track is now: go-librespot reports a position and its time, not a running clock. */
export function positionNow(v: View, now: number): number | null {
  if (v.positionMs === null) return null;
  const since = v.playing && v.positionAt ? Math.max(0, now - Date.parse(v.positionAt)) : 0;
  const p = v.positionMs + (Number.isFinite(since) ? since : 0);
  return v.durationMs ? Math.min(p, v.durationMs) : p;
}

export const clock = (ms: number) => {
  const s = Math.floor(ms / 1000);
  const h = Math.floor(s / 3600);
  const mm = String(Math.floor((s % 3600) / 60));
  const ss = String(s % 60).padStart(2, '0');
  return h ? `${h}:${mm.padStart(2, '0')}:${ss}` : `${mm}:${ss}`;
};
