// The one table npm run bench prints: per row, the bridge's figure, the baseline measured in the
// same run, their ratio, and the target with whether it is met. Markdown, so README can show it as is.

export interface Row {
  /** the row number */
  n: number;
  measure: string;
  /** the bridge's figure, with units */
  value: string;
  baseline: string;
  /** value ÷ baseline; null where a ratio says nothing */
  ratio: number | null;
  target?: string;
  /** undefined: no target */
  met?: boolean;
}

export const quantile = (xs: number[], q: number): number => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(q * xs.length))]!;
export const median = (xs: number[]): number => quantile(xs, 0.5);
export const ms = (x: number): string => `${x < 10 ? x.toFixed(2) : x.toFixed(0)} ms`;
export const mb = (x: number): string => `${x.toFixed(1)} MB`;

export function table(rows: Row[]): string {
  const cells = [...rows].sort((a, b) => a.n - b.n).map((r) => [
    String(r.n),
    r.measure,
    r.value,
    r.baseline,
    r.ratio === null ? '—' : `${r.ratio.toFixed(2)}×`,
    r.target ?? '—',
    r.met === undefined ? '—' : r.met ? 'yes' : '**no**',
  ]);
  const head = ['#', 'measure', 'librespot2mqtt', 'baseline (same run)', 'ratio', 'target', 'met'];
  return [head, head.map(() => '---'), ...cells].map((c) => `| ${c.join(' | ')} |`).join('\n');
}
