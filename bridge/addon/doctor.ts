// Inside the add-on, once the bridge runs: the doctor's checklist through the Supervisor's proxy to
// Home Assistant, in the add-on's log, so a missing entity or card shows where the user looks first.
import type { ResolvedConfig } from '../config/schema.js';
import type { Logger } from '../log.js';

/** Home Assistant needs a moment to take in the discovery the bridge just published. */
export const DOCTOR_DELAY_MS = 30_000;

export function doctorAfterStart(cfg: ResolvedConfig, supervisorUrl: string, token: string | undefined, log: Logger, delayMs: number, signal: AbortSignal): void {
  if (!token) return log.info('no Supervisor token: the Home Assistant check (doctor) is skipped');
  const timer = setTimeout(async () => {
    const { doctor } = await import('../ha/doctor/doctor.js');
    const report = await doctor(cfg, { url: `${supervisorUrl}/core`, token });
    if (signal.aborted) return;
    for (const r of report.results) {
      const line = [r.title, r.detail, !r.ok && r.fix && `fix: ${r.fix}`].filter(Boolean).join(' — ');
      if (r.ok) log.info(`✓ ${line}`);
      else log.warn(`✗ ${line}`);
    }
    const failed = report.results.filter((r) => !r.ok).length;
    log.info(failed ? `Home Assistant check: ${failed} of ${report.results.length} failed (run it again with: librespot2mqtt doctor)` : `Home Assistant check: all ${report.results.length} passed`);
  }, delayMs);
  signal.addEventListener('abort', () => clearTimeout(timer));
}
