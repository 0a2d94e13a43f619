// Real processes under test: output collected, exit awaited, and none left behind by a failed test.
import { spawn, type ChildProcess } from 'node:child_process';
import { cliEntry } from './entry.js';
import { WAIT_MS } from './patience.js';

export interface Proc {
  child: ChildProcess;
  out: () => string;
  err: () => string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

const children = new Set<ChildProcess>();

/** process.env without any LIBRESPOT2MQTT_* the developer may have set */
export const cleanEnv = (extra: Record<string, string> = {}) => ({
  ...Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('LIBRESPOT2MQTT_'))),
  ...extra,
});

export function start(cmd: string, args: string[], env: NodeJS.ProcessEnv = cleanEnv()): Proc {
  const child = spawn(cmd, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
  children.add(child);
  let out = '';
  let err = '';
  child.stdout!.on('data', (d) => (out += d));
  child.stderr!.on('data', (d) => (err += d));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('close', (code, signal) => (children.delete(child), resolve({ code, signal }))),
  );
  return { child, out: () => out, err: () => err, exited };
}

/** Kills whatever a test left running (call it from after()). */
export function killAll(): void {
  for (const c of children) c.kill('SIGKILL');
}

/** A stop signal, and the exit it led to (SIGKILL after WAIT_MS: a hang fails the test instead of holding it) */
export async function terminate(p: Proc, signal: 'SIGTERM' | 'SIGINT' = 'SIGTERM') {
  const t0 = Date.now();
  const guard = setTimeout(() => p.child.kill('SIGKILL'), WAIT_MS);
  p.child.kill(signal);
  const exit = await p.exited;
  clearTimeout(guard);
  return { exit, ms: Date.now() - t0 };
}

/** the command line under test: the sources, or the bundle with L2M_TEST_ENTRY=bundle */
export const CLI = cliEntry();

/** `librespot2mqtt ARGS` to its end (killed after WAIT_MS: a hang fails instead of holding the run). */
export async function cli(args: string[], env?: NodeJS.ProcessEnv) {
  const p = start(process.execPath, [CLI, ...args], env);
  const timer = setTimeout(() => p.child.kill('SIGKILL'), WAIT_MS);
  const { code } = await p.exited;
  clearTimeout(timer);
  return { code, stdout: p.out(), stderr: p.err() };
}
