// Loaded into a daemon under test with `node --import`: counts timer callbacks (by where the timer
// was made) and child processes, and on SIGUSR2 writes what it saw, with node's own memory figures,
// to the file named by L2M_BENCH_PROBE. It adds no timer of its own.
import { writeFileSync } from 'node:fs';
import { createRequire, syncBuiltinESMExports } from 'node:module';
import v8 from 'node:v8';

export interface ProbeReport {
  /** performance.now() when the report was written: the other times are on this clock */
  now: number;
  memory: NodeJS.MemoryUsage;
  heapSpaces: Record<string, number>;
  /** firing times (ms since the process started) per place that made the timer */
  timers: Record<string, number[]>;
  /** child processes started: the command and when */
  spawns: { command: string; at: number }[];
}

const timers: Record<string, number[]> = {};
const spawns: ProbeReport['spawns'] = [];

/** the first stack frame outside this file: where the daemon made the timer */
function madeAt(): string {
  const frames = (new Error().stack ?? '').split('\n').slice(1);
  const frame = frames.find((f) => !f.includes('probe.js')) ?? '?';
  return frame.trim().replace(/^at /, '').replace(/\(?file:\/\/\S*?([^/]+:\d+:\d+)\)?$/, '$1');
}

const require = createRequire(import.meta.url);
const timersModule = require('node:timers') as Record<string, unknown>;
for (const name of ['setTimeout', 'setInterval'] as const) {
  const original = globalThis[name] as (cb: (...a: unknown[]) => void, ms?: number, ...args: unknown[]) => unknown;
  // the global and node:timers, so that a library importing either is seen
  timersModule[name] = (globalThis as Record<string, unknown>)[name] = function (cb: (...a: unknown[]) => void, ms?: number, ...args: unknown[]) {
    if (typeof cb !== 'function') return original(cb, ms, ...args);
    const fires = (timers[`${name}(${ms ?? 0} ms) ${madeAt()}`] ??= []);
    return original((...a: unknown[]) => {
      fires.push(performance.now());
      cb(...a);
    }, ms, ...args);
  };
}

const cp = require('node:child_process') as Record<string, (...a: unknown[]) => unknown>;
for (const name of ['spawn', 'execFile', 'exec', 'fork', 'spawnSync', 'execFileSync', 'execSync']) {
  const original = cp[name]!;
  cp[name] = function (this: unknown, ...a: unknown[]) {
    spawns.push({ command: [a[0], ...(Array.isArray(a[1]) ? a[1] : [])].join(' '), at: performance.now() });
    return original.apply(this, a);
  };
}
syncBuiltinESMExports();

process.on('SIGUSR2', () => {
  const report: ProbeReport = {
    now: performance.now(),
    memory: process.memoryUsage(),
    heapSpaces: Object.fromEntries(v8.getHeapSpaceStatistics().map((s) => [s.space_name, s.space_used_size])),
    timers,
    spawns,
  };
  writeFileSync(process.env.L2M_BENCH_PROBE!, JSON.stringify(report));
});
