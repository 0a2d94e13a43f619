// amixer as a library: element-level cget/cset (never the simple-mixer layer, whose dB support
// fails on the HifiBerry AMP's suffix-less 'Master'), run with execFile and a timeout each.
import { execFile, type ChildProcess, type ExecFileException } from 'node:child_process';
import { Coalescer } from './coalescer.js';
import type { Element } from './elements.js';
import { MixerError } from './mixer.js';
import type { DbRange } from './scale.js';

export const INSTALL_HINT = 'install alsa-utils (Alpine: apk add alsa-utils; Debian: apt-get install alsa-utils)';

export interface AmixerOptions {
  device: string;
  path?: string;
  env?: NodeJS.ProcessEnv;
  timeoutMs?: number;
}

export class Amixer {
  readonly device: string;
  private readonly path: string;
  private readonly env: NodeJS.ProcessEnv | undefined;
  private readonly timeoutMs: number;
  private readonly writes = new Coalescer<void>();
  private readonly children = new Set<ChildProcess>();
  private closed = false;

  constructor(opts: AmixerOptions) {
    this.device = opts.device;
    this.path = opts.path ?? 'amixer';
    this.env = opts.env;
    this.timeoutMs = opts.timeoutMs ?? 3000;
  }

  async cget(name: string): Promise<Element> {
    return parseCget(name, await this.run(['-D', this.device, 'cget', elemId(name)], name));
  }

  /** At most one cset in flight; a newer value for the same element replaces a waiting one. */
  cset(name: string, values: Array<number | boolean>): Promise<void> {
    const arg = values.map((v) => (typeof v === 'boolean' ? (v ? 'on' : 'off') : String(Math.round(v)))).join(',');
    return this.writes.run(name, async () => {
      await this.run(['-q', '-D', this.device, '--', 'cset', elemId(name), arg], name);
    });
  }

  /** Names of the device's mixer elements, in the driver's order. */
  async controls(): Promise<string[]> {
    const out = await this.run(['-D', this.device, 'controls'], null);
    return [...out.matchAll(/^numid=\d+,iface=MIXER,name='(.*)'.*$/gm)].map((m) => m[1] ?? '');
  }

  /** Kills amixer children still running; later calls reject. */
  close(): void {
    this.closed = true;
    for (const child of this.children) child.kill('SIGKILL');
  }

  private run(args: string[], elem: string | null): Promise<string> {
    if (this.closed) return Promise.reject(new MixerError('closed', 'mixer closed'));
    return new Promise((resolve, reject) => {
      const child = execFile(
        this.path,
        args,
        { env: this.env, timeout: this.timeoutMs, killSignal: 'SIGKILL', encoding: 'utf8' },
        (err, stdout, stderr) => {
          this.children.delete(child);
          if (err) reject(this.explain(err, stderr, elem));
          else resolve(stdout);
        },
      );
      this.children.add(child);
    });
  }

  private explain(err: ExecFileException, stderr: string, elem: string | null): MixerError {
    const what = `amixer -D ${this.device}${elem === null ? '' : ` (control '${elem}')`}`;
    const detail = stderr.trim().split('\n').pop() ?? '';
    if (this.closed) return new MixerError('closed', 'mixer closed', { cause: err });
    if (err.code === 'ENOENT') return new MixerError('not-installed', `amixer not found ('${this.path}'): ${INSTALL_HINT}`, { cause: err });
    if (err.killed) return new MixerError('io', `${what} timed out after ${this.timeoutMs} ms`, { cause: err });
    if (/Cannot find the given element/.test(stderr)) {
      return new MixerError('control', `ALSA device '${this.device}' has no control '${elem ?? ''}'`, { cause: err });
    }
    if (/open error|Invalid CTL/.test(stderr)) {
      return new MixerError('device', `cannot open ALSA device '${this.device}': ${detail} (is the card there? is the user in group 'audio'?)`, { cause: err });
    }
    return new MixerError('io', `${what} failed: ${detail || err.message}`, { cause: err });
  }
}

// Quoted so that names with spaces survive amixer's id parser; a name with a quote cannot be addressed.
function elemId(name: string): string {
  if (name.includes("'")) throw new MixerError('control', `control names with a quote are not supported: ${name}`);
  return `name='${name}'`;
}

/**
 *   ; type=INTEGER,access=rw---R--,values=2,min=0,max=207,step=0
 *   : values=150,150
 *   | dBscale-min=-103.50dB,step=0.50dB,mute=1        (or dBminmax-min=…,max=…, dBminmaxmute-…)
 */
export function parseCget(name: string, out: string): Element {
  const head = /; type=(\w+),access=[^,]*,values=(\d+)(?:,min=(-?\d+),max=(-?\d+))?/.exec(out);
  const vals = /^\s*: values=(.*)$/m.exec(out);
  if (!head || !vals) throw new MixerError('io', `cannot parse amixer cget output for '${name}': ${out.trim()}`);
  const type = head[1] ?? '';
  const values = (vals[1] ?? '').split(',').map((v) => (v === 'on' ? 1 : v === 'off' ? 0 : Number(v)));
  const boolean = type === 'BOOLEAN';
  const min = boolean ? 0 : Number(head[3] ?? 0);
  const max = boolean ? 1 : Number(head[4] ?? 0);
  return { name, type, values, min, max, db: parseDb(out, min, max) };
}

function parseDb(out: string, min: number, max: number): DbRange | null {
  const scale = /\| dBscale-min=(-?[\d.]+)dB,step=(-?[\d.]+)dB,mute=(\d)/.exec(out);
  if (scale) {
    const lo = Number(scale[1]);
    return { min: lo, max: lo + Number(scale[2]) * (max - min), mute: scale[3] === '1' };
  }
  const minmax = /\| dBminmax(mute)?-min=(-?[\d.]+)dB,max=(-?[\d.]+)dB/.exec(out);
  if (minmax) return { min: Number(minmax[2]), max: Number(minmax[3]), mute: minmax[1] === 'mute' };
  return null;
}
