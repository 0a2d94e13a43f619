// Pure mapping from go-librespot's answers and events to the bridge's state.
// /status is the truth; events move the state between two /status reads.
// "Playing" is steady: inside a playing session, loading the next track, buffering and seeking keep
// playback at 'playing' (an amplifier automation must not see them); only a pause, a stop, the end of
// the context, the end of the session or an error leave it.
import type { ApiEvent, ApiEventType, ApiStatus, ApiTrack } from './api.js';
import { EXPLANATIONS } from './errors.js';
import { initialState, positionAt, type NextTrack, type PlayerState, type Track } from '../state/state.js';

/** Events after which /status is read again: they start or end sessions or change what is loaded,
 * and the repeat events carry one of the two flags the repeat mode is made of. Not `stopped`: after
 * an output failure /status still says playing (notes §5.2). */
export const RESYNC_ON: ReadonlySet<ApiEventType> = new Set([
  'playback_ready', 'active', 'inactive', 'metadata', 'repeat_context', 'repeat_track',
]);

/** A /status position this close to the extrapolated one is the same position: keep the state still. */
const POSITION_SLACK_MS = 1500;

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
    artist_uris: t.artist_uris ?? [],
    album_uri: t.album_uri || null,
  };
}

export function nextTrackFromApi(t: ApiTrack | null | undefined): NextTrack | null {
  if (!t) return null;
  const { uri, name, artists, album, cover_url, duration_ms } = trackFromApi(t);
  return { uri, name, artists, album, cover_url, duration_ms };
}

const iso = (now: number) => new Date(now).toISOString();
const percent = (value: number, max: number) => Math.min(100, Math.max(0, Math.round((value * 100) / max)));
const playingOn = (s: PlayerState) => s.playback === 'playing';

/** `s` is the state before: a steady playing session and an unchanged position stay as they are. */
export function stateFromStatus(status: ApiStatus | null, now: number, s: PlayerState = initialState): Partial<PlayerState> {
  if (!status)
    return { session: false, playback: 'off', track: null, context_uri: null, context_name: null, next_track: null, position_ms: 0, position_updated_at: null };
  const track = status.track ? trackFromApi(status.track) : null;
  const playback =
    status.stopped || !track ? 'idle' : status.buffering ? (playingOn(s) ? 'playing' : 'buffering') : status.paused ? 'paused' : 'playing';
  const position = Math.max(0, status.track?.position ?? 0);
  const samePosition =
    track !== null && s.track?.uri === track.uri && s.playback === playback && Math.abs(positionAt(s, now) - position) <= POSITION_SLACK_MS;
  return {
    session: true,
    playback,
    track,
    // /status has no context before v0.10 (upstream PR #384): keep what the events said
    ...(status.context_uri !== undefined ? { context_uri: status.context_uri || null } : {}),
    ...(status.context_name !== undefined ? { context_name: status.context_name || null } : {}),
    ...(status.next_track !== undefined ? { next_track: nextTrackFromApi(status.next_track) } : {}),
    ...(!track ? { context_uri: null, context_name: null, next_track: null } : {}),
    ...(samePosition ? {} : { position_ms: position, position_updated_at: track ? iso(now) : null }),
    shuffle: status.shuffle_context,
    repeat: status.repeat_track ? 'track' : status.repeat_context ? 'context' : 'off',
    spotify_volume: percent(status.volume, status.volume_steps),
    spotify_volume_steps: status.volume_steps,
    device_name: status.device_name,
  };
}

export function stateFromEvent(s: PlayerState, ev: ApiEvent, now: number): Partial<PlayerState> {
  const here = { position_ms: positionAt(s, now), position_updated_at: iso(now) };
  const context = (d: { context_uri?: string }) => {
    if (d.context_uri === undefined) return {};
    const uri = d.context_uri || null;
    // the name belongs to the old context until /status names the new one
    return uri === s.context_uri ? {} : { context_uri: uri, context_name: null };
  };
  switch (ev.type) {
    case 'will_play':
      return { session: true, playback: playingOn(s) ? 'playing' : 'buffering', ...context(ev.data) };
    case 'metadata':
      return { session: true, track: trackFromApi(ev.data), position_ms: Math.max(0, ev.data.position), position_updated_at: iso(now) };
    case 'playing':
      // a new track starts where metadata put it; a resume restarts the clock at the paused position
      return {
        session: true,
        playback: 'playing',
        last_error: null,
        ...(ev.data.resume ? { position_updated_at: iso(now) } : {}),
        ...context(ev.data),
      };
    case 'paused':
      return { session: true, playback: 'paused', ...here, ...context(ev.data) };
    case 'not_playing':
      // the next track's events follow at once; the end of the context brings stopped and paused
      return {};
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
      return { session: true, pairing: null };
    case 'stopped':
      return s.playback === 'playing' || s.playback === 'buffering' ? { playback: 'paused', ...here } : {};
    case 'inactive':
      return { playback: 'idle', ...here };
    case 'playback_error': {
      const d = ev.data;
      const last_error = {
        kind: d.kind, stage: d.stage, message: d.message, unplayable: d.unplayable,
        ...EXPLANATIONS[d.kind], uri: d.uri || null, at: iso(now),
      };
      // nothing plays after a failed load; after a failed output the stopped event follows
      return { last_error, ...(s.playback === 'playing' || s.playback === 'buffering' ? { playback: 'idle', ...here } : {}) };
    }
  }
}
