// What the bridge says about itself on <base>/<id>/info (retained), like Zigbee2MQTT's bridge/info:
// enough for `ctl list`, a bug report or a glance with mosquitto_sub, and never a secret.
import { z } from 'zod';
import { MIXER_BACKENDS, type ResolvedConfig } from '../config/schema.js';
import type { PlayerState } from '../state/state.js';
import { VERSION } from '../version.js';
import { maskUrls } from '../mask-url.js';

export const BridgeInfo = z.object({
  version: z.string().describe('librespot2mqtt version'),
  device: z.object({ id: z.string(), name: z.string() }).describe('device.id and device.name'),
  mixer: z
    .object({ backend: z.enum(MIXER_BACKENDS), device: z.string().nullable(), control: z.string().nullable() })
    .describe('the volume control in use (mixer.backend): with ALSA, the ALSA device and the control found (null until found)'),
  librespot: z.object({ url: z.string(), reachable: z.boolean() }).describe("go-librespot's API URL (credentials masked) and whether the bridge reaches it"),
  log_level: z.string().describe('the log level in force'),
  started_at: z.string().describe('when this bridge process started (ISO 8601)'),
});
export type BridgeInfo = z.infer<typeof BridgeInfo>;

export function infoPayload(cfg: ResolvedConfig, s: Readonly<PlayerState>, logLevel: string, startedAt: Date): BridgeInfo {
  const alsa = cfg.mixer.backend !== 'none';
  return {
    version: VERSION,
    device: { id: cfg.device.id, name: cfg.device.name },
    mixer: {
      backend: cfg.mixer.backend,
      device: alsa ? (s.mixer_detail?.device ?? cfg.mixer.device) : null,
      control: alsa ? (s.mixer_detail?.control ?? cfg.mixer.control ?? null) : null,
    },
    librespot: { url: maskUrls(cfg.librespot.url), reachable: s.librespot },
    log_level: logLevel,
    started_at: startedAt.toISOString(),
  };
}
