// The little the bridge must remember across restarts, in one JSON file written atomically
// (temp file + rename), so a power cut never leaves half a file behind.
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { z } from 'zod';
import type { Logger } from '../log.js';

export const Persisted = z.object({
  /** the cap as last set from MQTT, and the config's value it replaced (a new config value wins) */
  max_volume: z.number().int().min(0).max(100).optional(),
  max_volume_config: z.number().int().min(0).max(100).optional(),
  /** mute without a switch: the level to restore on unmute */
  muted_level: z.number().int().min(0).max(100).nullable().optional(),
});
export type Persisted = z.infer<typeof Persisted>;

/** One file per speaker (device.id), so two bridges of one user keep their own cap. */
export function defaultStateFile(deviceId: string, env: NodeJS.ProcessEnv = process.env): string {
  return join(env.XDG_STATE_HOME || join(homedir(), '.local', 'state'), 'librespot2mqtt', `${deviceId}.json`);
}

/** The one file all bridges of a user shared before state was kept per device.id. */
const SHARED = 'state.json';

export class PersistFile {
  #data: Persisted = {};
  #writing: Promise<void> = Promise.resolve();
  #failing = false;

  constructor(
    readonly path: string,
    private readonly log: Logger,
  ) {}

  async load(): Promise<Persisted> {
    let text: string;
    try {
      text = await readFile(this.path, 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') this.log.warn(`cannot read ${this.path}: ${(err as Error).message}; starting from the config`);
      else if (await this.#adoptShared()) return this.load();
      return this.#data;
    }
    try {
      this.#data = Persisted.parse(JSON.parse(text));
    } catch (err) {
      this.log.warn(`ignoring ${this.path}: not a state file of this bridge (${(err as Error).message.split('\n')[0]})`);
    }
    return this.#data;
  }

  /** The first bridge that finds the old shared file beside its own takes it over (a rename: only
   * one can win); the others start from their config. */
  async #adoptShared(): Promise<boolean> {
    const shared = join(dirname(this.path), SHARED);
    if (basename(this.path) === SHARED) return false;
    try {
      await rename(shared, this.path);
    } catch {
      return false;
    }
    this.log.info(`state is now kept per device.id: moved ${shared} to ${this.path}`);
    return true;
  }

  get(): Readonly<Persisted> {
    return this.#data;
  }

  /** Writes are queued so an older value never lands after a newer one. A write that fails is said
   * once (an error) until one succeeds again; each write holds everything, so the next good one
   * repairs the file. */
  save(patch: Persisted): Promise<void> {
    this.#data = { ...this.#data, ...patch };
    const text = JSON.stringify(this.#data) + '\n';
    this.#writing = this.#writing.then(async () => {
      const tmp = `${this.path}.${process.pid}.tmp`;
      try {
        await mkdir(dirname(this.path), { recursive: true });
        await writeFile(tmp, text);
        await rename(tmp, this.path);
        if (this.#failing) this.log.info(`saved ${this.path} again`);
        this.#failing = false;
      } catch (err) {
        // on a full disk, what was written of it takes the space a later write needs
        await rm(tmp, { force: true }).catch(() => {});
        const level = this.#failing ? 'debug' : 'error';
        this.log[level](`cannot save ${this.path}: ${whyNot(err as NodeJS.ErrnoException)}; the bridge runs on and saves it again at the next change`);
        this.#failing = true;
      }
    });
    return this.#writing;
  }
}

const WHY: Record<string, string> = {
  ENOSPC: 'the disk is full',
  EDQUOT: 'the disk quota is used up',
  EROFS: 'the file system is read-only',
  EACCES: 'permission denied',
  EPERM: 'permission denied',
  ENOTDIR: 'a part of the path is a file, not a folder',
  EEXIST: 'a part of the path is a file, not a folder',
  EISDIR: 'the path is a folder',
};

const whyNot = (e: NodeJS.ErrnoException) => (e.code && WHY[e.code] ? `${WHY[e.code]} (${e.code})` : e.message);
