// The mixer seen by the rest of the bridge. Backend-neutral on purpose: the alsa-utils backend
// (alsa.ts) is meant to be swapped for a native binding later without touching callers.

export interface MixerReading {
  /** 0..100, integer: alsamixer's perceptual mapping (see scale.ts); the loudest channel. */
  percent: number;
  /** Raw value per channel. */
  raw: number[];
  min: number;
  max: number;
  /** dB of the loudest channel; null = the control has no dB scale; -Infinity = at the scale's mute point. */
  db: number | null;
  /** The mute switch is off (on any channel). Always false on boards without a switch. */
  muted: boolean;
  /** Readings are numbered in the order they were taken: a higher seq is newer news. */
  seq: number;
}

export interface MixerInfo {
  device: string;
  control: string;
  switch: string | null;
  hasDb: boolean;
  channels: number;
  min: number;
  max: number;
}

export type MixerEvent =
  | { type: 'change'; reading: MixerReading }
  | { type: 'lost'; error: Error }
  | { type: 'back'; reading: MixerReading };

export interface Mixer {
  /** null until open() succeeded. */
  readonly info: MixerInfo | null;
  /** Resolves the controls (detects them when not configured) and reads once. */
  open(): Promise<MixerReading>;
  read(): Promise<MixerReading>;
  /** Perceptual percent → raw; all channels in one write. The nearest step, or with `atMost` the
   * loudest not above it (a cap). A write that fails makes the mixer check the card at once (and
   * report 'lost' if it is gone). */
  setPercent(percent: number, atMost?: boolean): Promise<MixerReading>;
  /** Needs a mute switch: rejects with MixerError ('unsupported') without one. */
  setMuted(muted: boolean): Promise<MixerReading>;
  /**
   * 'change' whenever the reading differs from the last one emitted or returned by a write,
   * 'lost' once when the card or control goes away, 'back' when it works again.
   */
  watch(listener: (e: MixerEvent) => void): void;
  /** Stops children and timers; pending calls reject with MixerError ('closed'). */
  close(): Promise<void>;
}

export type MixerErrorCode =
  | 'not-installed' // amixer / alsactl missing
  | 'device' // the ALSA device cannot be opened
  | 'control' // no such control, or not a usable one
  | 'unsupported' // e.g. mute on a board without a switch
  | 'io' // the tool failed or timed out
  | 'closed';

export class MixerError extends Error {
  override readonly name = 'MixerError';
  constructor(
    readonly code: MixerErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}
