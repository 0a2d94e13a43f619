// `librespot2mqtt ha dashboard|media-player` and `librespot2mqtt doctor`: the Home Assistant side
// of the command line, loaded only when asked for.
import type { ResolvedConfig } from '../config/schema.js';

export interface HaCommandOptions {
  haUrl?: string;
  env: NodeJS.ProcessEnv;
  print(text: string, code: number): number;
}

export async function haCommand(what: string | undefined, cfg: ResolvedConfig, o: HaCommandOptions): Promise<number> {
  if (what === 'doctor') {
    const { doctor, formatReport } = await import('./doctor/doctor.js');
    const { SUPERVISOR_CORE } = await import('./doctor/connect.js');
    // inside the add-on the Supervisor proxies Home Assistant and hands us its token
    // HASS_SERVER and HASS_TOKEN: the names home-assistant-cli (hass-cli) uses
    const supervisor = o.env.SUPERVISOR_TOKEN && !o.haUrl;
    const url = supervisor ? SUPERVISOR_CORE : (o.haUrl ?? o.env.HASS_SERVER ?? 'http://homeassistant.local:8123');
    const token = supervisor ? o.env.SUPERVISOR_TOKEN! : o.env.HASS_TOKEN;
    if (!token) return o.print('librespot2mqtt doctor: set HASS_TOKEN to a long-lived access token (your Home Assistant profile → Security)', 2);
    const report = await doctor(cfg, { url, token });
    return o.print(formatReport(report), report.ok ? 0 : 1);
  }
  const { haYaml, isHaYaml, HA_YAML } = await import('./yaml/print.js');
  if (!isHaYaml(what)) return o.print(`librespot2mqtt ha: say what to print: ${Object.keys(HA_YAML).join(', ')}`, 2);
  return o.print(haYaml(what, cfg).trimEnd(), 0);
}
