// Markdown tables for the reliability figures, one per section; README "Reliability" shows this output.
import type { Row } from './report.js';

type Section = Row['section'];
const COLUMNS: { [S in Section]: { title: string; cols: [string, (r: Extract<Row, { section: S }>) => string][] } } = {
  fault: {
    title: 'Faults',
    cols: [
      ['fault', (r) => r.fault],
      ['repetitions', (r) => String(r.repetitions)],
      ['worst recovery', (r) => `${r.worstRecoveryMs} ms`],
      ['messages lost', (r) => String(r.messagesLost)],
    ],
  },
  input: {
    title: 'Bad input',
    cols: [
      ['family', (r) => r.family],
      ['inputs tried', (r) => String(r.tried)],
      ['refused cleanly', (r) => String(r.refused)],
      ['memory before → after GC', (r) => `${r.memBeforeMB.toFixed(1)} → ${r.memAfterMB.toFixed(1)} MB`],
    ],
  },
  security: {
    title: 'Security',
    cols: [
      ['check', (r) => r.check],
      ['result', (r) => r.result],
    ],
  },
  soak: {
    title: 'Soak',
    cols: [
      ['what', (r) => r.what],
      ['count', (r) => String(r.count)],
      ['RSS growth', (r) => `${r.rssGrowthMB.toFixed(2)} MB`],
      ['heap growth after GC', (r) => `${r.heapGrowthMB.toFixed(2)} MB`],
      ['listeners / timers', (r) => r.leaks],
    ],
  },
};

function section<S extends Section>(s: S, rows: Row[]): string {
  const mine = rows.filter((r): r is Extract<Row, { section: S }> => r.section === s);
  if (mine.length === 0) return '';
  const { title, cols } = COLUMNS[s];
  const head = `| ${cols.map(([c]) => c).join(' | ')} |\n|${cols.map(() => '---').join('|')}|`;
  const body = mine.map((r) => `| ${cols.map(([, f]) => f(r)).join(' | ')} |`).join('\n');
  return `### ${title}\n\n${head}\n${body}\n`;
}

export function table(rows: Row[]): string {
  if (rows.length === 0) return 'no figures were recorded';
  return (['fault', 'input', 'security', 'soak'] as const).map((s) => section(s, rows)).filter(Boolean).join('\n');
}
