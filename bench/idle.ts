// Rows 1 and 5: connected daemons left alone for a minute (BENCH_IDLE_S), side by side with a bare
// node doing nothing: memory at the end (/proc and process.memoryUsage through the probe), CPU
// seconds over the minute including child processes, the timers that fired, the child processes
// started, and the MQTT messages published (none: only changes are published).
import type { Rig } from '../test/helpers/alsa-rig.js';
import { Watcher } from '../test/helpers/mqtt.js';
import { sleep } from '../test/helpers/setup.js';
import { spawn } from 'node:child_process';
import { cpuSeconds, launcherFlags, rss, startDaemon, type Daemon } from './daemon.js';
import { mixerBackends, onRig } from './backends.js';
import { mb, type Row } from './table.js';

/** no timer may fire more often than this */
const TIMER_MIN_S = 30;
const CPU_TARGET_S = 0.05;
const RSS_TARGET_MB = 15;

export async function idleRows(brokerUrl: string, librespotUrl: string, rig: Rig): Promise<Row[]> {
  const windowS = Number(process.env.BENCH_IDLE_S ?? 60);
  const bare = spawn(process.execPath, ['-e', 'setInterval(() => {}, 2 ** 31 - 1)'], { stdio: 'ignore' });
  const NONE = 'mixer none';
  const DEFAULTS = 'mixer none, node defaults';
  const daemons: Record<string, Daemon> = {
    [NONE]: await startDaemon({ brokerUrl, librespotUrl }),
    [DEFAULTS]: await startDaemon({ brokerUrl, librespotUrl, flags: [] }),
  };
  for (const b of mixerBackends()) daemons[`mixer ${b}`] = await startDaemon({ brokerUrl, librespotUrl, ...onRig(rig, b) });
  const all = Object.values(daemons);
  // discovery, the first state, lazy compilation and the garbage of the start settle first: a
  // daemon spends about 0.09 s of CPU in its first 10 s, then next to nothing
  await sleep(15_000);
  const w = await Watcher.connect(brokerUrl, [...all.map((d) => `${d.base}/#`), 'homeassistant/#']);
  await sleep(1000);
  const mark = w.messages.length;
  const cpu0 = new Map<string | number, number>([['bare', cpuSeconds(bare.pid!)], ...all.map((d) => [d.id, cpuSeconds(d.pid)] as const)]);
  const t0 = performance.now();
  await sleep(windowS * 1000);
  const t1 = performance.now();
  const cpu = (key: string | number, pid: number) => cpuSeconds(pid) - cpu0.get(key)!;
  const bareCpu = cpu('bare', bare.pid!);
  const bareRss = rss(bare.pid!);
  const published = w.messages.slice(mark).length;
  await w.close();

  const seen = await Promise.all(
    Object.entries(daemons).map(async ([name, d]) => {
      const report = await d.probe();
      const inWindow = (t: number) => t >= report.now - (t1 - t0) && t <= report.now;
      // timers that fired at least twice in the window, closer together than TIMER_MIN_S
      const often = Object.entries(report.timers)
        .map(([where, fires]) => ({ where, fires: fires.filter(inWindow) }))
        .filter(({ fires }) => fires.some((t, i) => i > 0 && t - fires[i - 1]! < TIMER_MIN_S * 1000 - 500));
      return { name, cpu: cpu(d.id, d.pid), rss: rss(d.pid), report, often, spawns: report.spawns.filter((s) => inWindow(s.at)) };
    }),
  );
  await Promise.all(all.map((d) => d.stop()));
  bare.kill();

  const none = seen.find((s) => s.name === NONE)!;
  const defaults = seen.find((s) => s.name === DEFAULTS)!;
  const alsa = seen.filter((s) => s !== none && s !== defaults);
  const flags = launcherFlags().join(' ') || 'none';
  const heap = (s: typeof none) => mb(s.report.memory.heapUsed / 2 ** 20);
  const cpuRuns = [none, ...alsa];
  const maxCpu = Math.max(...cpuRuns.map((s) => s.cpu));
  const often = cpuRuns.flatMap((s) => s.often.map((o) => `${s.name}: ${o.where} ×${o.fires.length}`));
  const polling = cpuRuns.filter((s) => s.spawns.length > 0);
  return [
    {
      n: 1,
      measure: `idle memory: RSS after connect, discovery and ${windowS} s idle (mixer none; V8 flags: ${flags})`,
      value:
        `${mb(none.rss.rss)} (+${mb(none.rss.rss - bareRss.rss)}), heap used ${heap(none)}; ` +
        `without the flags ${mb(defaults.rss.rss)}; ${alsa.map((s) => `${s.name} ${mb(s.rss.rss)}`).join(', ')}`,
      baseline: `bare node ${mb(bareRss.rss)}`,
      ratio: none.rss.rss / bareRss.rss,
      target: `≤ +${RSS_TARGET_MB} MB over bare node`,
      met: none.rss.rss - bareRss.rss <= RSS_TARGET_MB,
    },
    {
      n: 5,
      measure: `idle CPU over ${windowS} s, child processes included; timers; child processes; MQTT messages`,
      value:
        `${cpuRuns.map((s) => `${s.name} ${s.cpu.toFixed(2)} s`).join(', ')}; ` +
        `timers firing more than once per ${TIMER_MIN_S} s: ${often.length ? often.join('; ') : 'none'}; ` +
        `child processes: ${cpuRuns.map((s) => `${s.name} ${s.spawns.length}`).join(', ')}; messages published: ${published}`,
      baseline: `bare node ${bareCpu.toFixed(2)} s`,
      ratio: bareCpu > 0 ? maxCpu / bareCpu : null,
      target: `≤ ${CPU_TARGET_S} s, no timer more than once per ${TIMER_MIN_S} s, no child process polling`,
      met: maxCpu <= CPU_TARGET_S && often.length === 0 && polling.length === 0,
    },
  ];
}
