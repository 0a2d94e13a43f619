// The bridge's entities this card reads or drives: the key is the end of the entity's unique_id
// (librespot2mqtt_<device id>_<key>, bridge/ha/discovery.ts), the domain is its HA platform.
// test/card.test.ts holds this table against bridge/ha/entities.ts.
export const CARD_ENTITIES = {
  playback: 'sensor',
  title: 'sensor',
  artist: 'sensor',
  album: 'sensor',
  cover: 'image',
  playing_from: 'sensor',
  librespot: 'binary_sensor',
  play: 'button',
  pause: 'button',
  next: 'button',
  previous: 'button',
  shuffle: 'switch',
  repeat: 'select',
  volume: 'number',
  mute: 'switch',
  max_volume: 'number',
  last_error: 'sensor',
  pairing: 'sensor',
} as const;

export type Key = keyof typeof CARD_ENTITIES;
export const KEYS = Object.keys(CARD_ENTITIES) as Key[];

/** The device registry identifier the bridge publishes (bridge/ha/discovery.ts): ["mqtt", "librespot2mqtt_<id>"]. */
export const DEVICE_PREFIX = 'librespot2mqtt_';
