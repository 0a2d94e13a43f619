// Keeps the Spotify app's slider and the ALSA level in step (go-librespot external_volume: true).
// go-librespot's volume event says only a value, ~100 ms after the change, so it cannot tell an
// echo of our own POST from a move of the app's slider. Order can: an event that arrives while
// our POST is on its way describes a volume that POST replaces; any other event that disagrees
// with the mixer is a trigger to ask go-librespot what it has now (GET, ordered after our POSTs),
// and only that answer moves the mixer. So a real change is never taken for an echo, and an
// old echo never moves the mixer back.
import type { Logger } from '../log.js';
import type { ApiEvent } from '../librespot/api.js';
import { ApiVolume } from '../librespot/api.js';
import type { LibrespotClient } from '../librespot/client.js';
import type { Store } from '../state/store.js';
import type { PlayerState } from '../state/state.js';
import { setSpotifyVolume } from './device.js';
import type { VolumeController } from './controller.js';

export interface SpotifySyncOptions {
  controller: VolumeController;
  client: LibrespotClient;
  store: Store<PlayerState>;
  log: Logger;
}

export class SpotifySync {
  /** go-librespot's volume as far as we know: its last word, or our last POST; null = unknown */
  #known: number | null = null;
  /** the next level to POST (a newer one replaces it: a dragged slider) */
  #want: number | null = null;
  #posting: number | null = null;
  /** an event came that needs go-librespot's current volume read back */
  #recheck = false;
  #busy = false;

  constructor(private readonly opts: SpotifySyncOptions) {
    opts.controller.onLevel((level) => this.#follow(level.percent));
    opts.store.subscribe((s, changed) => {
      if (!changed.has('session') && !changed.has('librespot')) return;
      // a new session (or go-librespot restarted) starts at its own volume: give it the speaker's
      this.#known = null;
      const level = opts.controller.level;
      if (level) this.#follow(level.percent);
    });
  }

  /** go-librespot's events, from LibrespotSource.listen */
  onEvent(ev: ApiEvent): void {
    if (ev.type !== 'volume') return;
    this.opts.log.debug(`go-librespot says ${this.opts.store.get().spotify_volume} %${this.#busy ? ' while we talk to it' : ''}`);
    if (this.#busy) {
      // what it says may be older or newer than what we are sending or reading: read again after
      this.#recheck = true;
      return;
    }
    const percent = this.opts.store.get().spotify_volume;
    const level = this.opts.controller.level;
    if (percent === null || !level) return;
    if (percent === level.percent) {
      this.#known = percent;
      return;
    }
    this.#recheck = true;
    void this.#drain();
  }

  /** Makes go-librespot show the mixer's level; POSTs nothing it already has or is being sent. */
  #follow(percent: number): void {
    const s = this.opts.store.get();
    if (!s.session || !s.librespot) return;
    if ((this.#want ?? this.#posting ?? this.#known) === percent) return;
    this.#want = percent;
    if (!this.#busy) void this.#drain();
  }

  /** One request at a time: the POSTs first (the newest level only), then a read-back if asked. */
  async #drain(): Promise<void> {
    this.#busy = true;
    try {
      for (;;) {
        if (this.#want !== null) {
          const v = (this.#posting = this.#want);
          this.#want = null;
          try {
            await setSpotifyVolume(this.opts.client, this.opts.store.get(), v);
            this.#known = v;
          } catch (err) {
            this.#known = null;
            this.opts.log.debug(`mixer → Spotify: ${(err as Error).message}`);
          }
          this.#posting = null;
        } else if (this.#recheck) {
          this.#recheck = false;
          await this.#readBack();
        } else {
          return;
        }
      }
    } finally {
      this.#busy = false;
    }
  }

  async #readBack(): Promise<void> {
    let now: ApiVolume | null;
    try {
      now = await this.opts.client.get('/player/volume', ApiVolume);
    } catch (err) {
      this.opts.log.debug(`reading go-librespot's volume: ${(err as Error).message}`);
      return;
    }
    // no session; or a newer level of ours is about to replace what it has
    if (!now || this.#want !== null) return;
    const percent = Math.round((now.value * 100) / now.max);
    this.opts.log.debug(`go-librespot has ${percent} %`);
    this.#known = percent;
    const level = this.opts.controller.level;
    if (!level || level.percent === percent) return;
    // the cap or the mixer's steps may give another level than asked: #follow shows that one in the app
    this.opts.controller.setVolume(percent, 'Spotify app').catch((err: Error) => this.opts.log.warn(`Spotify → mixer: ${err.message}`));
  }
}
