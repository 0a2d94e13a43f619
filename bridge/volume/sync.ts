// Keeps the Spotify app's slider and the ALSA level in step (go-librespot external_volume: true).
// ALSA is what the room hears, so it wins ties: a go-librespot volume event is a user's intent
// only when it is not the echo of our own change and no change of ours is on its way.
import type { Logger } from '../log.js';
import type { ApiEvent } from '../librespot/api.js';
import type { LibrespotClient } from '../librespot/client.js';
import type { Store } from '../state/store.js';
import type { PlayerState } from '../state/state.js';
import type { Level } from './device.js';
import { setSpotifyVolume } from './device.js';
import type { VolumeController } from './controller.js';

/** go-librespot reports a change ~100 ms after it; an echo later than this is not ours */
const ECHO_WINDOW_MS = 1500;

export interface SpotifySyncOptions {
  controller: VolumeController;
  client: LibrespotClient;
  store: Store<PlayerState>;
  log: Logger;
}

export class SpotifySync {
  #want: number | null = null;
  #posting = false;
  /** a Spotify change that arrived while ours was on its way */
  #overlooked = false;
  #heardAt = 0;
  readonly #sent = new Map<number, number>();

  constructor(private readonly opts: SpotifySyncOptions) {
    opts.controller.onLevel((level) => this.#onLevel(level));
    // a session that appears (or is found at start-up) gets the speaker's real level
    opts.store.subscribe((s, changed) => {
      if (changed.has('session') && s.session && opts.controller.level) this.#push(opts.controller.level.percent);
    });
  }

  /** go-librespot's events, from LibrespotSource.listen */
  onEvent(ev: ApiEvent): void {
    if (ev.type !== 'volume') return;
    this.#heardAt = Date.now();
    const percent = this.opts.store.get().spotify_volume;
    if (percent === null || this.#isEcho(percent)) return;
    if (this.#posting) {
      this.#overlooked = true;
      return;
    }
    const level = this.opts.controller.level;
    if (!level || level.percent === percent) return;
    this.opts.log.debug(`Spotify volume ${percent} % → mixer`);
    this.opts.controller.setVolume(percent).then(
      // the cap or the mixer's steps may give another level than asked: show that one in the app
      () => {
        const now = this.opts.controller.level;
        if (now && now.percent !== this.opts.store.get().spotify_volume) this.#push(now.percent);
      },
      (err: Error) => this.opts.log.warn(`Spotify → mixer: ${err.message}`),
    );
  }

  #onLevel(level: Level): void {
    const s = this.opts.store.get();
    if (s.session && s.librespot && level.percent !== s.spotify_volume) this.#push(level.percent);
  }

  /** Sent already, and go-librespot has said nothing since: sending it again would change nothing. */
  #isPending(percent: number): boolean {
    let last: [number, number] | undefined;
    for (const e of this.#sent) if (!last || e[1] >= last[1]) last = e;
    return last !== undefined && last[0] === percent && this.#heardAt < last[1];
  }

  /** An echo also settles every value sent before it: go-librespot reports only the last of a burst. */
  #isEcho(percent: number): boolean {
    const at = this.#sent.get(percent);
    if (at === undefined || Date.now() - at > ECHO_WINDOW_MS) return false;
    for (const [v, t] of this.#sent) if (t <= at) this.#sent.delete(v);
    return true;
  }

  /** One POST at a time; a newer level replaces one still waiting (a dragged slider); a level
   * go-librespot was just told is not sent again. */
  #push(percent: number): void {
    if (this.#want === null && this.#isPending(percent)) return;
    this.#want = percent;
    if (this.#posting) return;
    void this.#drain();
  }

  async #drain(): Promise<void> {
    this.#posting = true;
    while (this.#want !== null) {
      const v = this.#want;
      this.#want = null;
      this.#sent.set(v, Date.now());
      try {
        await setSpotifyVolume(this.opts.client, this.opts.store.get(), v);
      } catch (err) {
        this.opts.log.debug(`mixer → Spotify: ${(err as Error).message}`);
      }
    }
    this.#posting = false;
    // both sides moved at once: the mixer (what the room hears) wins, once
    const level = this.opts.controller.level;
    if (this.#overlooked && level && this.opts.store.get().spotify_volume !== level.percent) {
      this.#overlooked = false;
      this.#push(level.percent);
    }
    this.#overlooked = false;
  }
}
