// Starts test/rig/alsa-rig.sh (a real ALSA mixer through an alsa-lib plugin) in a private state
// folder per test run. Without it the ALSA tests are skipped loudly, or fail under CI.
import { execFile, spawn } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { loadNative } from '../../bridge/mixer/native/binding.js';
import { WAIT_MS } from './patience.js';

const run = promisify(execFile);
const SCRIPT = fileURLToPath(new URL('../../../test/rig/alsa-rig.sh', import.meta.url));
const INSTALL = 'apt-get install alsa-utils libasound2-dev gcc';

export type RigDevice = 'amp' | 'amp2';

export interface Rig {
  /** process.env plus ALSA_CONFIG_PATH pointing at the rig. */
  env: NodeJS.ProcessEnv;
  dir: string;
  /** Writes an element's values into the state file, as a knob turned outside ALSA would. */
  setRaw(device: RigDevice, elementIndex: number, values: number[]): Promise<void>;
  /** Makes the device vanish (opening it fails with ENODEV) or come back. */
  setGone(device: RigDevice, gone: boolean): Promise<void>;
  amixer(args: string[]): Promise<string>;
  /** Power-on values: amp Master 200 (0 dB), amp2 Digital 207 (0 dB) and on. */
  reset(): Promise<void>;
  stop(): Promise<void>;
}

/** The rig, or null when it cannot start and the ALSA tests should be skipped. */
export async function startRig(): Promise<Rig | null> {
  const dir = await mkdtemp(join(tmpdir(), 'l2m-alsa-rig-'));
  const rigEnv = { ...process.env, ALSA_RIG_DIR: dir, ALSA_RIG_PULSE: '0' };
  let out: string;
  try {
    out = (await run('bash', [SCRIPT, 'start'], { env: rigEnv, encoding: 'utf8', timeout: 120_000 })).stdout;
  } catch (err) {
    await rm(dir, { recursive: true, force: true });
    const detail = ((err as { stderr?: string }).stderr ?? '').trim() || String(err);
    const why = `the ALSA test rig did not start (${detail}); install: ${INSTALL}`;
    if (process.env.CI || process.env.L2M_REQUIRE_ALSA) throw new Error(why, { cause: err });
    process.stderr.write(`\n${'!'.repeat(78)}\n!!! SKIPPING the ALSA mixer tests: ${why}\n${'!'.repeat(78)}\n\n`);
    return null;
  }
  const env: NodeJS.ProcessEnv = { ...rigEnv };
  for (const m of out.matchAll(/^export (\w+)='(.*)'$/gm)) env[m[1] ?? ''] = m[2];

  const state = (device: RigDevice): string => join(dir, 'state', device);
  const rig: Rig = {
    env,
    dir,
    async setRaw(device, elementIndex, values) {
      const lines = (await readFile(state(device), 'utf8')).split('\n').filter((l) => l && !l.startsWith(`${elementIndex} `));
      lines.push([elementIndex, ...values].join(' '));
      // written beside and renamed in, like the plugin does, so readers never see half a file
      const tmp = join(`${state(device)}.tmp`, `test-${process.pid}`);
      await mkdir(`${state(device)}.tmp`, { recursive: true });
      await writeFile(tmp, lines.join('\n') + '\n');
      await rename(tmp, state(device));
    },
    async setGone(device, gone) {
      if (gone) await writeFile(`${state(device)}.gone`, '');
      else await rm(`${state(device)}.gone`, { force: true });
    },
    async amixer(args) {
      return (await run('amixer', args, { env, encoding: 'utf8', timeout: 5000 })).stdout;
    },
    async reset() {
      await run('bash', [SCRIPT, 'reset'], { env, timeout: 10_000 });
    },
    async stop() {
      await run('bash', [SCRIPT, 'stop'], { env, timeout: 10_000 });
      await rm(dir, { recursive: true, force: true });
    },
  };
  await rig.reset();
  return rig;
}

/** mixer.backend values that pick each ALSA backend: every rig test runs with both. */
export const ALSA_BACKENDS = ['alsa-native', 'alsa-utils'] as const;
export type AlsaBackendName = (typeof ALSA_BACKENDS)[number];

/**
 * Why a backend's rig tests are skipped, or false. The native mixer builds from the same headers
 * and compiler as the rig, so where the rig is required (CI) a native mixer that does not load fails.
 */
export function backendSkip(rig: Rig | null, backend: AlsaBackendName): string | false {
  if (!rig) return 'the ALSA rig is not available (see above)';
  if (backend !== 'alsa-native') return false;
  const Ctl = loadNative();
  if (!(Ctl instanceof Error)) return false;
  const why = `the native ALSA mixer does not load: ${Ctl.message}; npm run build compiles it`;
  if (process.env.CI || process.env.L2M_REQUIRE_ALSA) throw new Error(why, { cause: Ctl });
  process.stderr.write(`\n!!! SKIPPING the native mixer's tests: ${why}\n\n`);
  return why;
}

/** Another control of each card: a write to it shows that alsactl monitor reports, and counts as none. */
const PROBE = { amp: [1, 'Channels'], amp2: [2, 'Analogue Playback Volume'] } as const;

/** Counts the writes to `element` as the card reports them to every client (alsactl monitor), from
 * once the monitor is seen to report: a write made before it listens would never be counted. */
export async function watchWrites(rig: Rig, device: RigDevice, element: string) {
  const child = spawn('alsactl', ['monitor', device], { env: rig.env, stdio: ['ignore', 'pipe', 'ignore'] });
  const at: number[] = [];
  let probed = false;
  const [index, name] = PROBE[device];
  child.stdout.setEncoding('utf8').on('data', (d: string) => {
    for (const line of d.split('\n')) {
      if (line.includes(`,${element},`)) at.push(Date.now());
      if (line.includes(`,${name},`)) probed = true;
    }
  });
  for (let v = 0; !probed; v = 1 - v) {
    await rig.setRaw(device, index, [v, v]);
    for (let i = 0; i < 100 && !probed; i++) await new Promise((r) => setTimeout(r, 10));
  }
  const since = (t: number) => at.filter((x) => x >= t).length;
  return {
    since,
    /** waits for `n` writes since `t`, then long enough that one more would have been counted too */
    async settled(t: number, n: number): Promise<number> {
      const deadline = Date.now() + WAIT_MS;
      while (since(t) < n && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
      await new Promise((r) => setTimeout(r, 400));
      return since(t);
    },
    stop: () => child.kill(),
  };
}
