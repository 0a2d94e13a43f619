// The demo's running commentary: one terminal line per thing that happens to the speaker, and who
// did it. Who: a request the bridge sent to go-librespot just before (an MQTT command: Home
// Assistant, mosquitto_pub, ctl), or else the simulated Spotify app.
import type { LibrespotEmulator } from '../emulator/emulator.js';
import type { PlayerState } from '../state/state.js';
import type { Store } from '../state/store.js';

/** go-librespot answers a request before its event arrives; this is "just before", generously */
const CAUSE_MS = 1500;

const PLAYBACK_PATHS = ['/player/play', '/player/resume', '/player/pause', '/player/playpause', '/player/stop', '/player/next', '/player/prev', '/player/seek'];

export function narrate(store: Store<PlayerState>, emulator: LibrespotEmulator, print: (line: string) => void): () => void {
  const by = (paths: string[]) => {
    const { requests } = emulator;
    // newest first, and only as far back as could be the cause
    for (let i = requests.length - 1; i >= 0 && Date.now() - requests[i]!.at < CAUSE_MS; i--)
      if (requests[i]!.method === 'POST' && paths.includes(requests[i]!.path)) return 'an MQTT command';
    return 'the Spotify app';
  };
  const say = (text: string) => print(`${new Date().toTimeString().slice(0, 8)}  ${text}`);
  return store.subscribe((s, changed) => {
    if (changed.has('track') && s.track) say(`track     ${s.track.name} — ${s.track.artists.join(', ')} [${s.track.album}] (${by(PLAYBACK_PATHS)})`);
    if (changed.has('playback')) say(`playback  ${s.playback} (${by(PLAYBACK_PATHS)})`);
    if (changed.has('volume') && s.volume !== null) say(`volume    ${s.volume} % (${by(['/player/volume'])})`);
    if (changed.has('muted') && s.muted !== null) say(`mute      ${s.muted ? 'on' : 'off'} (${by(['/player/volume'])})`);
    if (changed.has('max_volume')) say(`max       ${s.max_volume} % (an MQTT command)`);
    if (changed.has('shuffle')) say(`shuffle   ${s.shuffle ? 'on' : 'off'} (${by(['/player/shuffle_context'])})`);
    if (changed.has('repeat')) say(`repeat    ${s.repeat} (${by(['/player/repeat_context', '/player/repeat_track'])})`);
  });
}
