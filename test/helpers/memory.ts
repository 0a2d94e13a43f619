// Memory as the reliability suite measures it: after full garbage collections (node --expose-gc,
// which `npm run test:reliability` passes), so only what is still held counts.
import { setImmediate as tick } from 'node:timers/promises';

export interface Memory {
  rssMB: number;
  heapMB: number;
}

const MB = 1024 * 1024;

export async function settledMemory(): Promise<Memory> {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (!gc) throw new Error('memory is measured after GC: run with node --expose-gc (npm run test:reliability does)');
  // finalizers and weak callbacks run between collections: a few rounds reach what they free
  for (let i = 0; i < 4; i++) {
    gc();
    await tick();
  }
  const m = process.memoryUsage();
  return { rssMB: m.rss / MB, heapMB: m.heapUsed / MB };
}

export const grew = (before: Memory, after: Memory) => ({ rssMB: after.rssMB - before.rssMB, heapMB: after.heapMB - before.heapMB });
