// Every control as one Home Assistant core service call: the card never publishes MQTT itself.
import type { Key } from './keys.js';
import type { View } from './view.js';

export type Control = 'play_pause' | 'previous' | 'next' | 'shuffle' | 'repeat' | 'mute' | 'volume';
export interface ServiceCall {
  domain: string;
  service: string;
  data: Record<string, unknown>;
}

const REPEAT_ORDER = ['off', 'context', 'track'];

export function callFor(
  control: Control,
  v: View,
  entityId: (key: Key) => string | undefined,
  repeatOptions: unknown,
  volume?: number,
): ServiceCall | null {
  const on = (key: Key, domain: string, service: string, data: Record<string, unknown> = {}) => {
    const entity_id = entityId(key);
    return entity_id ? { domain, service, data: { entity_id, ...data } } : null;
  };
  switch (control) {
    case 'play_pause':
      return on(v.playing ? 'pause' : 'play', 'button', 'press');
    case 'previous':
    case 'next':
      return on(control, 'button', 'press');
    case 'shuffle':
      return on('shuffle', 'switch', v.shuffle ? 'turn_off' : 'turn_on');
    case 'mute':
      return on('mute', 'switch', v.muted ? 'turn_off' : 'turn_on');
    case 'repeat': {
      const options = Array.isArray(repeatOptions) && repeatOptions.length ? (repeatOptions as string[]) : REPEAT_ORDER;
      const option = options[(options.indexOf(v.repeat) + 1) % options.length];
      return on('repeat', 'select', 'select_option', { option });
    }
    case 'volume':
      return volume === undefined ? null : on('volume', 'number', 'set_value', { value: volume });
  }
}
