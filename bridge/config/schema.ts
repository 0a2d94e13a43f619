// The one configuration schema: YAML file, environment and flags are all checked by it,
// the TypeScript type is inferred from it and config/*.schema.json is generated from it.
import { z } from 'zod';
import { LOG_FORMATS, LOG_LEVELS } from '../log-levels.js';
import { HTTP_TIMEOUT_MS } from '../librespot/limits.js';

const topicLevel = /^[^#+\u0000]+$/;

/** A URL the bridge can connect to: one of these schemes, a host, a port from 1 to 65535, and a
 * path only where the service has one. */
const url = (schemes: string[], example: string, opts: { shape?: string; path?: boolean } = {}) => {
  const shape = opts.shape ?? `must start with ${schemes.map((p) => `${p}://`).join(', ').replace(/, ([^,]*)$/, ' or $1')}`;
  return z
    .string()
    .regex(new RegExp(`^(${schemes.join('|')})://.`), shape)
    .superRefine((s, ctx) => {
      if (!schemes.some((p) => s.startsWith(`${p}://`))) return;
      const fail = (message: string) => ctx.addIssue({ code: 'custom', message, input: s });
      const port = /^[a-z]+:\/\/(?:[^@/]*@)?(?:\[[^\]]*\]|[^:/?#]*):(\d+)/.exec(s)?.[1];
      if (port !== undefined && !(Number(port) >= 1 && Number(port) <= 65535)) return fail(`port ${port} is out of range: a port is 1 to 65535`);
      if (!URL.canParse(s) || !new URL(s).hostname) return fail(`must be a URL like ${example}`);
      const u = new URL(s);
      if (opts.path === false && (u.pathname !== '/' || u.search || u.hash)) fail(`${shape}, without a path`);
    });
};

const Mqtt = z
  .strictObject({
    url: url(['mqtt', 'mqtts', 'ws', 'wss'], 'mqtt://192.168.1.10:1883')
      .default('mqtt://127.0.0.1:1883')
      .describe('Broker URL: mqtt://host:1883, mqtts://host:8883, ws://, wss://'),
    username: z.string().optional(),
    password: z.string().optional(),
    password_file: z.string().min(1).optional().describe('Path of a file holding the password (a secret kept out of this file); read before every connection attempt'),
    client_id: z.string().min(1).max(64).optional().describe('Default: librespot2mqtt_<device.id>'),
    protocol_version: z.union([z.literal(4), z.literal(5)], { error: 'must be 4 (MQTT 3.1.1) or 5 (MQTT 5)' }).default(5).describe('4 = MQTT 3.1.1, 5 = MQTT 5'),
    keepalive: z.number().int().min(5).max(3600).default(60).describe('Seconds'),
    base_topic: z
      .string()
      .regex(topicLevel, 'must not contain # or +')
      .refine((s) => !s.startsWith('/') && !s.endsWith('/'), 'must not start or end with /')
      .default('librespot2mqtt'),
    discovery_prefix: z.string().regex(topicLevel, 'must not contain # or +').default('homeassistant'),
    discovery: z.boolean().default(true).describe('Publish Home Assistant MQTT discovery'),
    tls: z
      .strictObject({
        ca: z.string().optional().describe('Path of a CA certificate (PEM)'),
        cert: z.string().optional().describe('Path of a client certificate (PEM)'),
        key: z.string().optional().describe('Path of the client key (PEM)'),
        reject_unauthorized: z.boolean().default(true),
      })
      .prefault({}),
  })
  .refine((m) => m.password === undefined || m.password_file === undefined, {
    message: 'give mqtt.password or mqtt.password_file, not both',
    path: ['password_file'],
  })
  .prefault({});

const Device = z
  .strictObject({
    id: z
      .string()
      .regex(/^[a-z0-9][a-z0-9_-]{0,63}$/, 'must be 1-64 of a-z, 0-9, _ and -, starting with a letter or digit')
      // <base_topic>/all/set is the whole-house command topic that every bridge obeys
      .refine((id) => id !== 'all', '"all" is reserved (<base_topic>/all/set reaches every bridge): pick another id')
      .optional()
      .describe('Stable id in topics and unique_ids. Default: the host name as a slug'),
    name: z.string().min(1).max(64).optional().describe('Device name in Home Assistant. Default: the host name'),
  })
  .prefault({});

const Librespot = z
  .strictObject({
    url: url(['http', 'https'], 'http://127.0.0.1:3678', { shape: 'must be http://host:port or https://host:port', path: false })
      .default('http://127.0.0.1:3678')
      .describe("go-librespot's API (server.enabled: true, server.port)"),
    timeout_ms: z
      .number()
      .int()
      .min(100)
      .max(60000)
      .default(HTTP_TIMEOUT_MS)
      .describe("Timeout of every HTTP call; longer than the 10 s after which go-librespot answers 503 (busy), so busy is retried rather than taken for hung"),
    session_check_s: z
      .number()
      .int()
      .min(30)
      .max(3600)
      .default(30)
      .describe('How often to check the Spotify session and the connection (go-librespot sends no event on logout)'),
  })
  .prefault({});

const percent = z.number().int().min(0).max(100);

/** mixer.backend: alsa picks the native mixer when it loads. */
export const MIXER_BACKENDS = ['alsa', 'alsa-native', 'alsa-utils', 'none'] as const;

const Mixer = z
  .strictObject({
    backend: z
      .enum(MIXER_BACKENDS)
      .default('alsa')
      .describe(
        "alsa: the speaker's ALSA mixer is the volume, through alsa-lib in-process (the native mixer) when it is built, else alsa-utils (amixer, alsactl); alsa-native / alsa-utils: that one only (alsa-native falls back with an error in the log); none: no ALSA, the volume entities drive go-librespot's volume",
      ),
    device: z.string().min(1).default('default').describe('ALSA device, e.g. hw:sndrpihifiberry (the card id is stable, its number is not)'),
    control: z.string().min(1).optional().describe("Volume element, e.g. 'Digital Playback Volume'. Default: detect (HifiBerry AMP2/DAC+ Digital, AMP Master, else the first playback volume)"),
    switch: z.string().min(1).optional().describe("Mute switch element, e.g. 'Digital Playback Switch'. Without one, mute sets the level to 0 and unmute restores it"),
    check_s: z
      .number()
      .int()
      .min(1)
      .max(3600)
      .default(30)
      .describe('alsa-utils backend: how often to check that the sound card is still there (changes themselves are watched, not polled; the native mixer is told when the card goes)'),
  })
  .prefault({});

const Volume = z
  .strictObject({
    max: percent.default(100).describe('Initial cap (Max volume entity); a change made from Home Assistant is kept across restarts'),
    start: percent.optional().describe('Volume applied when a Spotify session starts (nobody is blasted at 100 %)'),
    sync_spotify: z
      .boolean()
      .default(true)
      .describe("Keep the Spotify app's slider and the ALSA level in step (go-librespot external_volume: true). Set false when go-librespot drives the mixer itself (mixer_device set)"),
  })
  .prefault({});

const HomeAssistant = z
  .strictObject({
    media_player: z
      .enum(['none', 'bkbilly', 'shyndman'])
      .default('none')
      .describe(
        'Also publish a media_player for a HACS integration: bkbilly (bkbilly/mqtt_media_player) or shyndman (shyndman/ha-mqtt-media-player). Both use the domain mqtt_media_player and the same topic with payloads the other refuses: name the one installed',
      ),
  })
  .prefault({});

const Log = z
  .strictObject({
    level: z
      .enum(LOG_LEVELS)
      .default('info')
      .describe('info tells the day (connections, sessions, tracks, volume changes); debug adds why; trace adds raw events and MQTT payloads. Changeable at run time: <base>/<id>/set/log_level'),
    format: z
      .enum(LOG_FORMATS)
      .default('text')
      .describe('text: one line per event for people (tail -f, the add-on log, syslog); json: pino JSON for log shippers'),
  })
  .prefault({});

type Shape = { mqtt: z.output<typeof Mqtt>; volume: z.output<typeof Volume> };

/** Values that are each valid but do not fit together: said at once, not found out later as a
 * start volume quietly capped or TLS files quietly unused. */
const CONSISTENT: { path: string[]; broken(c: Shape): string | false }[] = [
  {
    path: ['volume', 'start'],
    broken: ({ volume: v }) =>
      v.start !== undefined && v.start > v.max && `${v.start} % is above volume.max (${v.max} %): the start volume would be capped to ${v.max} %; lower volume.start or raise volume.max`,
  },
  {
    path: ['mqtt', 'tls'],
    broken: ({ mqtt: m }) =>
      (m.tls.ca !== undefined || m.tls.cert !== undefined || m.tls.key !== undefined) &&
      !/^(mqtts|wss):/.test(m.url) &&
      'TLS files are given but mqtt.url is not mqtts:// or wss://: the connection would be plain and the files unused',
  },
  {
    path: ['mqtt', 'username'],
    broken: ({ mqtt: m }) =>
      m.username === undefined &&
      (m.password !== undefined || m.password_file !== undefined) &&
      !/^[a-z]+:\/\/[^/@]*@/.test(m.url) &&
      'a password is given without mqtt.username: MQTT sends no password without a user name',
  },
];

export const ConfigSchema = z
  .strictObject({
    mqtt: Mqtt,
    device: Device,
    librespot: Librespot,
    mixer: Mixer,
    volume: Volume,
    state_file: z.string().min(1).optional().describe('Where the bridge keeps what must survive a restart (cap, level to restore after mute). Default: $XDG_STATE_HOME/librespot2mqtt/<device.id>.json or ~/.local/state/librespot2mqtt/<device.id>.json'),
    homeassistant: HomeAssistant,
    log: Log,
  })
  .superRefine((c, ctx) => {
    for (const rule of CONSISTENT) {
      const message = rule.broken(c);
      if (message) ctx.addIssue({ code: 'custom', path: rule.path, message, input: undefined, params: { together: true } });
    }
  })
  .prefault({});

export type Config = z.output<typeof ConfigSchema>;
export type ConfigInput = z.input<typeof ConfigSchema>;
/** A parsed config whose defaults that depend on the machine (host name) are filled in. */
export type ResolvedConfig = Config & { device: { id: string; name: string }; state_file: string };
