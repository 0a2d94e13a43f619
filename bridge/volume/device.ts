// What the room hears, behind one small interface: the ALSA mixer, or (mixer.backend: none)
// go-librespot's own volume. The controller adds the cap, mute without a switch and persistence.
import type { Logger } from '../log.js';
import type { Mixer, MixerReading } from '../mixer/mixer.js';
import type { LibrespotClient } from '../librespot/client.js';
import type { Store } from '../state/store.js';
import type { PlayerState } from '../state/state.js';

export interface Level {
  percent: number;
  /** the hardware switch; null when there is none */
  muted: boolean | null;
  detail: PlayerState['mixer_detail'];
  /** the order the device learnt it in: a level with a lower seq than one already known is old news */
  seq: number;
}

export interface VolumeDevice {
  /** who changed the level when it changes without us: for the log */
  readonly source: string;
  /** Starts reporting: a Level on every change, null while the device is unusable. */
  start(onLevel: (level: Level | null) => void): void;
  /** resolves with the level that resulted (the mixer's steps may round; with `atMost`, never up) */
  set(percent: number, atMost?: boolean): Promise<Level>;
  /** only when it reported a non-null `muted` */
  setMuted(muted: boolean): Promise<Level>;
  stop(): Promise<void>;
}

const RETRY_MIN_MS = 1000;
const RETRY_MAX_MS = 30_000;

export class MixerDevice implements VolumeDevice {
  readonly source = 'mixer';
  #retry: NodeJS.Timeout | undefined;
  #stopped = false;

  constructor(
    private readonly mixer: Mixer,
    private readonly log: Logger,
  ) {}

  #level(r: MixerReading): Level {
    const info = this.mixer.info!;
    return {
      percent: r.percent,
      muted: info.switch ? r.muted : null,
      detail: { device: info.device, control: info.control, raw: r.raw, db: r.db },
      seq: r.seq,
    };
  }

  start(onLevel: (level: Level | null) => void): void {
    const toLevel = (r: MixerReading) => this.#level(r);
    const open = (delay: number, failures: number) => {
      this.mixer.open().then(
        (reading) => {
          if (this.#stopped) return;
          onLevel(toLevel(reading));
          this.mixer.watch((e) => onLevel(e.type === 'lost' ? null : toLevel(e.reading)));
        },
        (err: Error) => {
          if (this.#stopped) return;
          // the first failure says what is wrong; repeats would only fill the log
          (failures === 0 ? this.log.error : this.log.debug).call(this.log, `mixer: ${err.message} (retrying; volume and mute are unavailable meanwhile)`);
          onLevel(null);
          this.#retry = setTimeout(() => open(Math.min(delay * 2, RETRY_MAX_MS), failures + 1), delay);
        },
      );
    };
    open(RETRY_MIN_MS, 0);
  }

  async set(percent: number, atMost?: boolean): Promise<Level> {
    return this.#level(await this.mixer.setPercent(percent, atMost));
  }

  async setMuted(muted: boolean): Promise<Level> {
    return this.#level(await this.mixer.setMuted(muted));
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    clearTimeout(this.#retry);
    await this.mixer.close();
  }
}

/** mixer.backend: none — the volume is go-librespot's, usable while a Spotify session exists. */
export class SpotifyVolumeDevice implements VolumeDevice {
  readonly source = 'Spotify app';
  #unsubscribe: (() => void) | undefined;
  #seq = 0;

  constructor(
    private readonly store: Store<PlayerState>,
    private readonly client: LibrespotClient,
  ) {}

  start(onLevel: (level: Level | null) => void): void {
    const report = (s: Readonly<PlayerState>) =>
      onLevel(s.librespot && s.session && s.spotify_volume !== null ? { percent: s.spotify_volume, muted: null, detail: null, seq: ++this.#seq } : null);
    this.#unsubscribe = this.store.subscribe((s, changed) => {
      // after the store's other listeners: the controller writes to the store in response
      if (changed.has('spotify_volume') || changed.has('session') || changed.has('librespot')) queueMicrotask(() => report(this.store.get()));
    });
    report(this.store.get());
  }

  async set(percent: number): Promise<Level> {
    await setSpotifyVolume(this.client, this.store.get(), percent);
    return { percent, muted: null, detail: null, seq: ++this.#seq };
  }

  setMuted(): Promise<Level> {
    return Promise.reject(new Error('go-librespot has no mute'));
  }

  async stop(): Promise<void> {
    this.#unsubscribe?.();
  }
}

export function setSpotifyVolume(client: LibrespotClient, s: Readonly<PlayerState>, percent: number): Promise<void> {
  return client.post('/player/volume', { volume: Math.round((percent * s.spotify_volume_steps) / 100) });
}
