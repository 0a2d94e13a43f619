// `librespot2mqtt doctor`: asks Home Assistant whether the speaker arrived the way it should and
// prints a checklist with the fix for each failure. Exit 0 only when every check passes.
import type { ResolvedConfig } from '../../config/schema.js';
import { maskUrls } from '../../mask-url.js';
import { connectHa, HaConnectError, type HaTarget } from './connect.js';
import { gatherFacts } from './facts.js';
import { runChecks, type Result } from './checks.js';

export interface DoctorReport {
  ok: boolean;
  results: Result[];
}

export async function doctor(cfg: Pick<ResolvedConfig, 'device' | 'mqtt' | 'homeassistant'>, target: HaTarget): Promise<DoctorReport> {
  const reach = `Home Assistant at ${maskUrls(target.url)} answers and accepts the token`;
  let conn;
  try {
    conn = await connectHa(target);
  } catch (err) {
    const e = err instanceof HaConnectError ? err : new HaConnectError(String(err), 'check --ha-url');
    return { ok: false, results: [{ ok: false, title: reach, detail: e.message, fix: e.fix }] };
  }
  try {
    const facts = await gatherFacts(conn);
    const results = [{ ok: true, title: `${reach} (version ${facts.version})` }, ...runChecks(cfg, facts)];
    return { ok: results.every((r) => r.ok), results };
  } catch (err) {
    return { ok: false, results: [{ ok: true, title: reach }, { ok: false, title: 'Home Assistant answers the doctor\'s questions', detail: (err as Error).message, fix: 'an administrator\'s token is needed to read the registries' }] };
  } finally {
    conn.close();
  }
}

export function formatReport(r: DoctorReport): string {
  const lines = r.results.flatMap((x) => [
    `${x.ok ? '✓' : '✗'} ${x.title}`,
    ...(x.detail ? [`    ${x.detail}`] : []),
    ...(!x.ok && x.fix ? [`    fix: ${x.fix}`] : []),
  ]);
  const failed = r.results.filter((x) => !x.ok).length;
  return [...lines, failed ? `${failed} of ${r.results.length} checks failed` : `all ${r.results.length} checks passed`].join('\n');
}
