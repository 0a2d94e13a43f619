// Row 3: a go-librespot event (the emulator toggles shuffle) → the bridge's state message at a
// subscriber, against the broker's own publish → receive round trip, one of each in turn.
import mqtt from 'mqtt';
import type { LibrespotEmulator } from '../bridge/emulator/emulator.js';
import { sleep } from '../test/helpers/setup.js';
import { rss, startDaemon } from './daemon.js';
import { mb, ms, quantile, type Row } from './table.js';

const TARGET = 3;

export async function eventRow(brokerUrl: string, emulator: LibrespotEmulator): Promise<Row> {
  const n = Number(process.env.BENCH_EVENTS ?? 10_000);
  const d = await startDaemon({ brokerUrl, librespotUrl: emulator.url, probe: false });
  const c = await mqtt.connectAsync(brokerUrl);
  (c.stream as { setNoDelay?: (on: boolean) => void }).setNoDelay?.(true);
  const echo = `bench/echo/${process.pid}`;
  const state = `${d.base}/state`;
  let waiting: ((topic: string, text: string) => void) | undefined;
  let retained: string | undefined;
  c.on('message', (topic, payload) => {
    if (topic === state) retained ??= payload.toString();
    waiting?.(topic, payload.toString());
  });
  await c.subscribeAsync([state, echo], { qos: 1 });
  const until = (match: (topic: string, text: string) => boolean) =>
    new Promise<number>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('no answer within 5 s')), 5000);
      waiting = (topic, text) => {
        if (!match(topic, text)) return;
        clearTimeout(timer);
        waiting = undefined;
        resolve(performance.now());
      };
    });
  const event: number[] = [];
  const broker: number[] = [];
  let peak = 0;
  try {
    for (let i = 0; retained === undefined && i < 500; i++) await sleep(10);
    let shuffle = (JSON.parse(retained!) as { shuffle: boolean }).shuffle;
    for (let i = 0; i < n; i++) {
      shuffle = !shuffle;
      const want = shuffle;
      const seen = until((t, text) => t === state && (JSON.parse(text) as { shuffle: boolean }).shuffle === want);
      const t0 = performance.now();
      emulator.appSetShuffle(want);
      event.push((await seen) - t0);

      const got = until((t, text) => t === echo && text === String(i));
      const t1 = performance.now();
      c.publish(echo, String(i), { qos: 1 });
      broker.push((await got) - t1);
    }
    peak = rss(d.pid).peak;
  } finally {
    await c.endAsync();
    await d.stop();
  }
  const ratio = quantile(event, 0.99) / quantile(broker, 0.99);
  return {
    n: 3,
    measure: `event latency: go-librespot event → state at a subscriber, p50 / p99 of ${n}`,
    value: `${ms(quantile(event, 0.5))} / ${ms(quantile(event, 0.99))} (the daemon's peak RSS ${mb(peak)})`,
    baseline: `broker round trip ${ms(quantile(broker, 0.5))} / ${ms(quantile(broker, 0.99))}`,
    ratio,
    target: `p99 ≤ ${TARGET}×`,
    met: ratio <= TARGET,
  };
}
