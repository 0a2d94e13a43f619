// How a backend reaches a card's mixer elements. Two backends: alsa-utils (amixer and alsactl
// children, utils.ts) and alsa-lib in-process (the native addon, native/elements.ts). Everything
// above this (detection, percent, mute, lost/back) is alsa.ts, the same for both.
import type { DbRange } from './scale.js';

export interface Element {
  name: string;
  type: string; // INTEGER, BOOLEAN, ENUMERATED, ...
  /** Integers as they are; BOOLEAN as 1 (on) / 0 (off). */
  values: number[];
  min: number;
  max: number;
  db: DbRange | null;
}

export interface Elements {
  /** Rejects with MixerError: 'device' (cannot open / gone), 'control' (no such element), 'io', 'not-installed'. */
  cget(name: string): Promise<Element>;
  /** All channels in one write; a newer value for the same element replaces a waiting one. */
  cset(name: string, values: Array<number | boolean>): Promise<void>;
  /** Names of the device's mixer elements, in the driver's order. */
  controls(): Promise<string[]>;
  /** Calls onEvent when one of these elements may have changed, or the card may be gone: the owner re-reads. */
  watch(elements: string[], onEvent: () => void): void;
  unwatch(): void;
  /**
   * Re-read this often while watching (ms) to notice a card that vanished, or null when the
   * events say so themselves.
   */
  readonly checkMs: number | null;
  close(): void;
}
