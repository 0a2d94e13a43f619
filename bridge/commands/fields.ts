// Reusable zod pieces for command values: each accepts the JSON form and the plain text a shell
// sends to <base>/<id>/set/<key>, case and surrounding whitespace ignored where harmless.
import { z } from 'zod';

const text = (v: unknown) => (typeof v === 'string' ? v.trim().toLowerCase() : v);

export const choice = <const T extends readonly [string, ...string[]]>(values: T) =>
  z.preprocess(text, z.enum(values, { error: () => `must be one of ${values.join(', ')}` }));

const ON = new Set(['on', 'true', '1', 'yes']);
const OFF = new Set(['off', 'false', '0', 'no']);

/** on/off/true/false/1/0 (also Home Assistant's ON/OFF), a JSON boolean, or toggle. A JSON number
 * is read as its plain text, so {"shuffle":1} means what set/shuffle 1 means. */
export const onOffToggle = z.preprocess(
  (v) => {
    const t = text(typeof v === 'number' ? String(v) : v);
    if (typeof t === 'string') return ON.has(t) ? true : OFF.has(t) ? false : t;
    return t;
  },
  z.union([z.boolean(), z.literal('toggle')], { error: () => 'must be on, off or toggle' }),
);
export type OnOffToggle = z.infer<typeof onOffToggle>;

export const resolveToggle = (v: OnOffToggle, current: boolean) => (v === 'toggle' ? !current : v);

/** Only what a person or a script means as a number: not 0x1F, 1e2, a BOM or other Unicode spaces
 * (String.trim takes those), so nothing odd is quietly read as some other value. */
const DECIMAL = /^[ \t\r\n]*([+-]?)(\d{1,15}(?:\.\d{1,9})?)[ \t\r\n]*$/;

/** A decimal number (whole unless `fractions`), or a change of it as "+5" / "-5" (a string, so
 * JSON 5 and "5" are absolute). */
export const numberOrStep = (min: number, max: number, unit: string, fractions = false) => {
  const range = `must be between ${min} and ${max} ${unit}`;
  const form = `must be a number from ${min} to ${max} ${unit}, or a change like +5 or -5`;
  const number = fractions ? z.number() : z.number().int();
  return z.preprocess(
    (v) => {
      if (typeof v !== 'string') return v;
      const m = DECIMAL.exec(v);
      if (!m || (!fractions && m[2]!.includes('.'))) return v;
      return m[1] ? { step: Number(`${m[1]}${m[2]}`) } : Number(m[2]);
    },
    z.union([number.min(min, { error: range }).max(max, { error: range }), z.object({ step: number })], { error: () => form }),
  );
};
export type NumberOrStep = { step: number } | number;

export const applyStep = (v: NumberOrStep, current: number, min: number, max: number) =>
  Math.min(max, Math.max(min, typeof v === 'number' ? v : current + v.step));

const SPOTIFY_URI = /^spotify:(?:[a-z]+:)+[A-Za-z0-9]{1,64}$/;
const OPEN_LINK = /^https:\/\/open\.spotify\.com\/(?:intl-[a-z-]+\/)?([a-z]+)\/([A-Za-z0-9]+)(?:[/?#].*)?$/;

/** A Spotify URI; an open.spotify.com link (what the share button copies) is turned into one. */
export const spotifyUri = z.preprocess(
  (v) => {
    if (typeof v !== 'string') return v;
    const t = v.trim();
    const link = OPEN_LINK.exec(t);
    return link ? `spotify:${link[1]}:${link[2]}` : t;
  },
  z.string({ error: () => 'must be a Spotify URI' }).regex(SPOTIFY_URI, {
    error: () => 'must be a Spotify URI like spotify:playlist:37i9dQZF1DXcBWIGoYBM5M, or an open.spotify.com link',
  }),
);
