// `npm run test:reliability`: runs the reliability tests (with --expose-gc, so memory is measured after a
// full collection) and prints the figures they recorded as one table. Exits non-zero when a test failed.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { REPORT_ENV, type Row } from './report.js';
import { table } from './table.js';

const here = dirname(fileURLToPath(import.meta.url));
const files = readdirSync(here).filter((f) => f.endsWith('.test.js')).sort().map((f) => join(here, f));
// node --test with no file would run every test it can find
if (files.length === 0) throw new Error(`no reliability tests next to ${here}`);
const dir = mkdtempSync(join(tmpdir(), 'l2m-reliability-'));
const report = join(dir, 'rows.jsonl');
// a young generation as small as the service's and the add-on's (their --lite-mode implies V8's
// optimize-for-size): node's default lets it grow to 16 MB per semi-space and keep that RSS
const run = spawnSync(process.execPath, ['--expose-gc', '--max-semi-space-size=1', '--test', '--test-concurrency=1', ...files], {
  stdio: 'inherit',
  env: { ...process.env, [REPORT_ENV]: report },
});
let rows: Row[] = [];
try {
  rows = readFileSync(report, 'utf8').trim().split('\n').filter(Boolean).map((l) => JSON.parse(l) as Row);
} catch {
  // no test recorded a figure: the table says so
}
rmSync(dir, { recursive: true, force: true });
process.stdout.write(`\n${table(rows)}\n`);
process.exitCode = run.status ?? 1;
