// Benchmarks that print numbers (never pass/fail): event → MQTT latency, command → HTTP latency,
// the daemon's idle memory against bare node measured in the same run, and the shipped bundle
// against the compiled sources (bench/entries.ts).
// Run: npm run bench
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startSpeaker, sleep } from '../test/helpers/setup.js';
import { LibrespotEmulator } from '../bridge/emulator/emulator.js';
import { Watcher } from '../test/helpers/mqtt.js';
import { entriesBench } from './entries.js';

const quantile = (xs: number[], q: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(q * xs.length))]!;
const summary = (xs: number[]) => `median ${quantile(xs, 0.5).toFixed(1)} ms, p95 ${quantile(xs, 0.95).toFixed(1)} ms, n=${xs.length}`;

async function latency(rounds: number): Promise<void> {
  const s = await startSpeaker();
  try {
    await s.watcher.waitJson<any>(s.topics.state, (v) => v.playback === 'playing');
    const event: number[] = [];
    const command: number[] = [];
    for (let i = 0; i < rounds; i++) {
      const mark = s.watcher.mark();
      const t0 = performance.now();
      s.emulator.appSkip();
      const uri = s.emulator.status()!.track!.uri;
      await s.watcher.waitJson<any>(s.topics.state, (v) => v.track?.uri === uri, 2000, mark);
      event.push(performance.now() - t0);

      const n = s.emulator.requests.length;
      const t1 = performance.now();
      await s.watcher.publish(`${s.topics.set}/action`, 'pause');
      while (!s.emulator.requests.slice(n).some((r) => r.path === '/player/pause')) await sleep(1);
      command.push(performance.now() - t1);
      s.emulator.appResume();
      await sleep(5);
    }
    console.log(`event → MQTT (go-librespot skip → state seen by a subscriber): ${summary(event)}`);
    console.log(`command → HTTP (mosquitto publish → POST at go-librespot):   ${summary(command)}`);
  } finally {
    await s.close();
  }
}

function rssKb(pid: number): number {
  return Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))![1]);
}

async function idleRss(url: string, emulatorUrl: string): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'l2m-bench-'));
  const cfg = join(dir, 'bench.yaml');
  writeFileSync(cfg, `mqtt: {url: "${url}"}\nlibrespot: {url: "${emulatorUrl}"}\ndevice: {id: bench}\nmixer: {backend: none}\nstate_file: ${join(dir, 'state.json')}\nlog: {level: warn}\n`);
  const cli = fileURLToPath(new URL('../bridge/cli.js', import.meta.url));
  const measure = async (args: string[]) => {
    const child = spawn(process.execPath, args, { stdio: 'ignore' });
    await sleep(3000);
    const kb = rssKb(child.pid!);
    child.kill('SIGTERM');
    return kb / 1024;
  };
  const bare = await measure(['-e', 'setInterval(() => {}, 1000)']);
  const w = await Watcher.connect(url, ['librespot2mqtt/bench/availability']);
  const bridge = await measure([cli, '--config', cfg]);
  const seen = w.messages.some((m) => m.text === 'online');
  await w.close();
  console.log(
    `idle RSS: bare node ${bare.toFixed(1)} MB, librespot2mqtt ${bridge.toFixed(1)} MB (+${(bridge - bare).toFixed(1)} MB, ${(bridge / bare).toFixed(2)}×)${seen ? '' : ' — WARNING: the bridge never came online'}`,
  );
}

const s = await startSpeaker();
const brokerUrl = s.broker.url;
const emu = await LibrespotEmulator.start();
await latency(Number(process.env.BENCH_ROUNDS ?? 100));
await idleRss(brokerUrl, emu.url);
await entriesBench(brokerUrl, emu.url, mkdtempSync(join(tmpdir(), 'l2m-bench-')), Number(process.env.BENCH_ENTRY_ROUNDS ?? 5));
await emu.close();
await s.close();
