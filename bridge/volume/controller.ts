// The speaker's volume as users see it: a cap no source may exceed, mute on boards without a
// switch (level 0, and the old level back on unmute, even after a restart), and the state store.
// Every change, whoever makes it (MQTT, the Spotify app, a knob, the start volume), takes one
// ordered path: one change at a time, each starting from the result of the one before, so a
// quick "mute on, mute off" ends unmuted at the old level and the last word always wins.
import type { Logger } from '../log.js';
import type { Store } from '../state/store.js';
import type { PlayerState } from '../state/state.js';
import { Coalescer } from '../mixer/coalescer.js';
import { applyStep, resolveToggle, type NumberOrStep, type OnOffToggle } from '../commands/fields.js';
import type { Level, VolumeDevice } from './device.js';
import type { PersistFile } from './persist.js';

/** Who asked, for the log: 'MQTT', 'Spotify app', 'mixer', 'start volume'. */
export type VolumeSource = string;

export interface VolumeControl {
  /** A step (+5/-5) is taken from the level the change before left. */
  setVolume(v: NumberOrStep, source: VolumeSource): Promise<void>;
  /** 'toggle' flips the mute the change before left. */
  setMuted(v: OnOffToggle, source: VolumeSource): Promise<void>;
  setMaxVolume(v: NumberOrStep, source: VolumeSource): Promise<void>;
}

export interface VolumeControllerOptions {
  device: VolumeDevice;
  store: Store<PlayerState>;
  persist: PersistFile;
  configMax: number;
  log: Logger;
}

/** Waiting absolute levels merge (a dragged slider); steps, mutes and caps never do. */
const ABSOLUTE = 'volume';
const OBSERVED = 'observed';

export class VolumeController implements VolumeControl {
  #level: Level | null = null;
  readonly #queue = new Coalescer<void>();
  readonly #listeners = new Set<(level: Level) => void>();

  constructor(private readonly opts: VolumeControllerOptions) {}

  async start(): Promise<void> {
    const saved = await this.opts.persist.load();
    const { configMax, log, device } = this.opts;
    // a cap set from Home Assistant is kept, unless the config's own value changed since
    const max = saved.max_volume !== undefined && saved.max_volume_config === configMax ? saved.max_volume : configMax;
    if (max !== configMax) log.info(`max volume ${max} % (set over MQTT; volume.max in the config is ${configMax} %)`);
    this.opts.store.update({ max_volume: max });
    device.start((level) => {
      this.#queue.run(OBSERVED, () => this.#observe(level)).catch((err: Error) => log.warn(`volume: ${err.message}`));
    });
  }

  stop(): Promise<void> {
    return this.opts.device.stop();
  }

  /** Called with every level that resulted from a change, in order, never above the cap. */
  onLevel(listener: (level: Level) => void): void {
    this.#listeners.add(listener);
  }

  get level(): Level | null {
    return this.#level;
  }

  setVolume(v: NumberOrStep, source: VolumeSource): Promise<void> {
    return this.#queue.run(typeof v === 'number' ? ABSOLUTE : undefined, async () => {
      const level = this.#need();
      const wanted = applyStep(v, level.percent, 0, 100);
      const max = this.#max();
      if (wanted > max) this.opts.log.info(`volume ${wanted} % capped to ${max} % by Max volume (${source})`);
      // without a switch, the level that results says whether this unmuted (1 % may be the mixer's 0)
      await this.#write(Math.min(wanted, max), source);
    });
  }

  setMuted(v: OnOffToggle, source: VolumeSource): Promise<void> {
    return this.#queue.run(undefined, async () => {
      const level = this.#need();
      const muted = resolveToggle(v, this.#isMuted(level));
      if (level.muted !== null) return this.#settle(await this.opts.device.setMuted(muted), source);
      if (muted === this.#isMuted(level)) return;
      if (muted) {
        // the level the user hears now: 0 only when the user chose 0. Kept even if the write
        // fails: the next reading says which it was (0: muted; audible: that is the unmute)
        await this.opts.persist.save({ muted_level: level.percent });
        await this.#write(0, source);
      } else {
        const restore = Math.min(this.#mutedLevel() ?? 0, this.#max());
        await this.opts.persist.save({ muted_level: null });
        await this.#write(restore, source);
      }
    });
  }

  setMaxVolume(v: NumberOrStep, source: VolumeSource): Promise<void> {
    return this.#queue.run(undefined, async () => {
      const max = applyStep(v, this.#max(), 0, 100);
      await this.opts.persist.save({ max_volume: max, max_volume_config: this.opts.configMax });
      if (max !== this.#max()) this.opts.log.info(`max volume ${max} % (${source})`);
      this.opts.store.update({ max_volume: max });
      const level = this.#level;
      if (level && level.percent > max) {
        this.opts.log.info(`volume ${level.percent} % capped to ${max} % by Max volume (${source})`);
        await this.#write(max, source);
      }
    });
  }

  /** A level the device reported on its own: a knob, alsamixer, the Spotify app, or our own write again. */
  async #observe(level: Level | null): Promise<void> {
    const { source } = this.opts.device;
    // what our own write answered is newer than a report taken before it
    if (level && this.#level && level.seq <= this.#level.seq) return this.opts.log.debug(`older reading ${level.percent} % ignored`);
    if (!level) return this.#apply(null, source);
    // whoever raised it: the cap wins, and only the capped level is shown
    if (level.percent > this.#max()) this.opts.log.info(`volume ${level.percent} % capped to ${this.#max()} % by Max volume (${source})`);
    await this.#settle(level, source);
  }

  async #write(percent: number, source: VolumeSource): Promise<void> {
    await this.#settle(await this.opts.device.set(percent), source);
  }

  /** Every level the device gives passes the cap here before anyone sees it. */
  async #settle(level: Level, source: VolumeSource): Promise<void> {
    // above the cap: someone raised it, maybe while we wrote, or the mixer's step nearest the
    // level asked for is one above the cap (0.5 dB is ~1 % up there)
    for (let tries = 0; level.percent > this.#max() && tries < 3; tries++) level = await this.opts.device.set(this.#max(), true);
    if (level.percent > this.#max()) {
      // someone keeps turning it up: let what else waits go first, then pull it back again
      this.#level = level;
      this.#queue.run(undefined, () => this.#settle(level, source)).catch((err: Error) => this.opts.log.warn(`volume: ${err.message}`));
      return;
    }
    this.#apply(level, source);
  }

  #apply(level: Level | null, source: VolumeSource): void {
    const before = this.#level;
    if (level && before && level.seq < before.seq) return;
    const wasMuted = before ? this.#isMuted(before) : null;
    this.#level = level;
    if (!level) {
      this.opts.store.update({ mixer: false, volume: null, muted: null, mixer_detail: null });
      return;
    }
    // without a switch, raised from silence by anyone (a knob, the app): that was the unmute
    if (level.muted === null && level.percent > 0 && this.#mutedLevel() !== null) void this.opts.persist.save({ muted_level: null });
    const muted = this.#isMuted(level);
    this.opts.store.update({ mixer: true, volume: level.percent, muted, mixer_detail: level.detail });
    if (before === null || before.percent !== level.percent) this.opts.log.info(`volume ${level.percent} % (${source})`);
    if (wasMuted !== null && wasMuted !== muted) this.opts.log.info(`${muted ? 'muted' : 'unmuted'} (${source})`);
    for (const l of this.#listeners) l(level);
  }

  #need(): Level {
    if (!this.#level) throw new Error('the volume control is not available (see the log for why)');
    return this.#level;
  }

  #max(): number {
    return this.opts.store.get().max_volume;
  }

  #mutedLevel(): number | null {
    return this.opts.persist.get().muted_level ?? null;
  }

  #isMuted(level: Level): boolean {
    return level.muted ?? (this.#mutedLevel() !== null && level.percent === 0);
  }
}
