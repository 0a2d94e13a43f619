// What one `ctl` call costs against what no client can avoid: node's own start-up plus one MQTT
// request/response round trip by the bare C client (mosquitto_rr, MQTT 5 response topic), measured
// in the same run against the same bridge. Prints numbers, never pass/fail.
// Run: npm run bench:ctl (BENCH_CTL_ROUNDS=20 for more rounds)
import { execFile } from 'node:child_process';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { startSpeaker, until } from '../test/helpers/setup.js';

const SOURCES = fileURLToPath(new URL('../bridge/cli.js', import.meta.url));
const BUNDLE = fileURLToPath(new URL('../librespot2mqtt.mjs', import.meta.url));
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

function timed(cmd: string, args: string[], env: NodeJS.ProcessEnv = process.env): Promise<number> {
  const t0 = performance.now();
  return new Promise((resolve, reject) =>
    execFile(cmd, args, { env, timeout: 20_000 }, (err, _out, stderr) => (err ? reject(new Error(`${cmd} ${args.join(' ')}: ${stderr || err.message}`)) : resolve(performance.now() - t0))),
  );
}

export interface CtlFigures {
  /** median ms per kind of call */
  medians: Record<string, number>;
  /** node start-up + mosquitto_rr round trip, ms */
  baseline: number;
  rounds: number;
}

export const CTL_BUNDLE = 'ctl volume N, bundle';

export async function ctlBench(rounds = Number(process.env.BENCH_CTL_ROUNDS ?? 10)): Promise<CtlFigures> {
  const s = await startSpeaker();
  try {
    await until(() => s.state().playback === 'playing', 5000, 'playing');
    const env = { ...process.env, LIBRESPOT2MQTT_MQTT_URL: s.broker.url, LIBRESPOT2MQTT_DEVICE_ID: s.cfg.device.id };
    const hp = ['-h', '127.0.0.1', '-p', String(s.broker.port)];
    const runs: Record<string, (i: number) => Promise<number>> = {
      'node -e 0 (start-up only)': () => timed(process.execPath, ['-e', '0']),
      'mosquitto_pub -q 1 (publish, no answer)': (i) => timed('mosquitto_pub', [...hp, '-q', '1', '-t', `${s.topics.set}/volume`, '-m', String(20 + (i % 2))]),
      'mosquitto_rr (command and its answer)': (i) =>
        timed('mosquitto_rr', [...hp, '-V', '5', '-t', s.topics.set, '-e', 'bench/replies', '-m', JSON.stringify({ volume: 22 + (i % 2) })]),
      'ctl --help, sources (loading only)': () => timed(process.execPath, [SOURCES, 'ctl', '--help'], env),
      'ctl --help, bundle (loading only)': () => timed(process.execPath, [BUNDLE, 'ctl', '--help'], env),
      'ctl volume N, sources': (i) => timed(process.execPath, [SOURCES, 'ctl', 'volume', String(30 + (i % 2))], env),
      [CTL_BUNDLE]: (i) => timed(process.execPath, [BUNDLE, 'ctl', 'volume', String(32 + (i % 2))], env),
    };
    const times: Record<string, number[]> = Object.fromEntries(Object.keys(runs).map((k) => [k, []]));
    // interleaved, so a busy moment of the machine hits every kind alike
    for (let i = 0; i < rounds; i++) for (const [name, run] of Object.entries(runs)) times[name]!.push(await run(i));
    const medians = Object.fromEntries(Object.entries(times).map(([k, v]) => [k, median(v)]));
    return { medians, baseline: medians['node -e 0 (start-up only)']! + medians['mosquitto_rr (command and its answer)']!, rounds };
  } finally {
    await s.close();
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const { medians, baseline, rounds } = await ctlBench();
  for (const [name, ms] of Object.entries(medians)) console.log(`${name.padEnd(42)} median ${ms.toFixed(0).padStart(5)} ms`);
  console.log(`baseline (node start-up + mosquitto_rr round trip): ${baseline.toFixed(0)} ms, n=${rounds}`);
  for (const name of ['ctl volume N, sources', CTL_BUNDLE]) console.log(`${name}: ${(medians[name]! / baseline).toFixed(2)}× the baseline (target ≤ 1.5×)`);
}
