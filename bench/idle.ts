// Rows 1 and 5: connected daemons left alone for a minute (BENCH_IDLE_S), side by side with a bare
// node doing nothing: RSS over the minute's second half and CPU seconds over the minute, child
// processes included, from /proc, of daemons without the probe (it costs RSS itself); from a twin
// with the probe, the heap, the timers that fired and the child processes started. A subscriber
// counts the MQTT messages published meanwhile (none: only changes are published).
import type { Rig } from '../test/helpers/alsa-rig.js';
import { Watcher } from '../test/helpers/mqtt.js';
import { sleep } from '../test/helpers/setup.js';
import { spawn } from 'node:child_process';
import { cpuSeconds, launcherFlags, rss, startDaemon, type Daemon } from './daemon.js';
import { mixerBackends, onRig } from './backends.js';
import { mb, median, type Row } from './table.js';

/** no timer may fire more often than this */
const TIMER_MIN_S = 30;
const CPU_TARGET_S = 0.05;
const RSS_TARGET_MB = 15;

interface Twin {
  name: string;
  /** measured for memory and CPU: the probe itself costs RSS */
  plain: Daemon;
  /** the same daemon with the probe: timers, child processes, heap */
  probed?: Daemon;
}

export async function idleRows(brokerUrl: string, librespotUrl: string, rig: Rig): Promise<Row[]> {
  const windowS = Number(process.env.BENCH_IDLE_S ?? 60);
  const bare = spawn(process.execPath, ['-e', 'setInterval(() => {}, 2 ** 31 - 1)'], { stdio: 'ignore' });
  const start = (o: Partial<Parameters<typeof startDaemon>[0]> = {}) => startDaemon({ brokerUrl, librespotUrl, ...o });
  const twins: Twin[] = [{ name: 'mixer none', plain: await start({ probe: false }), probed: await start() }];
  for (const b of mixerBackends()) twins.push({ name: `mixer ${b}`, plain: await start({ ...onRig(rig, b), probe: false }), probed: await start(onRig(rig, b)) });
  const defaults: Twin = { name: 'mixer none, node defaults', plain: await start({ probe: false, flags: [] }) };
  const all = [...twins, defaults].flatMap((t) => [t.plain, ...(t.probed ? [t.probed] : [])]);
  // discovery, the first state, lazy compilation and the garbage of the start settle first: a
  // daemon spends about 0.09 s of CPU in its first 10 s, then next to nothing
  await sleep(15_000);
  const w = await Watcher.connect(brokerUrl, [...all.map((d) => `${d.base}/#`), 'homeassistant/#']);
  await sleep(1000);
  const mark = w.messages.length;
  const pids = [bare.pid!, ...all.map((d) => d.pid)];
  const cpu0 = new Map(pids.map((pid) => [pid, cpuSeconds(pid)]));
  const t0 = performance.now();
  // RSS sampled over the window's second half: V8 gives memory back when it finds the process
  // idle, at a moment of its choosing, so one reading may come just before or just after
  const samples = new Map<number, number[]>(pids.map((pid) => [pid, []]));
  await sleep((windowS * 1000) / 2);
  for (let i = 0; i < 6; i++) {
    for (const [pid, xs] of samples) xs.push(rss(pid).rss);
    await sleep((windowS * 1000) / 12);
  }
  const t1 = performance.now();
  const idleRss = (pid: number) => median(samples.get(pid)!);
  const cpu = (pid: number) => cpuSeconds(pid) - cpu0.get(pid)!;
  const published = w.messages.slice(mark).length;
  await w.close();

  const seen = await Promise.all(
    twins.map(async ({ name, plain, probed }) => {
      const report = await probed!.probe();
      const inWindow = (t: number) => t >= report.now - (t1 - t0) && t <= report.now;
      // timers that fired at least twice in the window, closer together than TIMER_MIN_S
      const often = Object.entries(report.timers)
        .map(([where, fires]) => ({ where, fires: fires.filter(inWindow) }))
        .filter(({ fires }) => fires.some((t, i) => i > 0 && t - fires[i - 1]! < TIMER_MIN_S * 1000 - 500));
      return { name, cpu: cpu(plain.pid), rss: idleRss(plain.pid), heapUsed: report.memory.heapUsed, often, spawns: report.spawns.filter((s) => inWindow(s.at)) };
    }),
  );
  const bareCpu = cpu(bare.pid!);
  const bareRss = idleRss(bare.pid!);
  const defaultsRss = idleRss(defaults.plain.pid);
  await Promise.all(all.map((d) => d.stop()));
  bare.kill();

  const [none, ...alsa] = seen as [(typeof seen)[number], ...typeof seen];
  const flags = launcherFlags().join(' ') || 'none';
  const maxCpu = Math.max(...seen.map((s) => s.cpu));
  const often = seen.flatMap((s) => s.often.map((o) => `${s.name}: ${o.where} ×${o.fires.length}`));
  const polling = seen.filter((s) => s.spawns.length > 0);
  return [
    {
      n: 1,
      measure: `idle memory: RSS after connect, discovery and ${windowS} s idle (mixer none, V8 flags ${flags}; median of 6 readings in the second half)`,
      value:
        `${mb(none.rss)} (+${mb(none.rss - bareRss)}), heap used ${mb(none.heapUsed / 2 ** 20)}; ` +
        `without the flags ${mb(defaultsRss)}; ${alsa.map((s) => `${s.name} ${mb(s.rss)}`).join(', ')}`,
      baseline: `bare node ${mb(bareRss)}`,
      ratio: none.rss / bareRss,
      target: `≤ +${RSS_TARGET_MB} MB over bare node`,
      met: none.rss - bareRss <= RSS_TARGET_MB,
    },
    {
      n: 5,
      measure: `idle CPU over ${windowS} s, child processes included; timers; child processes; MQTT messages`,
      value:
        `${seen.map((s) => `${s.name} ${s.cpu.toFixed(2)} s`).join(', ')}; ` +
        `timers firing more than once per ${TIMER_MIN_S} s: ${often.length ? often.join('; ') : 'none'}; ` +
        `child processes: ${seen.map((s) => `${s.name} ${s.spawns.length}`).join(', ')}; messages published: ${published}`,
      baseline: `bare node ${bareCpu.toFixed(2)} s`,
      ratio: bareCpu > 0 ? maxCpu / bareCpu : null,
      target: `≤ ${CPU_TARGET_S} s, no timer more than once per ${TIMER_MIN_S} s, no child process polling`,
      met: maxCpu <= CPU_TARGET_S && often.length === 0 && polling.length === 0,
    },
  ];
}
