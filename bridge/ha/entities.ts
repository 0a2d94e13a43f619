// The Home Assistant entities, as data. `key` is part of each entity's unique_id and of HA's
// discovery identity: never rename one. Adding an entity is adding a row.
import { PLAYBACK_ERROR_KINDS } from '../librespot/errors.js';
import { PLAYBACK, REPEAT } from '../state/state.js';
import type { Need, Topics } from './topics.js';

export type Platform = 'sensor' | 'binary_sensor' | 'button' | 'switch' | 'select' | 'text' | 'number' | 'image' | 'event';

export interface EntityDef {
  key: string;
  platform: Platform;
  name: string;
  /** availability sources besides the bridge's own */
  needs: Need[];
  doc: string;
  /** the platform's discovery keys (full names; HA accepts them as well as the abbreviations) */
  config(t: Topics): Record<string, unknown>;
}

const state = (t: Topics, template: string) => ({ state_topic: t.state, value_template: template });
const onOff = (condition: string) => `{{ 'ON' if ${condition} else 'OFF' }}`;
/** track details as attributes: the state itself must stay under HA's 255 characters */
const trackAttributes = (t: Topics) => ({
  json_attributes_topic: t.state,
  json_attributes_template:
    "{{ dict(value_json.track or {}, context_uri=value_json.context_uri, position_ms=value_json.position_ms, position_updated_at=value_json.position_updated_at) | tojson }}",
});
/** a 0-100 % slider that reads `field` from the state and writes <set>/<field> */
const percentSlider = (t: Topics, field: string) => ({
  ...state(t, `{{ value_json.${field} }}`),
  command_topic: `${t.set}/${field}`,
  min: 0,
  max: 100,
  step: 1,
  mode: 'slider',
  unit_of_measurement: '%',
});
/** A sensor for an object of the state that is often null (then the sensor is unknown): one of its
 * fields as the state, the whole object as attributes. */
const optionalSensor = (o: { key: string; name: string; field: string; shown: string; doc: string; icon: string; diagnostic?: boolean }): EntityDef => ({
  key: o.key,
  platform: 'sensor',
  name: o.name,
  needs: ['librespot'],
  doc: o.doc,
  config: (t) => ({
    ...state(t, `{{ value_json.${o.field}.${o.shown}[:255] if value_json.${o.field} else 'None' }}`),
    json_attributes_topic: t.state,
    json_attributes_template: `{{ (value_json.${o.field} or {}) | tojson }}`,
    icon: o.icon,
    ...(o.diagnostic ? { entity_category: 'diagnostic' } : {}),
  }),
});
const button = (key: string, name: string, action: string, icon: string): EntityDef => ({
  key,
  platform: 'button',
  name,
  needs: ['librespot'],
  doc: `Sends action ${action}.`,
  config: (t) => ({ command_topic: `${t.set}/action`, payload_press: action, icon }),
});

export const ENTITIES: EntityDef[] = [
  {
    key: 'playback',
    platform: 'sensor',
    name: 'Playback',
    needs: ['librespot'],
    doc: `${PLAYBACK.join(', ')} (off: no Spotify session)`,
    config: (t) => ({ ...state(t, '{{ value_json.playback }}'), device_class: 'enum', options: [...PLAYBACK], icon: 'mdi:spotify' }),
  },
  ...(['title', 'artist', 'album'] as const).map(
    (field): EntityDef => ({
      key: field,
      platform: 'sensor',
      name: field[0]!.toUpperCase() + field.slice(1),
      needs: ['librespot'],
      doc: `Current ${field} (cut to 255 characters; the full track is in the attributes)`,
      config: (t) => ({
        ...state(t, `{{ value_json.${field} if value_json.${field} else 'None' }}`),
        ...trackAttributes(t),
        icon: { title: 'mdi:music', artist: 'mdi:account-music', album: 'mdi:album' }[field],
      }),
    }),
  ),
  {
    key: 'cover',
    platform: 'image',
    name: 'Cover',
    needs: ['librespot'],
    doc: 'Album cover of the current track (a URL that Home Assistant downloads)',
    config: (t) => ({ url_topic: t.cover }),
  },
  {
    key: 'playing',
    platform: 'binary_sensor',
    name: 'Playing',
    // off, not unavailable, while go-librespot is unreachable: an "off for 10 minutes" automation must fire
    needs: [],
    doc:
      'On while a Spotify session plays: steady across track changes, seeks and buffering; off on pause, stop, ' +
      'end of the playlist, end of the session, a playback error and while go-librespot is unreachable. ' +
      'Switch the amplifier with it',
    config: (t) => ({ ...state(t, onOff("value_json.playback == 'playing'")), device_class: 'running', icon: 'mdi:speaker-play' }),
  },
  {
    key: 'session',
    platform: 'binary_sensor',
    name: 'Spotify session',
    needs: ['librespot'],
    doc: 'On while a Spotify client is connected to the speaker',
    config: (t) => ({ ...state(t, onOff('value_json.session')), device_class: 'connectivity' }),
  },
  {
    key: 'librespot',
    platform: 'binary_sensor',
    name: 'go-librespot',
    needs: [],
    doc: "On while the bridge reaches go-librespot's API",
    config: (t) => ({
      state_topic: t.needs.librespot,
      payload_on: 'online',
      payload_off: 'offline',
      device_class: 'connectivity',
      entity_category: 'diagnostic',
    }),
  },
  button('play', 'Play', 'play', 'mdi:play'),
  button('pause', 'Pause', 'pause', 'mdi:pause'),
  button('next', 'Next', 'next', 'mdi:skip-next'),
  button('previous', 'Previous', 'previous', 'mdi:skip-previous'),
  {
    key: 'shuffle',
    platform: 'switch',
    name: 'Shuffle',
    needs: ['librespot'],
    doc: 'Shuffle the current context',
    config: (t) => ({ ...state(t, onOff('value_json.shuffle')), command_topic: `${t.set}/shuffle`, icon: 'mdi:shuffle-variant' }),
  },
  {
    key: 'repeat',
    platform: 'select',
    name: 'Repeat',
    needs: ['librespot'],
    doc: REPEAT.join(', '),
    config: (t) => ({ ...state(t, '{{ value_json.repeat }}'), command_topic: `${t.set}/repeat`, options: [...REPEAT], icon: 'mdi:repeat' }),
  },
  {
    key: 'play_uri',
    platform: 'text',
    name: 'Play URI',
    needs: ['librespot'],
    doc: 'Write a Spotify URI (spotify:playlist:…) to play it; shows the current context',
    config: (t) => ({ ...state(t, "{{ value_json.context_uri or '' }}"), command_topic: `${t.set}/play_uri`, max: 255, icon: 'mdi:playlist-music' }),
  },
  {
    key: 'volume',
    platform: 'number',
    name: 'Volume',
    needs: ['mixer'],
    doc: 'The speaker volume in % (the ALSA mixer: what the room hears); raw and dB values in the attributes',
    config: (t) => ({
      ...percentSlider(t, 'volume'),
      icon: 'mdi:volume-high',
      json_attributes_topic: t.state,
      // volume_level (0..1) is what a universal media_player's attributes can read
      json_attributes_template:
        "{{ dict(value_json.mixer_detail or {}, volume_level=(value_json.volume / 100) if value_json.volume is number else none) | tojson }}",
    }),
  },
  {
    key: 'mute',
    platform: 'switch',
    name: 'Mute',
    needs: ['mixer'],
    doc: 'Mute; without a mute switch (HifiBerry AMP) the level goes to 0 and comes back on unmute',
    config: (t) => ({ ...state(t, onOff('value_json.muted')), command_topic: `${t.set}/mute`, icon: 'mdi:volume-off' }),
  },
  {
    key: 'max_volume',
    platform: 'number',
    name: 'Max volume',
    needs: [],
    doc: 'The cap in %: nothing can turn the speaker up beyond it (night mode = an automation lowering it)',
    config: (t) => ({ ...percentSlider(t, 'max_volume'), entity_category: 'config', icon: 'mdi:volume-equal' }),
  },
  {
    key: 'spotify_volume',
    platform: 'sensor',
    name: 'Spotify volume',
    needs: ['librespot'],
    doc: "go-librespot's own volume in % (the Spotify app's slider), for checking the sync",
    config: (t) => ({
      ...state(t, '{{ value_json.spotify_volume }}'),
      unit_of_measurement: '%',
      entity_category: 'diagnostic',
      icon: 'mdi:spotify',
    }),
  },
  {
    key: 'track_changed',
    platform: 'event',
    name: 'Track change',
    needs: ['librespot'],
    doc: 'Fires track_changed with title, artist, album and uri',
    config: (t) => ({ state_topic: t.event, event_types: ['track_changed'], icon: 'mdi:music-note' }),
  },
  {
    key: 'playing_from',
    platform: 'sensor',
    name: 'Playing from',
    needs: ['librespot'],
    doc: 'The playlist, album or show being played (go-librespot v0.10; unknown before); its URI in the attributes',
    config: (t) => ({
      ...state(t, "{{ value_json.context_name[:255] if value_json.context_name else 'None' }}"),
      json_attributes_topic: t.state,
      json_attributes_template: '{{ dict(context_uri=value_json.context_uri) | tojson }}',
      icon: 'mdi:playlist-music',
    }),
  },
  optionalSensor({
    key: 'up_next',
    name: 'Up next',
    field: 'next_track',
    shown: 'name',
    doc: "The next track's title (go-librespot v0.10 with `metadata.enabled: true`; unknown otherwise); the track in the attributes",
    icon: 'mdi:skip-next-circle-outline',
  }),
  {
    key: 'playback_error',
    platform: 'event',
    name: 'Playback error',
    needs: ['librespot'],
    doc: `Fires when go-librespot (v0.10) cannot play; the event type is the kind: ${PLAYBACK_ERROR_KINDS.join(', ')}`,
    config: (t) => ({ state_topic: t.error, event_types: [...PLAYBACK_ERROR_KINDS], icon: 'mdi:alert-circle-outline' }),
  },
  optionalSensor({
    key: 'last_error',
    name: 'Last error',
    field: 'last_error',
    shown: 'summary',
    doc: 'The last playback error in plain words, until a track plays again; what to try and the details in the attributes',
    icon: 'mdi:alert-circle-outline',
    diagnostic: true,
  }),
  optionalSensor({
    key: 'pairing',
    name: 'Pairing',
    field: 'pairing',
    shown: 'code',
    doc:
      'The code to pair the speaker while go-librespot (v0.10, `credentials.type: device_auth`) waits for a login; ' +
      'the URL to open and the expiry in the attributes; unknown otherwise',
    icon: 'mdi:link-variant',
  }),
];
