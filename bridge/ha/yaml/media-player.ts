// `librespot2mqtt ha media-player`: a core `universal` media player over our entities. It gives the
// media control card state, transport and volume; title and artwork only come from a child
// media_player (HA's universal player reads them from the active child, never from attributes).
// Shuffle and repeat stay on their own entities: the universal player's attributes are plain
// lookups, and our repeat select (off/context/track) does not speak its off/all/one.
import type { ResolvedConfig } from '../../config/schema.js';
import { idsFor } from './ids.js';

export function universalMediaPlayer(cfg: Pick<ResolvedConfig, 'device'>, children: string[] = []): Record<string, unknown> {
  const id = idsFor(cfg);
  const press = (key: string) => ({ action: 'button.press', target: { entity_id: id(key) } });
  return {
    media_player: [
      {
        platform: 'universal',
        name: cfg.device.name,
        unique_id: `librespot2mqtt_${cfg.device.id}_universal`,
        device_class: 'speaker',
        ...(children.length ? { children } : {}),
        state_template: [
          `{% set s = states('${id('playback')}') %}`,
          "{{ s if s in ['playing', 'paused', 'buffering', 'idle'] else 'off' }}",
        ].join('\n'),
        commands: {
          media_play: press('play'),
          media_pause: press('pause'),
          media_next_track: press('next'),
          media_previous_track: press('previous'),
          volume_set: {
            action: 'number.set_value',
            target: { entity_id: id('volume') },
            data: { value: '{{ (volume_level * 100) | round(0) }}' },
          },
          volume_mute: { action: "switch.turn_{{ 'on' if is_volume_muted else 'off' }}", target: { entity_id: id('mute') } },
        },
        attributes: {
          is_volume_muted: id('mute'),
          volume_level: `${id('volume')}|volume_level`,
        },
      },
    ],
  };
}
