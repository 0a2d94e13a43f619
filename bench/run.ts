// npm run bench: one table of the eight measures, each against a baseline measured in the
// same run, on the daemon as users run it (the bundle, the launcher's V8 flags). Numbers only:
// nothing here passes or fails a build. Takes a few minutes; knobs: BENCH_IDLE_S (60),
// BENCH_STARTUP_ROUNDS (10), BENCH_EVENTS (10000), BENCH_COMMANDS (200), BENCH_CTL_ROUNDS (10),
// BENCH_NODE_FLAGS (other V8 flags than the launcher's, to compare).
import { LibrespotEmulator } from '../bridge/emulator/emulator.js';
import { startRig } from '../test/helpers/alsa-rig.js';
import { startBroker } from '../test/helpers/broker.js';
import { ctlBench, CTL_BUNDLE } from './ctl.js';
import { launcherFlags } from './daemon.js';
import { eventRow } from './events.js';
import { footprintRow } from './footprint.js';
import { idleRows } from './idle.js';
import { mixerRows } from './mixer.js';
import { startupRow } from './startup.js';
import { ms, table, type Row } from './table.js';

const CTL_TARGET = 1.5;

// the rig is required: the mixer rows are half of what this measures
process.env.L2M_REQUIRE_ALSA ??= '1';
const rig = (await startRig())!;
const broker = await startBroker();
const emulator = await LibrespotEmulator.start();
const rows: Row[] = [];
const step = async (name: string, run: () => Promise<Row | Row[]>) => {
  const t0 = performance.now();
  process.stderr.write(`bench: ${name}…`);
  rows.push(...[await run()].flat());
  process.stderr.write(` ${((performance.now() - t0) / 1000).toFixed(0)} s\n`);
};
try {
  await step('footprint', footprintRow);
  await step('startup', () => startupRow(broker.url, emulator.url));
  await step('event latency', () => eventRow(broker.url, emulator));
  await step('mixer commands and bursts', () => mixerRows(broker.url, emulator.url, rig));
  await step('idle memory and CPU', () => idleRows(broker.url, emulator.url, rig));
  await step('ctl', async () => {
    const { medians, baseline, rounds, floorMs } = await ctlBench();
    const ratio = medians[CTL_BUNDLE]! / baseline;
    return {
      n: 8,
      measure: `ctl: one \`ctl volume N\` (bundle), median of ${rounds}`,
      value: `${ms(medians[CTL_BUNDLE]!)} (a bundled MQTT.js program doing only the command and its answer: ${ms(floorMs)})`,
      baseline: `node start-up + mosquitto_rr round trip ${ms(baseline)}`,
      ratio,
      target: `≤ ${CTL_TARGET}×`,
      met: ratio <= CTL_TARGET,
    };
  });
} finally {
  await emulator.close();
  await broker.close();
  await rig.stop();
}
console.log(`librespot2mqtt bench: node ${process.version}, ${process.arch}, V8 flags ${launcherFlags().join(' ') || 'none'}\n`);
console.log(table(rows));
