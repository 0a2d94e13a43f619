// One long-lived `alsactl monitor <dev>`: it flushes a line per control event (amixer events does
// not when piped). A line is only a trigger; the owner re-reads and diffs, since our own writes
// come back as events too. Note: on a card unplug alsactl drops the card and keeps running
// silently, so it cannot tell us the card is gone; the owner's periodic read does.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createInterface } from 'node:readline';
import type { Logger } from '../log.js';
import { INSTALL_HINT } from './amixer.js';

export interface MonitorOptions {
  device: string;
  /** Element names whose events matter. */
  elements: string[];
  onTrigger: () => void;
  log: Logger;
  path?: string;
  env?: NodeJS.ProcessEnv;
  debounceMs?: number;
  /** Restart delays after the child exits: doubles from min to max. */
  retryMs?: { min: number; max: number };
}

/** A child that ran this long was healthy: its next exit starts the backoff again from min. */
const HEALTHY_MS = 10_000;

export class Monitor {
  private child: ChildProcess | null = null;
  private debounce: NodeJS.Timeout | null = null;
  private restart: NodeJS.Timeout | null = null;
  private delay: number;
  private running = false;

  constructor(private readonly opts: MonitorOptions) {
    this.delay = opts.retryMs?.min ?? 1000;
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.spawn();
  }

  stop(): void {
    this.running = false;
    for (const t of [this.debounce, this.restart]) if (t) clearTimeout(t);
    this.debounce = this.restart = null;
    this.child?.kill('SIGKILL');
    this.child = null;
  }

  private spawn(): void {
    const { device, path = 'alsactl', env, log } = this.opts;
    const started = Date.now();
    const child = spawn(path, ['monitor', device], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    this.child = child;
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (s: string) => (stderr = (stderr + s).slice(-500)));
    createInterface({ input: child.stdout }).on('line', (line) => this.onLine(line));
    child.on('error', (err: NodeJS.ErrnoException) => {
      if (err.code === 'ENOENT') log.error(`alsactl not found ('${path}'): ${INSTALL_HINT}; mixer changes are noticed by polling only`);
      else log.error({ err }, 'cannot start alsactl monitor');
    });
    child.on('close', (code, signal) => {
      if (this.child !== child || !this.running) return;
      this.child = null;
      const ranMs = Date.now() - started;
      if (ranMs >= HEALTHY_MS) this.delay = this.opts.retryMs?.min ?? 1000;
      if (code === 2 && ranMs < 1000 && !existsSync('/dev/snd')) {
        log.error(
          `alsactl monitor ${device} exits at once (code 2) because /dev/snd does not exist (it watches that folder for new cards); ` +
            'create it (as root: mkdir /dev/snd); until then mixer changes are noticed by polling only',
        );
      } else {
        log.warn({ code, signal, stderr: stderr.trim() }, `alsactl monitor ${device} exited; restarting in ${this.delay} ms`);
      }
      this.restart = setTimeout(() => {
        this.restart = null;
        if (this.running) this.spawn();
      }, this.delay);
      this.delay = Math.min(this.delay * 2, this.opts.retryMs?.max ?? 30_000);
    });
  }

  // "node amp2, #1 (2,0,0,Digital Playback Volume,0) VALUE"
  private onLine(line: string): void {
    const name = /\(\d+,\d+,\d+,(.*),\d+\)/.exec(line)?.[1];
    if (name === undefined || !this.opts.elements.includes(name)) return;
    // gather the events of one burst (a stereo write, a reset), but never postpone past the
    // first one's window: a knob turning non-stop must still be followed
    if (this.debounce) return;
    this.debounce = setTimeout(() => {
      this.debounce = null;
      this.opts.onTrigger();
    }, this.opts.debounceMs ?? 15);
  }
}
