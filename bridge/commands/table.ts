// Every command the bridge takes, as data: the JSON key on <base>/<id>/set, the plain topic
// <base>/<id>/set/<key>, how the value is checked, what it does, and the docs' text.
// Several keys in one JSON command run in the order of this table.
import type { z } from 'zod';
import type { LibrespotClient } from '../librespot/client.js';
import type { VolumeControl } from '../volume/controller.js';
import { LOG_LEVELS, type LogLevel } from '../log-levels.js';
import { REPEAT, type PlayerState } from '../state/state.js';
import { applyStep, choice, numberOrStep, onOffToggle, resolveToggle, spotifyUri } from './fields.js';

export interface CommandContext {
  librespot: LibrespotClient;
  volume: VolumeControl;
  state(): Readonly<PlayerState>;
  setLogLevel(level: LogLevel): void;
}

export interface CommandDef<T = unknown> {
  key: string;
  schema: z.ZodType<T>;
  /** accepted values, for the docs */
  values: string;
  doc: string;
  /** plain payloads that the docs show and a test runs */
  examples: string[];
  run(value: T, ctx: CommandContext): Promise<void>;
  /** Whether the state shows this command done, given the state it was sent in: ctl waits for it
   * and the docs test checks it. Without one, the bridge's ok answer is all the confirmation. */
  confirm?(value: T, after: Readonly<PlayerState>, before: Readonly<PlayerState>): boolean;
  /** Once confirmed: why the state is still not what was asked, if it is not (ctl then exits 1). */
  shortfall?(value: T, after: Readonly<PlayerState>, before: Readonly<PlayerState>): string | undefined;
}

const define = <T>(def: CommandDef<T>) => def as CommandDef<unknown>;

export const ACTIONS = ['play', 'pause', 'play_pause', 'next', 'previous', 'stop'] as const;
const ACTION_PATH: Record<(typeof ACTIONS)[number], string> = {
  play: '/player/resume',
  pause: '/player/pause',
  play_pause: '/player/playpause',
  next: '/player/next',
  previous: '/player/prev',
  stop: '/player/stop',
};

const moving = (p: PlayerState['playback']) => p === 'playing' || p === 'buffering';
/** A skip shows as another track, or the position set anew: previous may only seek to the start,
 * and next at the end of a one-track context pauses it. */
const skipped = (a: Readonly<PlayerState>, b: Readonly<PlayerState>) => a.track?.uri !== b.track?.uri || a.position_updated_at !== b.position_updated_at;
/** How the state shows an action. */
const ACTION_SHOWN: Record<(typeof ACTIONS)[number], (after: Readonly<PlayerState>, before: Readonly<PlayerState>) => boolean> = {
  play: (a) => moving(a.playback),
  pause: (a) => a.playback === 'paused',
  play_pause: (a, b) => (moving(b.playback) ? a.playback === 'paused' : moving(a.playback)),
  next: skipped,
  previous: skipped,
  stop: (a) => !moving(a.playback),
};

const percent = numberOrStep(0, 100, '%');
/** a mixer lands on its step nearest the level asked for: 0.5 dB steps are up to 2 % near the top */
const nearLevel = (level: number | null, wanted: number) => level !== null && Math.abs(level - wanted) <= 2;

export const COMMANDS: CommandDef[] = [
  define({
    key: 'max_volume',
    schema: percent,
    values: '0-100 %, or +N / -N',
    doc: 'The cap: no source (Home Assistant, the Spotify app, alsamixer, a knob) can go above it. Kept across restarts.',
    examples: ['60'],
    // steps and toggles are resolved in the volume's queue, against the result of the change before
    run: (v, ctx) => ctx.volume.setMaxVolume(v, 'MQTT'),
    confirm: (v, after, before) => after.max_volume === applyStep(v, before.max_volume, 0, 100),
  }),
  define({
    key: 'volume',
    schema: percent,
    values: '0-100 %, or +N / -N',
    doc: 'The speaker volume (the ALSA mixer: what the room hears), limited by max_volume.',
    examples: ['30', '+5', '-5'],
    run: (v, ctx) => ctx.volume.setVolume(v, 'MQTT'),
    confirm: (v, after, before) => nearLevel(after.volume, Math.min(applyStep(v, before.volume ?? 0, 0, 100), after.max_volume)),
    // "Max volume" is the cap's entity name in Home Assistant (bridge/ha/entities.ts)
    shortfall: (v, after, before) =>
      applyStep(v, before.volume ?? 0, 0, 100) > after.max_volume ? `capped at ${after.max_volume} % by Max volume` : undefined,
  }),
  define({
    key: 'mute',
    schema: onOffToggle,
    values: 'on, off, toggle (also true/false, ON/OFF)',
    doc: 'Mute. Without a mute switch (HifiBerry AMP) the level goes to 0 and comes back on unmute.',
    examples: ['on', 'off', 'toggle'],
    run: (v, ctx) => ctx.volume.setMuted(v, 'MQTT'),
    confirm: (v, after, before) => after.muted === resolveToggle(v, before.muted ?? false),
  }),
  define({
    key: 'shuffle',
    schema: onOffToggle,
    values: 'on, off, toggle (also true/false, ON/OFF)',
    doc: 'Shuffle the current context.',
    examples: ['on', 'toggle'],
    run: (v, ctx) =>
      ctx.librespot.post('/player/shuffle_context', { shuffle_context: resolveToggle(v, ctx.state().shuffle) }),
    confirm: (v, after, before) => after.shuffle === resolveToggle(v, before.shuffle),
  }),
  define({
    key: 'repeat',
    schema: choice(REPEAT),
    values: REPEAT.join(', '),
    doc: 'Repeat nothing, the context (playlist, album) or the track.',
    examples: ['context', 'off'],
    // this order keeps every intermediate event true to the end state's way there (see reduce.ts)
    run: async (v, ctx) => {
      const context = () => ctx.librespot.post('/player/repeat_context', { repeat_context: v !== 'off' });
      const track = () => ctx.librespot.post('/player/repeat_track', { repeat_track: v === 'track' });
      for (const step of v === 'off' ? [track, context] : [context, track]) await step();
    },
    confirm: (v, after) => after.repeat === v,
  }),
  define({
    key: 'play_uri',
    schema: spotifyUri,
    values: 'a Spotify URI (spotify:playlist:…, spotify:album:…, spotify:track:…) or an open.spotify.com link',
    doc: 'Play this on the speaker (needs a Spotify session).',
    examples: ['spotify:playlist:37i9dQZF1DXcBWIGoYBM5M'],
    // loading a context can take long on a slow network: go-librespot answers only when it plays
    run: (v, ctx) => ctx.librespot.post('/player/play', { uri: v }, 35_000),
  }),
  define({
    key: 'seek',
    schema: numberOrStep(0, 24 * 3600, 'seconds', true),
    values: 'seconds from the start, or +N / -N seconds from here',
    doc: 'Jump within the current track.',
    examples: ['60', '+15'],
    run: (v, ctx) =>
      typeof v === 'number'
        ? ctx.librespot.post('/player/seek', { position: Math.round(v * 1000) })
        : ctx.librespot.post('/player/seek', { position: Math.round(v.step * 1000), relative: true }),
  }),
  define({
    key: 'action',
    schema: choice(ACTIONS),
    values: ACTIONS.join(', '),
    doc: 'Control playback.',
    examples: ['play_pause', 'next'],
    run: (v, ctx) => ctx.librespot.post(ACTION_PATH[v]),
    confirm: (v, after, before) => ACTION_SHOWN[v](after, before),
  }),
  define({
    key: 'log_level',
    schema: choice(LOG_LEVELS),
    values: LOG_LEVELS.join(', '),
    doc: "The bridge's log level until it restarts (log.level in the config is the one at start). trace adds go-librespot's raw events and the MQTT payloads.",
    examples: ['debug', 'info'],
    run: async (v, ctx) => ctx.setLogLevel(v),
  }),
];

export const COMMAND_KEYS = COMMANDS.map((c) => c.key);
