// Loads alsa_mixer.node (alsa_mixer.c) once, on first use. It sits beside the module that loads it:
// dist/bridge/mixer/native/ when run from dist, beside librespot2mqtt.mjs when bundled.
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

export interface ElementInfo {
  type: string;
  channels: number;
  min: number;
  max: number;
  /** Linear in raw steps (TLV DB_SCALE / DB_MINMAX); null for none or another kind. */
  db: { min: number; max: number; mute: boolean } | null;
}

/** One open ALSA control device (snd_hctl). Methods throw Error with code 'device' | 'control' | 'io' and errno. */
export interface Ctl {
  controls(): string[];
  info(name: string): ElementInfo;
  read(name: string): number[];
  write(name: string, values: number[]): void;
  /** dB per channel; -Infinity at the scale's mute point. */
  readDb(name: string): number[];
  /** Every channel to the step at or below (dir -1) or at or above (dir 1) dB. */
  writeDb(name: string, db: number, dir: -1 | 1): void;
  /** Events through libuv on Node's loop; an error (code 'device') means the card went away and ends the watch. */
  watch(callback: (err: (Error & { code: string; errno: number }) | null, names: string[]) => void): void;
  unwatch(): void;
  close(): void;
}

export type CtlConstructor = new (device: string) => Ctl;

export const ADDON_PATH = fileURLToPath(new URL('alsa_mixer.node', import.meta.url));

let loaded: CtlConstructor | Error | undefined;

/** The addon's Ctl class, or why it cannot be loaded (not built, or built for another system). */
export function loadNative(): CtlConstructor | Error {
  if (loaded === undefined) {
    try {
      loaded = (createRequire(import.meta.url)(ADDON_PATH) as { Ctl: CtlConstructor }).Ctl;
    } catch (err) {
      const e = err as NodeJS.ErrnoException;
      loaded = new Error(e.code === 'MODULE_NOT_FOUND' ? `${ADDON_PATH} is not built (it needs the alsa-lib headers and a C compiler at build time)` : `${ADDON_PATH}: ${e.message}`, { cause: err });
    }
  }
  return loaded;
}
