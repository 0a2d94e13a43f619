// What goes on the wire, built from the state: pure functions, so tests and docs use the same ones.
import type { LastError, PlayerState } from '../state/state.js';

/** Home Assistant rejects states over 255 characters */
export const HA_STATE_MAX = 255;

export const cut = (s: string | undefined): string => {
  if (!s) return '';
  const chars = Array.from(s);
  return chars.length <= HA_STATE_MAX ? s : chars.slice(0, HA_STATE_MAX - 1).join('') + '…';
};

export function statePayload(s: Readonly<PlayerState>) {
  return {
    ...s,
    title: cut(s.track?.name),
    artist: cut(s.track?.artists.join(', ')),
    album: cut(s.track?.album),
  };
}
export type StatePayload = ReturnType<typeof statePayload>;

export const availabilityPayload = (up: boolean) => (up ? 'online' : 'offline');

export function trackChangedPayload(s: Readonly<PlayerState>) {
  const t = s.track;
  return t && { event_type: 'track_changed', title: t.name, artist: t.artists.join(', '), album: t.album, uri: t.uri, context_uri: s.context_uri };
}

/** One playback error for the Playback error event entity and CLI subscribers: the kind is the event type. */
export function playbackErrorPayload(e: LastError) {
  const { kind, ...rest } = e;
  return { event_type: kind, ...rest };
}
