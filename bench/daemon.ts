// One daemon under test, as users run it: the shipped bundle alone in a folder, node started with
// the launcher's V8 flags (the OpenRC service's, config/alpine/librespot2mqtt.initd), a YAML config,
// and unless told not to the probe (probe.ts) loaded in. Also what /proc says about any process:
// memory and CPU.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { serviceNodeFlags } from '../test/helpers/alpine.js';
import { isolatedBundle } from '../test/helpers/entry.js';
import { Watcher } from '../test/helpers/mqtt.js';
import type { ProbeReport } from './probe.js';

const PROBE = fileURLToPath(new URL('./probe.js', import.meta.url));

/** The V8 flags the OpenRC service starts node with (BENCH_NODE_FLAGS overrides them, to try others). */
export function launcherFlags(): string[] {
  const fromEnv = process.env.BENCH_NODE_FLAGS;
  return fromEnv === undefined ? serviceNodeFlags() : fromEnv.split(/\s+/).filter(Boolean);
}

let bundle: string | undefined;
let count = 0;
const scratch = mkdtempSync(join(tmpdir(), 'l2m-bench-'));

export interface Daemon {
  child: ChildProcess;
  pid: number;
  id: string;
  base: string;
  /** spawn → "online" seen on the broker, ms */
  onlineMs: number;
  probe(): Promise<ProbeReport>;
  stop(): Promise<void>;
}

/** Starts the bundle with `config` (added to a minimal one) and waits until it is online. */
export async function startDaemon(o: { brokerUrl: string; librespotUrl: string; config?: string; env?: NodeJS.ProcessEnv; flags?: string[]; probe?: boolean }): Promise<Daemon> {
  bundle ??= isolatedBundle();
  const id = `bench-${process.pid}-${count++}`;
  const file = join(scratch, `${id}.yaml`);
  writeFileSync(
    file,
    `mqtt: {url: "${o.brokerUrl}"}\nlibrespot: {url: "${o.librespotUrl}"}\ndevice: {id: ${id}}\nstate_file: ${join(scratch, `${id}.json`)}\nlog: {level: warn}\n${o.config ?? 'mixer: {backend: none}\n'}`,
  );
  const report = join(scratch, `${id}.probe.json`);
  const base = `librespot2mqtt/${id}`;
  const w = await Watcher.connect(o.brokerUrl, [`${base}/availability`]);
  const t0 = performance.now();
  const child = spawn(process.execPath, [...(o.flags ?? launcherFlags()), ...(o.probe === false ? [] : ['--import', PROBE]), bundle, '--config', file], {
    stdio: ['ignore', 'inherit', 'inherit'],
    env: { ...process.env, ...o.env, L2M_BENCH_PROBE: report },
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  try {
    await w.wait(`${base}/availability`, (m) => m.text === 'online', 30_000);
  } finally {
    await w.close();
  }
  const onlineMs = performance.now() - t0;
  return {
    child,
    pid: child.pid!,
    id,
    base,
    onlineMs,
    async probe() {
      const before = existsSync(report) ? readFileSync(report, 'utf8') : '';
      child.kill('SIGUSR2');
      for (let i = 0; i < 500; i++) {
        await new Promise((r) => setTimeout(r, 10));
        if (existsSync(report) && readFileSync(report, 'utf8') !== before) return JSON.parse(readFileSync(report, 'utf8')) as ProbeReport;
      }
      throw new Error(`the probe in ${id} did not answer`);
    },
    async stop() {
      child.kill('SIGTERM');
      await exited;
    },
  };
}

/** From /proc/<pid>/status, in MB: VmRSS, its anonymous and file-backed parts, and the peak (VmHWM). */
export function rss(pid: number): { rss: number; anon: number; file: number; peak: number } {
  const s = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (key: string) => Number(new RegExp(`${key}:\\s+(\\d+)`).exec(s)?.[1] ?? NaN) / 1024;
  return { rss: kb('VmRSS'), anon: kb('RssAnon'), file: kb('RssFile'), peak: kb('VmHWM') };
}

const TICK = 100; // USER_HZ: clock ticks per second on Linux

function children(pid: number): number[] {
  const dir = `/proc/${pid}/task`;
  if (!existsSync(dir)) return [];
  return readdirSync(dir).flatMap((t) => {
    try {
      return readFileSync(`${dir}/${t}/children`, 'utf8').split(' ').filter(Boolean).map(Number);
    } catch {
      return [];
    }
  });
}

/** CPU seconds of a process: its own, its waited-for children's, and those of its living
 * descendants (a long-lived alsactl monitor is counted too). */
export function cpuSeconds(pid: number): number {
  let ticks = 0;
  try {
    // the fields after the command, which may hold spaces: utime stime cutime cstime are 14-17
    const f = readFileSync(`/proc/${pid}/stat`, 'utf8').replace(/^.*\) /, '').split(' ');
    ticks = Number(f[11]) + Number(f[12]) + Number(f[13]) + Number(f[14]);
  } catch {
    return 0;
  }
  return ticks / TICK + children(pid).reduce((sum, c) => sum + cpuSeconds(c), 0);
}
