// `librespot2mqtt ha dashboard`: a dashboard of core cards only that works like a media card
// (cover, title/artist, transport, volume, mute, max volume), for users without a custom card.
import type { ResolvedConfig } from '../../config/schema.js';
import { idsFor } from './ids.js';

/** a transport button: core button card pressing one of our button entities */
const transport = (entity: string, icon: string) => ({
  type: 'button',
  entity,
  icon,
  show_name: false,
  show_state: false,
  icon_height: '40px',
  tap_action: { action: 'perform-action', perform_action: 'button.press', target: { entity_id: entity } },
});

export function dashboard(cfg: Pick<ResolvedConfig, 'device'>): Record<string, unknown> {
  const id = idsFor(cfg);
  const title = id('title');
  const artist = id('artist');
  const album = id('album');
  return {
    title: cfg.device.name,
    views: [
      {
        title: cfg.device.name,
        path: 'speaker',
        icon: 'mdi:speaker',
        cards: [
          {
            type: 'vertical-stack',
            cards: [
              { type: 'picture-entity', entity: id('cover'), show_name: false, show_state: false, aspect_ratio: '1' },
              {
                type: 'markdown',
                // states() of an unavailable or empty sensor is a word, not a title: say it plainly
                content: [
                  `{% set t = states('${title}') %}`,
                  `{% if t in ['unavailable', 'unknown', 'None', ''] %}## Nothing playing`,
                  `{% else %}## {{ t }}`,
                  `{{ states('${artist}') }} · {{ states('${album}') }}{% endif %}`,
                ].join('\n'),
              },
              {
                type: 'horizontal-stack',
                cards: [
                  transport(id('previous'), 'mdi:skip-previous'),
                  transport(id('play'), 'mdi:play'),
                  transport(id('pause'), 'mdi:pause'),
                  transport(id('next'), 'mdi:skip-next'),
                ],
              },
              {
                type: 'entities',
                entities: [
                  { entity: id('volume'), name: 'Volume' },
                  { entity: id('mute'), name: 'Mute' },
                  { entity: id('max_volume'), name: 'Max volume' },
                  { entity: id('shuffle'), name: 'Shuffle' },
                  { entity: id('repeat'), name: 'Repeat' },
                  { entity: id('playback'), name: 'Playback' },
                ],
              },
            ],
          },
        ],
      },
    ],
  };
}
