// The alsa-utils backend's elements: amixer for reads and writes, one `alsactl monitor` for events.
// alsactl does not report a card that vanished, so the mixer also re-reads every checkMs.
import type { Logger } from '../log.js';
import { Amixer } from './amixer.js';
import type { Element, Elements } from './elements.js';
import { Monitor } from './monitor.js';

export interface UtilsElementsOptions {
  device: string;
  log: Logger;
  amixerPath?: string;
  alsactlPath?: string;
  env?: NodeJS.ProcessEnv;
  checkMs: number;
  retryMs: { min: number; max: number };
}

export class UtilsElements implements Elements {
  readonly checkMs: number;
  private readonly amixer: Amixer;
  private monitor: Monitor | null = null;

  constructor(private readonly opts: UtilsElementsOptions) {
    this.amixer = new Amixer({ device: opts.device, path: opts.amixerPath, env: opts.env });
    this.checkMs = opts.checkMs;
  }

  cget(name: string): Promise<Element> {
    return this.amixer.cget(name);
  }

  cset(name: string, values: Array<number | boolean>): Promise<void> {
    return this.amixer.cset(name, values);
  }

  controls(): Promise<string[]> {
    return this.amixer.controls();
  }

  watch(elements: string[], onEvent: () => void): void {
    const { device, log, alsactlPath, env, retryMs } = this.opts;
    this.monitor ??= new Monitor({ device, elements, onTrigger: onEvent, log, path: alsactlPath, env, retryMs });
    this.monitor.start();
  }

  unwatch(): void {
    this.monitor?.stop();
  }

  close(): void {
    this.unwatch();
    this.amixer.close();
  }
}
