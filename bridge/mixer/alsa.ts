// The ALSA mixer: controls detected or checked, percent and mute, change events and a card that
// comes and goes, over either backend's elements (elements.ts): alsa-lib in-process (native) or
// amixer + alsactl children (alsa-utils).
import type { Logger } from '../log.js';
import { Coalescer } from './coalescer.js';
import { detectControls } from './detect.js';
import type { Element, Elements } from './elements.js';
import { MixerError, type Mixer, type MixerEvent, type MixerInfo, type MixerReading } from './mixer.js';
import { loadNative } from './native/binding.js';
import { NativeElements } from './native/elements.js';
import { makeScale, percentOf, rawAtMost, rawForPercent, rawToDb, type Scale } from './scale.js';
import { UtilsElements } from './utils.js';

/** alsa-native: alsa-lib in this process (the addon); alsa-utils: amixer and alsactl children. */
export type AlsaBackend = 'alsa-native' | 'alsa-utils';

export interface AlsaMixerOptions {
  device: string;
  /** Volume element; detected when absent. */
  control?: string;
  /** Mute switch element; with a configured control there is none unless named here. */
  switch?: string;
  log: Logger;
  /** Default alsa-utils; alsa-native throws MixerError ('not-installed') when the addon cannot load. */
  backend?: AlsaBackend;
  /** alsa-utils only: the tools, and their environment. */
  amixerPath?: string;
  alsactlPath?: string;
  env?: NodeJS.ProcessEnv;
  /** alsa-utils only: while watching, re-read this often (ms, default 5000): alsactl does not report a card that vanished. */
  pollMs?: number;
  /** Backoff (ms) for re-opening a lost card and restarting the watcher; default 1 s → 30 s. */
  retryMs?: { min: number; max: number };
}

export function createAlsaMixer(opts: AlsaMixerOptions): Mixer {
  const retryMs = opts.retryMs ?? { min: 1000, max: 30_000 };
  if (opts.backend !== 'alsa-native') return new AlsaMixer(opts, new UtilsElements({ ...opts, checkMs: opts.pollMs ?? 5000, retryMs }), retryMs);
  const Ctl = loadNative();
  if (Ctl instanceof Error) throw new MixerError('not-installed', `the native ALSA mixer cannot be used: ${Ctl.message}`, { cause: Ctl });
  return new AlsaMixer(opts, new NativeElements(Ctl, opts.device, opts.log), retryMs);
}

/**
 * The backend for mixer.backend alsa (native when the addon loads), alsa-native or alsa-utils,
 * said in one log line: how a user tells which one runs.
 */
export function chooseBackend(requested: 'alsa' | 'alsa-native' | 'alsa-utils', log: Logger): AlsaBackend {
  if (requested === 'alsa-utils') {
    log.info('mixer backend: alsa-utils (amixer + alsactl monitor), as mixer.backend says');
    return 'alsa-utils';
  }
  const Ctl = loadNative();
  if (!(Ctl instanceof Error)) {
    log.info('mixer backend: alsa-native (alsa-lib in-process, events through libuv)');
    return 'alsa-native';
  }
  const line = `mixer backend: alsa-utils (amixer + alsactl monitor): the native mixer is not available (${Ctl.message})`;
  if (requested === 'alsa-native') log.error(`${line}; mixer.backend is alsa-native`);
  else log.info(line);
  return 'alsa-utils';
}

class AlsaMixer implements Mixer {
  info: MixerInfo | null = null;
  private scale: Scale | null = null;
  private latest: MixerReading | null = null;
  private readonly reads = new Coalescer<MixerReading>();
  private listener: ((e: MixerEvent) => void) | null = null;
  private lastEmitted: MixerReading | null = null;
  private poll: NodeJS.Timeout | null = null;
  private retry: NodeJS.Timeout | null = null;
  private lost = false;
  private closed = false;
  private seq = 0;

  constructor(
    private readonly opts: AlsaMixerOptions,
    private readonly elements: Elements,
    private readonly retryMs: { min: number; max: number },
  ) {}

  async open(): Promise<MixerReading> {
    const { device, log } = this.opts;
    const { control, switch: sw } = await this.chooseControls();
    // the switch is only checked here: read() fetches its value each time
    const [volume] = await Promise.all([this.element(control, 'INTEGER'), sw === null ? null : this.element(sw, 'BOOLEAN')]);
    this.scale = makeScale(volume.min, volume.max, volume.db);
    this.info = { device, control, switch: sw, hasDb: volume.db !== null, channels: volume.values.length, min: volume.min, max: volume.max };
    log.info({ mixer: this.info, top: this.scale.top }, 'mixer opened');
    return this.read();
  }

  read(): Promise<MixerReading> {
    return this.reads.run('read', async () => {
      const { info, scale } = this.opened();
      const [volume, toggle] = await Promise.all([this.elements.cget(info.control), info.switch === null ? null : this.elements.cget(info.switch)]);
      const loudest = Math.max(...volume.values);
      this.latest = {
        percent: percentOf(scale, loudest),
        raw: volume.values,
        min: volume.min,
        max: volume.max,
        db: rawToDb(scale, loudest),
        // any channel off counts: the user hears it, and unmuting switches them all on
        muted: toggle !== null && toggle.values.some((v) => v === 0),
        // reads run one at a time, so the order they finish in is the order they were taken
        seq: ++this.seq,
      };
      return this.latest;
    });
  }

  async setPercent(percent: number, atMost = false): Promise<MixerReading> {
    const { info, scale } = this.opened();
    const raw = atMost ? rawAtMost(scale, percent) : rawForPercent(scale, percent);
    return this.write(() => this.elements.cset(info.control, new Array<number>(info.channels).fill(raw)));
  }

  async setMuted(muted: boolean): Promise<MixerReading> {
    const { info } = this.opened();
    if (info.switch === null) {
      throw new MixerError('unsupported', `'${info.control}' on ${info.device} has no mute switch (the HifiBerry AMP/AMP+ has none): set the volume to 0 instead`);
    }
    const sw = info.switch;
    return this.write(async () => {
      const { values } = await this.elements.cget(sw);
      await this.elements.cset(sw, values.map(() => !muted));
    });
  }

  /** The caller learns the result from the answer, so the watcher only reports what differs from it. */
  private async write(cset: () => Promise<void>): Promise<MixerReading> {
    let reading: MixerReading;
    try {
      await cset();
      reading = await this.read();
    } catch (err) {
      // most often the card is gone: say so now rather than at the next periodic check
      if (this.listener) this.check();
      throw err;
    }
    if (this.listener && !this.lost && (this.lastEmitted === null || reading.seq > this.lastEmitted.seq)) this.lastEmitted = reading;
    return reading;
  }

  watch(listener: (e: MixerEvent) => void): void {
    const { info } = this.opened();
    if (this.listener) throw new MixerError('unsupported', 'watch() was already called on this mixer');
    this.listener = listener;
    this.lastEmitted = this.latest;
    this.startWatching();
  }

  async close(): Promise<void> {
    this.closed = true;
    this.stopWatching();
    if (this.retry) clearTimeout(this.retry);
    this.retry = null;
    this.listener = null;
    this.elements.close();
  }

  private startWatching(): void {
    const { control, switch: sw } = this.opened().info;
    this.elements.watch(sw === null ? [control] : [control, sw], () => this.check());
    if (this.elements.checkMs !== null) this.poll = setInterval(() => this.check(), this.elements.checkMs);
    this.check(); // covers changes made while nobody was watching
  }

  private stopWatching(): void {
    this.elements.unwatch();
    if (this.poll) clearInterval(this.poll);
    this.poll = null;
  }

  private check(): void {
    this.read().then(
      (reading) => {
        if (this.closed || this.lost || (this.lastEmitted && reading.seq < this.lastEmitted.seq) || sameReading(reading, this.lastEmitted)) return;
        this.lastEmitted = reading;
        this.listener?.({ type: 'change', reading });
      },
      (error: unknown) => {
        if (this.closed || this.lost) return;
        this.lost = true;
        this.stopWatching();
        const err = error instanceof Error ? error : new Error(String(error));
        this.opts.log.warn({ err }, `mixer ${this.opts.device} lost; retrying`);
        this.listener?.({ type: 'lost', error: err });
        this.reopen(this.retryMs.min);
      },
    );
  }

  private reopen(delay: number): void {
    this.retry = setTimeout(() => {
      this.retry = null;
      this.read().then(
        (reading) => {
          if (this.closed) return;
          this.lost = false;
          this.lastEmitted = reading;
          this.opts.log.info(`mixer ${this.opts.device} is back`);
          this.listener?.({ type: 'back', reading });
          this.startWatching();
        },
        () => {
          if (!this.closed) this.reopen(Math.min(delay * 2, this.retryMs.max));
        },
      );
    }, delay);
  }

  private opened(): { info: MixerInfo; scale: Scale } {
    if (this.closed) throw new MixerError('closed', 'mixer closed');
    if (!this.info || !this.scale) throw new MixerError('io', 'mixer not open: call open() first');
    return { info: this.info, scale: this.scale };
  }

  private async chooseControls(): Promise<{ control: string; switch: string | null }> {
    if (this.opts.control !== undefined) return { control: this.opts.control, switch: this.opts.switch ?? null };
    const names = await this.elements.controls();
    const found = detectControls(names);
    if (!found) throw new MixerError('control', `no playback volume control on ALSA device '${this.opts.device}'; it has: ${list(names)}`);
    this.opts.log.info({ control: found.control, switch: found.switch }, `mixer controls detected: ${found.reason}`);
    return found;
  }

  /** cget that says which controls exist when the name is wrong, and checks the type. */
  private async element(name: string, type: 'INTEGER' | 'BOOLEAN'): Promise<Element> {
    let el: Element;
    try {
      el = await this.elements.cget(name);
    } catch (err) {
      if (!(err instanceof MixerError) || err.code !== 'control') throw err;
      const names = await this.elements.controls();
      throw new MixerError('control', `${err.message}; it has: ${list(names)}`, { cause: err });
    }
    if (el.type !== type) throw new MixerError('control', `'${name}' on ALSA device '${this.opts.device}' is ${el.type}, expected ${type}`);
    return el;
  }
}

function list(names: string[]): string {
  return names.length ? names.map((n) => `'${n}'`).join(', ') : '(no controls)';
}

function sameReading(a: MixerReading, b: MixerReading | null): boolean {
  return b !== null && a.muted === b.muted && a.raw.length === b.raw.length && a.raw.every((v, i) => v === b.raw[i]);
}
