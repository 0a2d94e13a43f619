// The command-line side of the tests: real mosquitto_sub / mosquitto_pub processes and shell lines,
// as a user at a terminal would run them.
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import mqtt from 'mqtt';
import { WAIT_MS } from './patience.js';

export interface Line {
  topic: string;
  payload: string;
}

export interface ShellResult {
  code: number;
  stdout: string;
  stderr: string;
  ms: number;
}

/** Runs `line` with bash; never rejects (a failing command is a result to check). */
export function shell(line: string, env: NodeJS.ProcessEnv = process.env, timeoutMs = 3 * WAIT_MS): Promise<ShellResult> {
  const t0 = Date.now();
  return new Promise((resolve) =>
    execFile('bash', ['-c', line], { env, timeout: timeoutMs, encoding: 'utf8' }, (err, stdout, stderr) =>
      resolve({ code: err ? (typeof err.code === 'number' ? err.code : 1) : 0, stdout, stderr, ms: Date.now() - t0 }),
    ),
  );
}

/** A running `mosquitto_sub -v` (given as a shell line): its output as topic/payload lines. */
export class Subscriber {
  readonly lines: Line[] = [];
  #waiters = new Set<() => void>();
  #rest = '';

  private constructor(
    readonly child: ChildProcess,
    /** the topic filter of its -t */
    readonly filter: string,
  ) {
    child.stdout!.setEncoding('utf8').on('data', (d: string) => {
      const parts = (this.#rest + d).split('\n');
      this.#rest = parts.pop()!;
      for (const p of parts) {
        const space = p.indexOf(' ');
        this.lines.push(space < 0 ? { topic: p, payload: '' } : { topic: p.slice(0, space), payload: p.slice(space + 1) });
      }
      for (const w of this.#waiters) w();
    });
  }

  /** Starts `line` and returns once it receives: probes are published until one arrives. */
  static async start(line: string, brokerUrl: string): Promise<Subscriber> {
    const filter = /-t '([^']+)'/.exec(line)?.[1];
    if (!filter) throw new Error(`no -t '…' in ${line}`);
    const sub = new Subscriber(spawn('bash', ['-c', `exec ${line}`], { stdio: ['ignore', 'pipe', 'inherit'] }), filter);
    const probeTopic = filter.replace(/#$/, 'probe').replace(/\+/g, 'probe');
    const client = await mqtt.connectAsync(brokerUrl);
    const deadline = Date.now() + WAIT_MS;
    try {
      for (let i = 0; ; i++) {
        const mark = sub.lines.length;
        await client.publishAsync(probeTopic, `probe-${i}`, { qos: 1 });
        const ok = await sub.next((l) => l.payload === `probe-${i}`, 200, mark).then(() => true, () => false);
        if (ok) return sub;
        if (Date.now() > deadline) throw new Error(`${line} receives nothing within ${WAIT_MS} ms`);
      }
    } finally {
      await client.endAsync();
    }
  }

  mark(): number {
    return this.lines.length;
  }

  /** The first line from `since` on that matches, waiting up to `timeoutMs`. */
  next(match: (l: Line) => boolean, timeoutMs = WAIT_MS, since = 0): Promise<Line> {
    return new Promise((resolve, reject) => {
      const check = () => {
        const l = this.lines.slice(since).find(match);
        if (!l) return;
        done();
        resolve(l);
      };
      const timer = setTimeout(() => (done(), reject(new Error(`no matching line within ${timeoutMs} ms; last: ${JSON.stringify(this.lines.slice(-3))}`))), timeoutMs);
      const done = () => (clearTimeout(timer), this.#waiters.delete(check));
      this.#waiters.add(check);
      check();
    });
  }

  stop(): void {
    this.child.kill('SIGTERM');
  }
}
