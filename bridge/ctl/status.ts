// What ctl prints for people: a bridge's state, a one-line summary, and the list of bridges.
import type { BridgeInfo } from '../mqtt/info.js';
import { positionAt, type PlayerState } from '../state/state.js';

const yesNo = (b: boolean | null) => (b === null ? 'unknown' : b ? 'yes' : 'no');
const upDown = (b: boolean) => (b ? 'online' : 'offline');
const clock = (ms: number) => `${Math.floor(ms / 60_000)}:${String(Math.floor(ms / 1000) % 60).padStart(2, '0')}`;
const volume = (s: PlayerState) => (s.volume === null ? 'unknown' : `${s.volume} %`);

export function nowPlaying(s: PlayerState): string {
  return s.track ? `${s.track.name} — ${s.track.artists.join(', ')}` : 'nothing';
}

export function summary(id: string, s: PlayerState): string {
  return `${id}: ${s.playback}, ${nowPlaying(s)}; volume ${volume(s)} (max ${s.max_volume} %)${s.muted ? ', muted' : ''}; shuffle ${s.shuffle ? 'on' : 'off'}, repeat ${s.repeat}`;
}

export interface Seen {
  online: boolean;
  /** the bridge answered get just now: its state is the present, not its last word */
  answered: boolean;
  state: PlayerState;
  info: BridgeInfo | null;
}

/** `now` is on the bridge's clock, so the position does not drift with the difference of clocks. */
export function status(id: string, seen: Seen, now: number): string {
  const { state: s, info } = seen;
  const name = info?.device.name ?? s.device_name;
  const bridge = !seen.online
    ? 'bridge offline: what follows is the last state it published'
    : seen.answered
      ? `bridge online${info ? `, librespot2mqtt ${info.version}` : ''}`
      : 'bridge says online but does not answer: what follows is the last state it published';
  // without go-librespot nothing below can be current: the bridge only remembers it
  const stale = !s.librespot;
  const at = s.track ? `${clock(positionAt(s, now))} / ${clock(s.track.duration_ms)}` : '-';
  const last = s.position_updated_at ? ` at ${new Date(s.position_updated_at).toLocaleTimeString()}` : '';
  return [
    `${id}${name ? ` (${name})` : ''}: ${bridge}`,
    `  playing   ${stale ? 'last known: ' : ''}${nowPlaying(s)}${s.track ? ` [${s.track.album}]` : ''}`,
    stale ? `  playback  unknown: go-librespot is offline (last known: ${s.playback}${last})` : `  playback  ${s.playback}, at ${at}`,
    `  volume    ${volume(s)}, max ${s.max_volume} %, muted ${yesNo(s.muted)}`,
    `  shuffle   ${s.shuffle ? 'on' : 'off'}, repeat ${s.repeat}`,
    `  online    go-librespot ${upDown(s.librespot)}, Spotify session ${yesNo(s.session)}, mixer ${upDown(s.mixer)}`,
  ].join('\n');
}

export interface Listed {
  id: string;
  availability: string;
  /** whether it answered get (null: offline, not asked) */
  answered: boolean | null;
  device_name: string | null;
  version: string | null;
}

export function list(bridges: Listed[]): string {
  if (bridges.length === 0) return 'no bridges on this broker';
  const shown = bridges.map((b) => ({ ...b, word: b.answered === false ? 'hung' : b.availability }));
  const width = Math.max(...shown.map((b) => b.id.length));
  return shown
    .map((b) => `${b.id.padEnd(width)}  ${b.word.padEnd(7)}  ${b.device_name ?? ''}${b.version ? `  (librespot2mqtt ${b.version})` : ''}`.trimEnd())
    .join('\n');
}
