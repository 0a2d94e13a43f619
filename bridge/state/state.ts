// The speaker's state as the bridge knows it: what the state topic carries, and what ctl reads back.
import { z } from 'zod';
import { PLAYBACK_ERROR_KINDS } from '../librespot/errors.js';

export const PLAYBACK = ['playing', 'paused', 'buffering', 'idle', 'off'] as const;
export const REPEAT = ['off', 'context', 'track'] as const;

export const Track = z.object({
  uri: z.string(),
  name: z.string(),
  artists: z.array(z.string()),
  album: z.string(),
  cover_url: z.string().nullable(),
  duration_ms: z.number().int().nonnegative(),
  release_date: z.string().nullable(),
  track_number: z.number().int().nullable(),
  disc_number: z.number().int().nullable(),
  format: z.string().nullable(),
  codec: z.string().nullable(),
  bitrate: z.number().int().nullable(),
  sample_rate: z.number().int().nullable(),
  bit_depth: z.number().int().nullable(),
  /** go-librespot v0.10; empty / null before */
  artist_uris: z.array(z.string()),
  album_uri: z.string().nullable(),
});
export type Track = z.infer<typeof Track>;

/** What plays next (go-librespot v0.10 with its metadata cache on) */
export const NextTrack = Track.pick({ uri: true, name: true, artists: true, album: true, cover_url: true, duration_ms: true });
export type NextTrack = z.infer<typeof NextTrack>;

/** The last playback failure go-librespot reported (v0.10 playback_error), until a track plays */
export const LastError = z.object({
  kind: z.enum(PLAYBACK_ERROR_KINDS),
  /** load, playback or session */
  stage: z.string(),
  message: z.string(),
  /** go-librespot gave up on this track for good */
  unplayable: z.boolean(),
  /** what happened, in a few plain words */
  summary: z.string(),
  /** what it means and what to try */
  explanation: z.string(),
  uri: z.string().nullable(),
  at: z.string(),
});
export type LastError = z.infer<typeof LastError>;

/** A device_auth login waiting for the user: open the URL, enter the code */
export const Pairing = z.object({ code: z.string(), url: z.string(), expires_at: z.string() });
export type Pairing = z.infer<typeof Pairing>;

export const PlayerState = z.object({
  /** the bridge can reach go-librespot's API and event stream */
  librespot: z.boolean(),
  /** a Spotify client is connected (go-librespot answers /status with 200, not 204) */
  session: z.boolean(),
  playback: z.enum(PLAYBACK),
  track: Track.nullable(),
  context_uri: z.string().nullable(),
  /** the playlist, album, … being played (go-librespot v0.10) */
  context_name: z.string().nullable(),
  next_track: NextTrack.nullable(),
  last_error: LastError.nullable(),
  pairing: Pairing.nullable(),
  /** position at position_updated_at; extrapolate while playing (go-librespot pushes no progress) */
  position_ms: z.number().int().nonnegative(),
  position_updated_at: z.string().nullable(),
  shuffle: z.boolean(),
  repeat: z.enum(REPEAT),
  /** go-librespot's own volume in percent (its steps scaled to 0..100) */
  spotify_volume: z.number().int().min(0).max(100).nullable(),
  /** go-librespot's volume_steps: its API counts volume in these */
  spotify_volume_steps: z.number().int().positive(),
  device_name: z.string().nullable(),
  /** the volume control works (the ALSA mixer, or go-librespot with mixer.backend none) */
  mixer: z.boolean(),
  /** what the room hears, 0..100 (perceptual, like alsamixer); null while unknown */
  volume: z.number().int().min(0).max(100).nullable(),
  muted: z.boolean().nullable(),
  /** the cap no source may exceed */
  max_volume: z.number().int().min(0).max(100),
  /** the mixer's own numbers, for debugging: raw per channel and dB (null without a dB scale) */
  mixer_detail: z
    .object({ device: z.string(), control: z.string(), raw: z.array(z.number().int()), db: z.number().nullable() })
    .nullable(),
});
export type PlayerState = z.infer<typeof PlayerState>;

export const initialState: PlayerState = {
  librespot: false,
  session: false,
  playback: 'off',
  track: null,
  context_uri: null,
  context_name: null,
  next_track: null,
  last_error: null,
  pairing: null,
  position_ms: 0,
  position_updated_at: null,
  shuffle: false,
  repeat: 'off',
  spotify_volume: null,
  spotify_volume_steps: 100,
  device_name: null,
  mixer: false,
  volume: null,
  muted: null,
  max_volume: 100,
  mixer_detail: null,
};

/** Current position, extrapolated while playing. */
export function positionAt(s: PlayerState, now: number): number {
  if (s.playback !== 'playing' || !s.position_updated_at) return s.position_ms;
  const p = s.position_ms + Math.max(0, now - Date.parse(s.position_updated_at));
  return s.track ? Math.min(p, s.track.duration_ms) : p;
}
