// go-librespot's local API payloads, as its code sends them (v0.9.0; the spec is in test/fixtures),
// plus what v0.10 added (notes §14). Fields added in v0.9.0 or later are optional so older daemons
// still parse.
import { z } from 'zod';
import { isPlaybackErrorKind, type PlaybackErrorKind } from './errors.js';

export const ApiTrack = z.object({
  uri: z.string(),
  name: z.string(),
  // Go encodes a nil slice as null (a track without artists)
  artist_names: z.array(z.string()).nullable(),
  album_name: z.string(),
  album_cover_url: z.string().nullable(),
  position: z.number().int(),
  duration: z.number().int(),
  release_date: z.string().optional(),
  track_number: z.number().int().optional(),
  disc_number: z.number().int().optional(),
  format: z.string().optional(),
  codec: z.string().optional(),
  bitrate: z.number().int().nullable().optional(),
  sample_rate: z.number().int().nullable().optional(),
  bit_depth: z.number().int().nullable().optional(),
  // v0.10 ([post-0.9] api_server.go newApiResponseStatusMedia)
  artist_uris: z.array(z.string()).nullable().optional(),
  album_uri: z.string().nullable().optional(),
});
export type ApiTrack = z.infer<typeof ApiTrack>;

export const ApiStatus = z.object({
  username: z.string(),
  device_id: z.string(),
  device_type: z.string(),
  device_name: z.string(),
  play_origin: z.string(),
  stopped: z.boolean(),
  paused: z.boolean(),
  buffering: z.boolean(),
  volume: z.number().int().nonnegative(),
  volume_steps: z.number().int().positive(),
  repeat_context: z.boolean(),
  repeat_track: z.boolean(),
  shuffle_context: z.boolean(),
  track: ApiTrack.nullable(),
  // v0.10: upstream PR #384 (context) and PR #351 (next_track, with metadata.enabled)
  context_uri: z.string().nullable().optional(),
  context_name: z.string().nullable().optional(),
  play_origin_device_id: z.string().nullable().optional(),
  next_track: ApiTrack.nullable().optional(),
});
export type ApiStatus = z.infer<typeof ApiStatus>;

// before v0.7.2 GET / answered {}
export const ApiRoot = z.object({ playback_ready: z.boolean().optional() });
export type ApiRoot = z.infer<typeof ApiRoot>;

/** v0.10 GET /auth/code while a device_auth login waits; expires_at is RFC 3339. */
export const ApiDeviceAuth = z.object({ code: z.string().min(1), url: z.string().min(1), expires_at: z.string() });
export type ApiDeviceAuth = z.infer<typeof ApiDeviceAuth>;

export const ApiVolume = z.object({ value: z.number().int().nonnegative(), max: z.number().int().positive() });
export type ApiVolume = z.infer<typeof ApiVolume>;

const PlayerRef = z.object({
  context_uri: z.string().optional(), // since v0.4.0
  uri: z.string(),
  play_origin: z.string(),
});
const Flag = z.object({ value: z.boolean() });

export const ApiEvent = z.discriminatedUnion('type', [
  z.object({ type: z.literal('playback_ready'), data: z.null() }),
  z.object({ type: z.literal('active'), data: z.null() }),
  z.object({ type: z.literal('inactive'), data: z.null() }),
  z.object({ type: z.literal('will_play'), data: PlayerRef }),
  z.object({ type: z.literal('metadata'), data: ApiTrack }),
  z.object({ type: z.literal('playing'), data: PlayerRef.extend({ resume: z.boolean().optional() }) }),
  z.object({ type: z.literal('paused'), data: PlayerRef }),
  z.object({ type: z.literal('not_playing'), data: PlayerRef }),
  z.object({ type: z.literal('stopped'), data: z.object({ play_origin: z.string() }) }),
  z.object({
    type: z.literal('seek'),
    data: PlayerRef.extend({ position: z.number().int(), duration: z.number().int() }),
  }),
  z.object({ type: z.literal('volume'), data: ApiVolume }),
  z.object({ type: z.literal('repeat_context'), data: Flag }),
  z.object({ type: z.literal('repeat_track'), data: Flag }),
  z.object({ type: z.literal('shuffle_context'), data: Flag }),
  z.object({
    type: z.literal('playback_error'),
    data: PlayerRef.extend({
      stage: z.string(),
      // a kind a newer daemon adds is still an error: reported as unknown
      kind: z.string().transform((k): PlaybackErrorKind => (isPlaybackErrorKind(k) ? k : 'unknown')),
      unplayable: z.boolean(),
      message: z.string(),
    }),
  }),
]);

export type ApiEvent = z.infer<typeof ApiEvent>;
export type ApiEventType = ApiEvent['type'];
