// `librespot2mqtt ha <what>`: YAML for Home Assistant, built for this config's device.
import { stringify } from 'yaml';
import type { ResolvedConfig } from '../../config/schema.js';
import { dashboard } from './dashboard.js';
import { universalMediaPlayer } from './media-player.js';

export const HA_YAML = {
  dashboard: {
    doc: 'a dashboard of core cards that works like a media card (Dashboards → ⋮ → Raw configuration editor)',
    make: dashboard,
  },
  'media-player': {
    doc: 'a core universal media_player for configuration.yaml (state, transport, volume, mute)',
    make: universalMediaPlayer,
  },
} as const;

export type HaYaml = keyof typeof HA_YAML;
export const isHaYaml = (s: string | undefined): s is HaYaml => s !== undefined && Object.hasOwn(HA_YAML, s);

export function haYaml(what: HaYaml, cfg: Pick<ResolvedConfig, 'device'>): string {
  const header = `# librespot2mqtt ha ${what}: ${HA_YAML[what].doc}\n# device "${cfg.device.name}" (device.id ${cfg.device.id})\n`;
  // lineWidth 0: templates stay on the lines we wrote them on
  return header + stringify(HA_YAML[what].make(cfg), { lineWidth: 0 });
}
