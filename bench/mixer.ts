// Rows 4 and 6, per mixer backend on the ALSA rig (the simulated HifiBerry AMP2): an MQTT volume
// command → the value changed on the rig, against one `amixer cset` from a shell; then 1,000
// volume commands in one second → how many writes reached the mixer, and whether the last one won.
import { watch, readFileSync } from 'node:fs';
import { join } from 'node:path';
import mqtt from 'mqtt';
import { parseCget } from '../bridge/mixer/amixer.js';
import { makeScale, rawForPercent } from '../bridge/mixer/scale.js';
import type { Rig } from '../test/helpers/alsa-rig.js';
import { Watcher } from '../test/helpers/mqtt.js';
import { sleep } from '../test/helpers/setup.js';
import { mixerBackends, onRig } from './backends.js';
import { startDaemon } from './daemon.js';
import { ms, quantile, type Row } from './table.js';

const CONTROL = 'Digital Playback Volume';
const BURST = 1000;
const FINAL = 37;

/** The rig's amp2 state file, watched: every write the plugin makes renames a new file in. */
function watchRig(rig: Rig) {
  const file = join(rig.dir, 'state', 'amp2');
  const raw = () => Number(/^0 (\d+)/m.exec(readFileSync(file, 'utf8'))?.[1]);
  let writes = 0;
  let waiter: (() => void) | undefined;
  const watcher = watch(join(rig.dir, 'state'), (_e, name) => {
    if (name !== 'amp2') return;
    writes++;
    waiter?.();
  });
  return {
    raw,
    get writes() {
      return writes;
    },
    /** when the raw value is `want` (ms timestamp) */
    until(want: number, timeoutMs = 10_000): Promise<number> {
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`the rig did not reach ${want} (it is at ${raw()})`)), timeoutMs);
        waiter = () => {
          if (raw() !== want) return;
          clearTimeout(timer);
          waiter = undefined;
          resolve(performance.now());
        };
        waiter();
      });
    },
    close: () => watcher.close(),
  };
}

export async function mixerRows(brokerUrl: string, librespotUrl: string, rig: Rig): Promise<Row[]> {
  const n = Number(process.env.BENCH_COMMANDS ?? 200);
  const element = parseCget(CONTROL, await rig.amixer(['-D', 'amp2', 'cget', `name='${CONTROL}'`]));
  const scale = makeScale(element.min, element.max, element.db);
  // the shell writes values no command asks for, so that every step changes the value
  const raws = [100, 120];
  const rows: Row[] = [];
  for (const backend of mixerBackends()) {
    await rig.reset();
    const r = watchRig(rig);
    const d = await startDaemon({ brokerUrl, librespotUrl, ...onRig(rig, backend), probe: false });
    const w = await Watcher.connect(brokerUrl, [`${d.base}/mixer`]);
    await w.wait(`${d.base}/mixer`, (m) => m.text === 'online', 30_000).finally(() => w.close());
    const c = await mqtt.connectAsync(brokerUrl);
    (c.stream as { setNoDelay?: (on: boolean) => void }).setNoDelay?.(true);
    try {
      const command: number[] = [];
      const shell: number[] = [];
      for (let i = 0; i < n; i++) {
        const percent = i % 2 ? 30 : 60;
        const t0 = performance.now();
        c.publish(`${d.base}/set/volume`, String(percent), { qos: 1 });
        command.push((await r.until(rawForPercent(scale, percent))) - t0);

        const raw = raws[i % 2]!;
        const t1 = performance.now();
        void rig.amixer(['-q', '-D', 'amp2', 'cset', `name='${CONTROL}'`, String(raw)]);
        shell.push((await r.until(raw)) - t1);
      }
      const p99 = (xs: number[]) => quantile(xs, 0.99);
      rows.push({
        n: 4,
        measure: `command latency (mixer ${backend}): MQTT volume command → value changed on the ALSA rig, p50 / p99 of ${n}`,
        value: `${ms(quantile(command, 0.5))} / ${ms(p99(command))}`,
        baseline: `amixer cset from a shell ${ms(quantile(shell, 0.5))} / ${ms(p99(shell))}`,
        ratio: p99(command) / p99(shell),
      });

      await sleep(500);
      const before = r.writes;
      // 10 commands every 10 ms: 1,000 in one second, the last one FINAL
      for (let i = 0; i < BURST; i++) {
        c.publish(`${d.base}/set/volume`, String(i === BURST - 1 ? FINAL : (i * 37) % 101), { qos: 0 });
        if (i % 10 === 9) await sleep(10);
      }
      const want = rawForPercent(scale, FINAL);
      let exact = await r.until(want, 30_000).then(() => true, () => false);
      // nothing written after it: the last command wins
      await sleep(1000);
      exact &&= r.raw() === want;
      const writes = r.writes - before;
      rows.push({
        n: 6,
        measure: `bursts (mixer ${backend}): ${BURST} volume commands in one second → writes to the mixer; the final value`,
        value: `${writes} writes; final ${exact ? `exact (${FINAL} % = raw ${want})` : `WRONG: raw ${r.raw()}, wanted ${want}`}`,
        baseline: `${BURST} commands`,
        ratio: writes / BURST,
        target: 'coalesced (< 1×), final value exact',
        met: writes < BURST && exact,
      });
    } finally {
      await c.endAsync();
      await d.stop();
      r.close();
    }
  }
  return rows;
}
