// Pure mapping from go-librespot's answers and events to the bridge's state.
// /status is the truth; events move the state between two /status reads.
import type { ApiEvent, ApiEventType, ApiStatus, ApiTrack } from './api.js';
import { positionAt, type PlayerState, type Track } from '../state/state.js';

/** Events after which /status is read again: they start or end sessions or change what is loaded,
 * and the repeat events carry one of the two flags the repeat mode is made of. */
export const RESYNC_ON: ReadonlySet<ApiEventType> = new Set([
  'playback_ready', 'active', 'inactive', 'metadata', 'stopped', 'repeat_context', 'repeat_track',
]);

/** go-librespot sends the protobuf text form ("year:2009 month:3 day:1"), not an ISO date. */
export function parseReleaseDate(text: string | undefined): string | null {
  const part = (name: string) => text?.match(new RegExp(`${name}:\\s*(\\d+)`))?.[1];
  const year = part('year');
  if (!year) return /^\d{4}(-\d{2}(-\d{2})?)?$/.test(text ?? '') ? text! : null;
  const pad = (s: string) => s.padStart(2, '0');
  const month = part('month');
  const day = part('day');
  return [year.padStart(4, '0'), month && pad(month), month && day && pad(day)].filter(Boolean).join('-');
}

export function trackFromApi(t: ApiTrack): Track {
  return {
    uri: t.uri,
    name: t.name,
    artists: t.artist_names ?? [],
    album: t.album_name,
    cover_url: t.album_cover_url || null,
    duration_ms: Math.max(0, t.duration),
    release_date: parseReleaseDate(t.release_date),
    track_number: t.track_number || null,
    disc_number: t.disc_number || null,
    format: t.format || null,
    codec: t.codec || null,
    bitrate: t.bitrate ?? null,
    sample_rate: t.sample_rate ?? null,
    bit_depth: t.bit_depth ?? null,
  };
}

const iso = (now: number) => new Date(now).toISOString();
const percent = (value: number, max: number) => Math.min(100, Math.max(0, Math.round((value * 100) / max)));

export function stateFromStatus(status: ApiStatus | null, now: number): Partial<PlayerState> {
  if (!status) return { session: false, playback: 'off', track: null, context_uri: null, position_ms: 0, position_updated_at: null };
  const track = status.track ? trackFromApi(status.track) : null;
  const playback = status.stopped || !track ? 'idle' : status.buffering ? 'buffering' : status.paused ? 'paused' : 'playing';
  return {
    session: true,
    playback,
    track,
    // /status has no context before upstream PR #384: keep what the events said
    ...(status.context_uri !== undefined ? { context_uri: status.context_uri || null } : {}),
    ...(!track ? { context_uri: null } : {}),
    position_ms: Math.max(0, status.track?.position ?? 0),
    position_updated_at: track ? iso(now) : null,
    shuffle: status.shuffle_context,
    repeat: status.repeat_track ? 'track' : status.repeat_context ? 'context' : 'off',
    spotify_volume: percent(status.volume, status.volume_steps),
    spotify_volume_steps: status.volume_steps,
    device_name: status.device_name,
  };
}

export function stateFromEvent(s: PlayerState, ev: ApiEvent, now: number): Partial<PlayerState> {
  const here = { position_ms: positionAt(s, now), position_updated_at: iso(now) };
  const context = (d: { context_uri?: string }) => (d.context_uri !== undefined ? { context_uri: d.context_uri || null } : {});
  switch (ev.type) {
    case 'will_play':
      return { session: true, playback: 'buffering', ...context(ev.data) };
    case 'metadata':
      return { session: true, track: trackFromApi(ev.data), position_ms: Math.max(0, ev.data.position), position_updated_at: iso(now) };
    case 'playing':
      // a resume keeps the position; a new track starts where metadata said
      return { session: true, playback: 'playing', position_updated_at: iso(now), ...context(ev.data) };
    case 'paused':
      return { session: true, playback: 'paused', ...here, ...context(ev.data) };
    case 'not_playing':
      return s.track ? { position_ms: s.track.duration_ms, position_updated_at: iso(now) } : {};
    case 'seek':
      return { position_ms: Math.max(0, ev.data.position), position_updated_at: iso(now), ...context(ev.data) };
    case 'volume':
      return { spotify_volume: percent(ev.data.value, ev.data.max), spotify_volume_steps: ev.data.max };
    case 'repeat_context':
      return { repeat: s.repeat === 'track' ? 'track' : ev.data.value ? 'context' : 'off' };
    case 'repeat_track':
      // repeat track comes with repeat context on (the Spotify app and this bridge set both);
      // the /status read that follows confirms it
      return { repeat: ev.data.value ? 'track' : s.repeat === 'track' ? 'context' : s.repeat };
    case 'shuffle_context':
      return { shuffle: ev.data.value };
    case 'playback_ready':
    case 'active':
      return { session: true };
    case 'stopped':
      return s.playback === 'playing' || s.playback === 'buffering' ? { playback: 'paused', ...here } : {};
    case 'inactive':
      return { playback: 'idle', ...here };
  }
}
