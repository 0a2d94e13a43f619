// The shipped bundle against the compiled sources, measured in the same run: file size, module
// load (--version), start-up (spawn → "online" on MQTT), idle RSS, and SIGTERM → exit, idle and in
// the middle of a flood of commands (the bridge answers each with a QoS 1 refusal).
import { spawn } from 'node:child_process';
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import mqtt from 'mqtt';
import { BUNDLE, isolatedBundle, SOURCES_ENTRY } from '../test/helpers/entry.js';
import { Watcher } from '../test/helpers/mqtt.js';
import { sleep } from '../test/helpers/setup.js';

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const max = (xs: number[]) => Math.max(...xs);
const rssMb = (pid: number) => Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))![1]) / 1024;

function exited(child: ReturnType<typeof spawn>): Promise<number | null> {
  return new Promise((resolve) => child.once('exit', (code) => resolve(code)));
}

async function versionMs(entry: string): Promise<number> {
  const t0 = performance.now();
  await exited(spawn(process.execPath, [entry, '--version'], { stdio: 'ignore' }));
  return performance.now() - t0;
}

interface Run {
  onlineMs: number;
  rss: number;
  termMs: number;
  code: number | null;
  offline: boolean;
}

let runs = 0;

/** One daemon from spawn to exit; `flood` commands are published just before SIGTERM. */
async function run(entry: string, brokerUrl: string, emulatorUrl: string, dir: string, flood = 0): Promise<Run> {
  const id = `bench-entry-${runs++}`;
  const cfg = `${dir}/${id}.yaml`;
  writeFileSync(cfg, `mqtt: {url: "${brokerUrl}"}\nlibrespot: {url: "${emulatorUrl}"}\ndevice: {id: ${id}}\nmixer: {backend: none}\nstate_file: ${dir}/${id}.json\nlog: {level: error}\n`);
  const availability = `librespot2mqtt/${id}/availability`;
  const w = await Watcher.connect(brokerUrl, [availability]);
  try {
    const t0 = Date.now();
    const child = spawn(process.execPath, [entry, '--config', cfg], { stdio: 'ignore' });
    const exit = exited(child);
    const onlineMs = (await w.wait(availability, (m) => m.text === 'online', 15_000)).at - t0;
    await sleep(1000);
    const rss = rssMb(child.pid!);
    if (flood) {
      const c = await mqtt.connectAsync(brokerUrl);
      for (let i = 0; i < flood; i++) c.publish(`librespot2mqtt/${id}/set`, `garbage ${i}`, { qos: 0 });
      await sleep(50);
      await c.endAsync();
    }
    const mark = w.mark();
    const t1 = performance.now();
    child.kill('SIGTERM');
    const code = await exit;
    const termMs = performance.now() - t1;
    const offline = await w.wait(availability, (m) => m.text === 'offline', 5000, mark).then(() => true, () => false);
    return { onlineMs, rss, termMs, code, offline };
  } finally {
    await w.close();
  }
}

export async function entriesBench(brokerUrl: string, emulatorUrl: string, dir: string, rounds = 5): Promise<void> {
  const bytes = statSync(BUNDLE).size;
  console.log(`bundle dist/librespot2mqtt.mjs: ${(bytes / 1024).toFixed(0)} KiB (${(gzipSync(readFileSync(BUNDLE)).length / 1024).toFixed(0)} KiB gzipped)`);
  const entries = { sources: SOURCES_ENTRY, bundle: isolatedBundle() };
  const results: Record<string, { version: number[]; runs: Run[]; loaded: Run[] }> = {};
  for (const name of Object.keys(entries)) results[name] = { version: [], runs: [], loaded: [] };
  // interleaved, so both see the same machine load
  for (let i = 0; i < rounds; i++)
    for (const [name, entry] of Object.entries(entries)) {
      const r = results[name]!;
      r.version.push(await versionMs(entry));
      r.runs.push(await run(entry, brokerUrl, emulatorUrl, dir));
      r.loaded.push(await run(entry, brokerUrl, emulatorUrl, dir, 5000));
    }
  const base = results.sources!;
  for (const [name, r] of Object.entries(results)) {
    const ratio = (f: (x: typeof r) => number) => (name === 'sources' ? '' : ` (${(f(r) / f(base)).toFixed(2)}×)`);
    const v = (x: typeof r) => median(x.version);
    const on = (x: typeof r) => median(x.runs.map((q) => q.onlineMs));
    const rss = (x: typeof r) => median(x.runs.map((q) => q.rss));
    const all = [...r.runs, ...r.loaded];
    const bad = all.filter((q) => q.code !== 0 || !q.offline).length;
    console.log(
      `${name.padEnd(7)}: --version ${v(r).toFixed(0)} ms${ratio(v)}, spawn → online ${on(r).toFixed(0)} ms${ratio(on)}, idle RSS ${rss(r).toFixed(1)} MB${ratio(rss)}; ` +
        `SIGTERM → exit median/max ${median(r.runs.map((q) => q.termMs)).toFixed(0)}/${max(r.runs.map((q) => q.termMs)).toFixed(0)} ms idle, ` +
        `${median(r.loaded.map((q) => q.termMs)).toFixed(0)}/${max(r.loaded.map((q) => q.termMs)).toFixed(0)} ms after 5000 commands; ` +
        `${all.length - bad}/${all.length} exited 0 with "offline" retained`,
    );
  }
}
