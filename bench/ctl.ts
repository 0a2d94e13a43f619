// What one `ctl` call costs against what no client can avoid: node's own start-up plus one MQTT
// request/response round trip by the bare C client (mosquitto_rr, MQTT 5 response topic), measured
// in the same run against the same bridge. The call is the installed one: the bundle, alone in a
// folder (no node_modules to fall back on). Also the same round trip by a bare MQTT.js program,
// bundled the same way (minimal-rr.ts): what ctl would cost if it did nothing but that.
// Prints numbers, never pass/fail.
// Run: npm run bench:ctl (BENCH_CTL_ROUNDS=20 for more rounds); ctlBench() returns the figures to
// other benchmarks.
import { execFile } from 'node:child_process';
import { pathToFileURL } from 'node:url';
import { isolatedBundle, SOURCES_ENTRY } from '../test/helpers/entry.js';
import { startSpeaker, until } from '../test/helpers/setup.js';
import { bundledScript } from './startup.js';

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

export interface CtlFigures {
  /** median wall time of `librespot2mqtt ctl volume N` (the bundle, as installed), ms */
  ctlMs: number;
  /** median of `node -e 0` plus median of a mosquitto_rr command and its answer, ms */
  baseline: number;
  /** ctlMs / baseline: the target is ≤ 1.5 */
  ratio: number;
  /** median of the bare MQTT.js round trip (minimal-rr.ts, bundled), ms */
  floorMs: number;
  rounds: number;
  /** every kind of call measured, by name (the installed call is CTL_BUNDLE): median ms */
  medians: Record<string, number>;
}

function timed(cmd: string, args: string[], env: NodeJS.ProcessEnv = process.env): Promise<number> {
  const t0 = performance.now();
  return new Promise((resolve, reject) =>
    execFile(cmd, args, { env, timeout: 20_000 }, (err, _out, stderr) => (err ? reject(new Error(`${cmd} ${args.join(' ')}: ${stderr || err.message}`)) : resolve(performance.now() - t0))),
  );
}

export const CTL_BUNDLE = 'ctl volume N (bundle, as installed)';
const START = 'node -e 0 (start-up only)';
const ROUND_TRIP = 'mosquitto_rr (command and its answer)';
const FLOOR = 'MQTT.js alone: command and answer (bundled)';

/** Starts a bridge against the emulator and a broker of its own, and measures; needs npm run bundle. */
export async function ctlBench(rounds = Number(process.env.BENCH_CTL_ROUNDS ?? 10)): Promise<CtlFigures> {
  const bundle = isolatedBundle();
  const floor = await bundledScript('minimal-rr');
  const s = await startSpeaker();
  try {
    await until(() => s.state().playback === 'playing', 10_000, 'playing');
    const env = { ...process.env, LIBRESPOT2MQTT_MQTT_URL: s.broker.url, LIBRESPOT2MQTT_DEVICE_ID: s.cfg.device.id };
    const hp = ['-h', '127.0.0.1', '-p', String(s.broker.port)];
    const runs: Record<string, (i: number) => Promise<number>> = {
      [START]: () => timed(process.execPath, ['-e', '0']),
      [ROUND_TRIP]: (i) => timed('mosquitto_rr', [...hp, '-V', '5', '-t', s.topics.set, '-e', 'bench/replies', '-m', JSON.stringify({ volume: 22 + (i % 2) })]),
      [FLOOR]: (i) => timed(process.execPath, [floor, s.broker.url, s.topics.set, JSON.stringify({ volume: 24 + (i % 2) })]),
      'ctl --help (bundle: loading only)': () => timed(process.execPath, [bundle, 'ctl', '--help'], env),
      [CTL_BUNDLE]: (i) => timed(process.execPath, [bundle, 'ctl', 'volume', String(30 + (i % 2))], env),
      'ctl volume N (compiled sources)': (i) => timed(process.execPath, [SOURCES_ENTRY, 'ctl', 'volume', String(32 + (i % 2))], env),
    };
    const times: Record<string, number[]> = Object.fromEntries(Object.keys(runs).map((k) => [k, []]));
    // interleaved, so a busy moment of the machine hits every kind alike
    for (let i = 0; i < rounds; i++) for (const [name, run] of Object.entries(runs)) times[name]!.push(await run(i));
    const medians = Object.fromEntries(Object.entries(times).map(([k, v]) => [k, median(v)]));
    const baseline = medians[START]! + medians[ROUND_TRIP]!;
    return { ctlMs: medians[CTL_BUNDLE]!, baseline, ratio: medians[CTL_BUNDLE]! / baseline, floorMs: medians[FLOOR]!, rounds, medians };
  } finally {
    await s.close();
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const f = await ctlBench();
  for (const [name, ms] of Object.entries(f.medians)) console.log(`${name.padEnd(44)} median ${ms.toFixed(0).padStart(5)} ms`);
  console.log(`baseline (node start-up + mosquitto_rr round trip): ${f.baseline.toFixed(0)} ms, n=${f.rounds}`);
  console.log(`ctl call: ${f.ctlMs.toFixed(0)} ms, ${f.ratio.toFixed(2)}× the baseline (target ≤ 1.5×)`);
  console.log(`MQTT.js alone, the same round trip: ${f.floorMs.toFixed(0)} ms, ${(f.floorMs / f.baseline).toFixed(2)}× the baseline`);
}
