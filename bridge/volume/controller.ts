// The speaker's volume as users see it: a cap no source may exceed, mute on boards without a
// switch (level 0, and the old level back on unmute, even after a restart), and the state store.
import type { Logger } from '../log.js';
import type { Store } from '../state/store.js';
import type { PlayerState } from '../state/state.js';
import type { Level, VolumeDevice } from './device.js';
import type { PersistFile } from './persist.js';

export interface VolumeControl {
  setVolume(percent: number): Promise<void>;
  setMuted(muted: boolean): Promise<void>;
  setMaxVolume(percent: number): Promise<void>;
}

export interface VolumeControllerOptions {
  device: VolumeDevice;
  store: Store<PlayerState>;
  persist: PersistFile;
  configMax: number;
  log: Logger;
}

export class VolumeController implements VolumeControl {
  #level: Level | null = null;
  readonly #listeners = new Set<(level: Level) => void>();

  constructor(private readonly opts: VolumeControllerOptions) {}

  async start(): Promise<void> {
    const saved = await this.opts.persist.load();
    const { configMax, log } = this.opts;
    // a cap set from Home Assistant is kept, unless the config's own value changed since
    const max = saved.max_volume !== undefined && saved.max_volume_config === configMax ? saved.max_volume : configMax;
    if (max !== configMax) log.info(`max volume ${max} % (set over MQTT; volume.max in the config is ${configMax} %)`);
    this.opts.store.update({ max_volume: max });
    this.opts.device.start((level) => this.#onLevel(level));
  }

  stop(): Promise<void> {
    return this.opts.device.stop();
  }

  /** Called with every level the device reports after the cap was applied. */
  onLevel(listener: (level: Level) => void): void {
    this.#listeners.add(listener);
  }

  get level(): Level | null {
    return this.#level;
  }

  async setVolume(percent: number): Promise<void> {
    this.#need();
    const target = Math.min(percent, this.opts.store.get().max_volume);
    if (target > 0 && this.#mutedLevel() !== null) await this.opts.persist.save({ muted_level: null });
    await this.#set(target);
  }

  /** The device's answer is the new level at once; its change event later repeats it harmlessly. */
  async #set(percent: number): Promise<void> {
    this.#onLevel(await this.opts.device.set(percent));
  }

  async setMuted(muted: boolean): Promise<void> {
    const level = this.#need();
    if (level.muted !== null) return this.#onLevel(await this.opts.device.setMuted(muted));
    const saved = this.#mutedLevel();
    if (muted) {
      if (saved !== null && level.percent === 0) return;
      await this.opts.persist.save({ muted_level: level.percent });
      await this.#set(0);
    } else {
      if (saved === null) return;
      await this.opts.persist.save({ muted_level: null });
      // turned up meanwhile (a knob, alsamixer): that already was the unmute
      if (level.percent > 0) return this.#publish(level);
      await this.#set(Math.min(saved, this.opts.store.get().max_volume));
    }
  }

  async setMaxVolume(percent: number): Promise<void> {
    await this.opts.persist.save({ max_volume: percent, max_volume_config: this.opts.configMax });
    this.opts.store.update({ max_volume: percent });
    if (this.#level && this.#level.percent > percent) await this.#set(percent);
  }

  #need(): Level {
    if (!this.#level) throw new Error('the volume control is not available (see the log for why)');
    return this.#level;
  }

  #mutedLevel(): number | null {
    return this.opts.persist.get().muted_level ?? null;
  }

  #onLevel(level: Level | null): void {
    this.#level = level;
    const max = this.opts.store.get().max_volume;
    if (level && level.percent > max) {
      // whoever raised it (a knob, alsamixer, the Spotify app): the cap wins
      this.opts.log.info(`volume ${level.percent} % is above the cap of ${max} %: pulling it back`);
      this.#set(max).catch((err: Error) => this.opts.log.warn(`capping the volume failed: ${err.message}`));
    }
    this.#publish(level);
    if (level && level.percent <= max) for (const l of this.#listeners) l(level);
  }

  #publish(level: Level | null): void {
    this.opts.store.update(
      level
        ? {
            mixer: true,
            volume: level.percent,
            muted: level.muted ?? (this.#mutedLevel() !== null && level.percent === 0),
            mixer_detail: level.detail,
          }
        : { mixer: false, volume: null, muted: null, mixer_detail: null },
    );
  }
}
