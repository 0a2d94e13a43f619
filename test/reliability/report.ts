// The reliability suite's figures: each test records rows, run.ts prints them as one table.
// Rows go to a JSON-lines file named by the runner because node --test runs each file in its own process.
import { appendFileSync } from 'node:fs';

export type Row =
  | { section: 'fault'; fault: string; repetitions: number; worstRecoveryMs: number; messagesLost: number }
  | { section: 'input'; family: string; tried: number; refused: number; memBeforeMB: number; memAfterMB: number }
  | { section: 'security'; check: string; result: string }
  | { section: 'soak'; what: string; count: number; rssGrowthMB: number; heapGrowthMB: number; leaks: string };

export const REPORT_ENV = 'L2M_RELIABILITY_REPORT';

export function record(row: Row): void {
  const file = process.env[REPORT_ENV];
  if (file) appendFileSync(file, `${JSON.stringify(row)}\n`);
}
