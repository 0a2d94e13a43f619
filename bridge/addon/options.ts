// The add-on's options (flat keys in /data/options.json, edited in the add-on's Configuration tab)
// and the bridge config keys they stand for. One table makes config.yaml's options and schema,
// translations/en.yaml, and the conversion in both directions; the Supervisor's type of each option
// is derived from the bridge's zod schema, so a range or a choice is written once.
import { z } from 'zod';
import { ConfigSchema, type ConfigInput } from '../config/schema.js';
import { setPath, unwrap } from '../config/env.js';

export type OptionValue = string | number | boolean;
/** what a config file would hold */
export type ConfigFragment = NonNullable<ConfigInput>;
export type AddonOptions = Record<string, OptionValue>;

export interface AddonOption {
  /** the key in /data/options.json */
  key: string;
  /** the bridge config key it sets */
  path: string[];
  /** shown in the Configuration tab (translations/en.yaml) */
  name: string;
  description: string;
  /** a default makes the option required in the Supervisor's eyes; without one it is optional */
  default?: OptionValue;
  /** the Supervisor's type when the zod type says too little: url, password */
  type?: 'url' | 'password';
  /** required without a default: the add-on cannot guess it */
  required?: true;
}

export const ADDON_OPTIONS: readonly AddonOption[] = [
  {
    key: 'librespot_url',
    path: ['librespot', 'url'],
    type: 'url',
    required: true,
    name: 'go-librespot URL',
    description:
      "Address of go-librespot's API, e.g. http://192.168.1.50:3678 (in go-librespot's config.yml: server.enabled: true, server.address: 0.0.0.0). Its API has no password: keep it on your home network, never forward it to the internet.",
  },
  { key: 'device_name', path: ['device', 'name'], default: 'Spotify speaker', name: 'Speaker name', description: 'The device name in Home Assistant.' },
  {
    key: 'device_id',
    path: ['device', 'id'],
    default: 'spotify_speaker',
    name: 'Speaker id',
    description: 'Stable id in MQTT topics and entity ids: a-z, 0-9, _ and -. Give every speaker its own.',
  },
  {
    key: 'mixer_backend',
    path: ['mixer', 'backend'],
    default: 'none',
    name: 'Volume control',
    description:
      "none: the volume entities drive go-librespot's volume through its API (go-librespot on another machine). alsa: the sound card's own mixer on this machine (Home Assistant OS running on the speaker; see the Documentation tab), through alsa-lib in the add-on; alsa-native and alsa-utils (amixer) pick one of its two ways, which the log names at start.",
  },
  {
    key: 'mixer_device',
    path: ['mixer', 'device'],
    name: 'ALSA device',
    description: 'Only with Volume control alsa: the card, e.g. hw:sndrpihifiberry or hw:0. Empty: the ALSA default, which here is card 0 (this add-on has no PulseAudio).',
  },
  {
    key: 'mixer_control',
    path: ['mixer', 'control'],
    name: 'ALSA volume control',
    description: "Only with Volume control alsa: e.g. 'Digital' or 'Master'. Empty: detected.",
  },
  {
    key: 'mixer_switch',
    path: ['mixer', 'switch'],
    name: 'ALSA mute switch',
    description: 'Only with Volume control alsa: the mute switch element. Empty: mute sets the level to 0 and unmute restores it.',
  },
  {
    key: 'max_volume',
    path: ['volume', 'max'],
    name: 'Maximum volume',
    description: 'Initial cap in percent (the Max volume entity). A change made in Home Assistant is kept across restarts.',
  },
  {
    key: 'start_volume',
    path: ['volume', 'start'],
    name: 'Start volume',
    description: 'Volume in percent applied when a Spotify session starts. Empty: whatever go-librespot remembers.',
  },
  {
    key: 'sync_spotify',
    path: ['volume', 'sync_spotify'],
    name: 'Sync the Spotify slider',
    description: "Only with Volume control alsa: keep the Spotify app's slider and the card's level in step.",
  },
  {
    key: 'log_level',
    path: ['log', 'level'],
    default: 'info',
    name: 'Log level',
    description: 'How much the add-on log says: info tells the story of a day, debug everything.',
  },
  {
    key: 'log_format',
    path: ['log', 'format'],
    name: 'Log format',
    description: 'Empty or text: one line per event (time, level, part, what happened), for the Log tab. json: one JSON object per line, for a log shipper.',
  },
  {
    key: 'mqtt_url',
    path: ['mqtt', 'url'],
    name: 'MQTT broker URL',
    description: 'Empty (recommended): the broker of the Mosquitto broker add-on, asked from the Supervisor. Otherwise e.g. mqtt://192.168.1.2:1883 or mqtts://broker:8883.',
  },
  {
    key: 'mqtt_username',
    path: ['mqtt', 'username'],
    name: 'MQTT user',
    description: "Empty: the Mosquitto add-on's own user for add-ons. Set it to log in as a Home Assistant user instead.",
  },
  { key: 'mqtt_password', path: ['mqtt', 'password'], type: 'password', name: 'MQTT password', description: 'The password of the MQTT user above.' },
  {
    key: 'base_topic',
    path: ['mqtt', 'base_topic'],
    name: 'MQTT base topic',
    description: 'Empty: librespot2mqtt. Topics are <base topic>/<speaker id>/...',
  },
];

/** The zod type behind a config key, without its optional/default wrappers. */
export function configLeaf(path: readonly string[]): z.ZodType {
  let node: z.ZodType = ConfigSchema;
  for (const key of path) {
    const obj = unwrap(node);
    if (!(obj instanceof z.ZodObject) || !(key in obj.shape)) throw new Error(`${path.join('.')} is not a key of the bridge config`);
    node = obj.shape[key] as z.ZodType;
  }
  return unwrap(node);
}

/** The option's type in the Supervisor's schema language (apps/options.py RE_SCHEMA_ELEMENT). */
export function supervisorType(opt: AddonOption): string {
  const leaf = configLeaf(opt.path);
  let type: string;
  if (opt.type) type = opt.type;
  else if (leaf instanceof z.ZodEnum) type = `list(${(leaf.options as string[]).filter((o) => o !== 'silent').join('|')})`;
  else if (leaf instanceof z.ZodNumber) {
    if (!leaf.isInt) throw new Error(`${opt.key}: only whole numbers are mapped`);
    type = leaf.minValue !== null && leaf.maxValue !== null && Number.isFinite(leaf.minValue) ? `int(${leaf.minValue},${leaf.maxValue})` : 'int';
  } else if (leaf instanceof z.ZodBoolean) type = 'bool';
  else if (leaf instanceof z.ZodString) type = 'str';
  else throw new Error(`${opt.key}: no Supervisor type for ${leaf.constructor.name}`);
  // an option with a default is required anyway; one without is optional unless it must be given
  return opt.default === undefined && !opt.required ? `${type}?` : type;
}

/** The bridge config fragment the options stand for; unset (absent, null or empty) options are left out. */
export function optionsToConfig(options: Record<string, unknown>): ConfigFragment {
  const out: Record<string, unknown> = {};
  for (const opt of ADDON_OPTIONS) {
    const v = options[opt.key];
    if (v === undefined || v === null || v === '') continue;
    setPath(out, opt.path, v);
  }
  return out as ConfigFragment;
}

/** The options that give a config fragment: the way back, for the mapping's test and for docs. */
export function configToOptions(config: Record<string, unknown>): AddonOptions {
  const out: AddonOptions = {};
  for (const opt of ADDON_OPTIONS) {
    const v = opt.path.reduce<unknown>((node, k) => (node && typeof node === 'object' ? (node as Record<string, unknown>)[k] : undefined), config);
    if (v !== undefined) out[opt.key] = v as OptionValue;
  }
  return out;
}

/** The option a config key came from, for error messages in the user's words. */
export function optionFor(path: readonly PropertyKey[]): AddonOption | undefined {
  return ADDON_OPTIONS.find((o) => o.path.length === path.length && o.path.every((k, i) => k === path[i]));
}
