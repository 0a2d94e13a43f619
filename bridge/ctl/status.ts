// What ctl prints for people: a bridge's state, a one-line summary, and the list of bridges.
import type { PlayerState } from '../state/state.js';

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

export function status(id: string, online: boolean, s: PlayerState): string {
  const position = s.track ? `${clock(s.position_ms)} / ${clock(s.track.duration_ms)}` : '-';
  return [
    `${id}${s.device_name ? ` (${s.device_name})` : ''}: bridge ${upDown(online)}`,
    `  playing   ${nowPlaying(s)}${s.track ? ` [${s.track.album}]` : ''}`,
    `  playback  ${s.playback}, at ${position}`,
    `  volume    ${volume(s)}, max ${s.max_volume} %, muted ${yesNo(s.muted)}`,
    `  shuffle   ${s.shuffle ? 'on' : 'off'}, repeat ${s.repeat}`,
    `  online    go-librespot ${upDown(s.librespot)}, Spotify session ${yesNo(s.session)}, mixer ${upDown(s.mixer)}`,
  ].join('\n');
}

export interface Listed {
  id: string;
  availability: string;
  device_name: string | null;
}

export function list(bridges: Listed[]): string {
  if (bridges.length === 0) return 'no bridges on this broker';
  const width = Math.max(...bridges.map((b) => b.id.length));
  return bridges.map((b) => `${b.id.padEnd(width)}  ${b.availability.padEnd(7)}  ${b.device_name ?? ''}`.trimEnd()).join('\n');
}
