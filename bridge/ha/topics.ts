// Every topic the bridge uses, in one place (the docs and ctl read them from here too).
import type { ResolvedConfig } from '../config/schema.js';

export type Topics = ReturnType<typeof topicsFor>;

/** Availability sources besides the bridge itself; entities list the ones they need. */
export const NEEDS = ['librespot', 'mixer'] as const;
export type Need = (typeof NEEDS)[number];

export function topicsFor(cfg: Pick<ResolvedConfig, 'mqtt' | 'device'>) {
  const root = cfg.mqtt.base_topic;
  const base = `${root}/${cfg.device.id}`;
  return {
    base,
    availability: `${base}/availability`,
    needs: { librespot: `${base}/librespot`, mixer: `${base}/mixer` } satisfies Record<Need, string>,
    state: `${base}/state`,
    info: `${base}/info`,
    /** ask for the state now: answered on the response topic, which proves the bridge alive */
    get: `${base}/get`,
    cover: `${base}/cover`,
    event: `${base}/event`,
    /** go-librespot's playback errors, one message each, not retained */
    error: `${base}/error`,
    set: `${base}/set`,
    response: `${base}/response`,
    /** every bridge on the broker listens here too (whole-house commands) */
    groupSet: `${root}/all/set`,
    discovery: `${cfg.mqtt.discovery_prefix}/device/librespot2mqtt_${cfg.device.id}/config`,
    haStatus: `${cfg.mqtt.discovery_prefix}/status`,
    /** the HACS media_player's own feeds and commands (homeassistant.media_player) */
    mediaPlayer: `${base}/media_player`,
    /** both HACS integrations subscribe to homeassistant/media_player/…, whatever discovery_prefix says */
    mediaPlayerDiscovery: `homeassistant/media_player/librespot2mqtt_${cfg.device.id}/config`,
  };
}
