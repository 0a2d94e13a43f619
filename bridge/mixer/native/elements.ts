// The native backend's elements: alsa-lib in this process (alsa_mixer.node). Reads and writes are
// calls, not processes; change events arrive through libuv from the control's file descriptors,
// and so does the card vanishing, so nothing is polled. A device that failed is closed and opened
// afresh on the next call, which is how the mixer's lost/back logic finds it again.
import type { Logger } from '../../log.js';
import { Coalescer } from '../coalescer.js';
import type { Element, Elements } from '../elements.js';
import { MixerError, type MixerErrorCode } from '../mixer.js';
import type { Ctl, CtlConstructor } from './binding.js';

export class NativeElements implements Elements {
  readonly checkMs = null;
  private ctl: Ctl | null = null;
  private watching: { elements: string[]; onEvent: () => void } | null = null;
  private readonly writes = new Coalescer<void>();
  private closed = false;

  constructor(
    private readonly Ctl: CtlConstructor,
    private readonly device: string,
    private readonly log: Logger,
  ) {}

  cget(name: string): Promise<Element> {
    return this.call((ctl) => {
      const { type, min, max, db } = ctl.info(name);
      const values = type === 'INTEGER' || type === 'BOOLEAN' ? ctl.read(name) : [];
      return { name, type, values, min, max, db };
    });
  }

  cset(name: string, values: Array<number | boolean>): Promise<void> {
    const raw = values.map((v) => (typeof v === 'boolean' ? Number(v) : Math.round(v)));
    return this.writes.run(name, () => this.call((ctl) => ctl.write(name, raw)));
  }

  controls(): Promise<string[]> {
    return this.call((ctl) => ctl.controls());
  }

  watch(elements: string[], onEvent: () => void): void {
    this.watching = { elements, onEvent };
    if (this.ctl) this.arm(this.ctl);
  }

  unwatch(): void {
    this.watching = null;
    this.ctl?.unwatch();
  }

  close(): void {
    this.closed = true;
    this.watching = null;
    this.drop();
  }

  private arm(ctl: Ctl): void {
    const { elements, onEvent } = this.watching!;
    ctl.watch((err, names) => {
      if (err) {
        this.log.debug({ err }, `mixer ${this.device}: the control device reported an error`);
        if (this.ctl === ctl) this.drop();
        onEvent();
      } else if (names.some((n) => elements.includes(n))) {
        onEvent();
      }
    });
  }

  private drop(): void {
    this.ctl?.close();
    this.ctl = null;
  }

  private open(): Ctl {
    if (this.closed) throw new MixerError('closed', 'mixer closed');
    if (!this.ctl) {
      this.ctl = new this.Ctl(this.device);
      if (this.watching) this.arm(this.ctl);
    }
    return this.ctl;
  }

  /** Async like the other backend's calls, so callers never see the difference (a throw is a rejection). */
  private async call<T>(fn: (ctl: Ctl) => T): Promise<T> {
    try {
      return fn(this.open());
    } catch (err) {
      if (err instanceof MixerError) throw err;
      const code = (err as { code?: string }).code;
      if (code === 'device') this.drop();
      throw new MixerError(isMixerCode(code) ? code : 'io', (err as Error).message, { cause: err });
    }
  }
}

function isMixerCode(code: string | undefined): code is MixerErrorCode {
  return code === 'device' || code === 'control' || code === 'io';
}
