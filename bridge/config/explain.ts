// Turns a schema problem into a sentence that says how to fix it: what is accepted, what was given
// (never a secret), and for an unknown key the nearest known one. Read from the schema itself, so a
// new key is explained without code here.
import { z } from 'zod';
import { maskUrls } from '../mask-url.js';

type Path = PropertyKey[];

/** Keys whose value is never shown. */
const SECRET = /password|secret|token/i;

export function unwrap(schema: z.ZodType): z.ZodType {
  let s = schema;
  while (s instanceof z.ZodOptional || s instanceof z.ZodDefault || s instanceof z.ZodPrefault || s instanceof z.ZodNullable)
    s = (s as z.ZodOptional<z.ZodType>).unwrap() as z.ZodType;
  return s;
}

/** The schema at `path`, or undefined where the schema has no such key. */
export function schemaAt(root: z.ZodType, path: Path): z.ZodType | undefined {
  let s: z.ZodType | undefined = unwrap(root);
  for (const key of path) {
    if (!(s instanceof z.ZodObject)) return undefined;
    const next: z.ZodType | undefined = (s.shape as Record<string, z.ZodType>)[String(key)];
    s = next && unwrap(next);
  }
  return s;
}

export const keysOf = (schema: z.ZodType | undefined): string[] => (schema instanceof z.ZodObject ? Object.keys(schema.shape) : []);

const list = (items: readonly unknown[], last = 'or') =>
  items.length < 2 ? items.map(String).join('') : `${items.slice(0, -1).join(', ')} ${last} ${String(items.at(-1))}`;

/** What a value must be, in words: "a whole number from 0 to 100", "one of alsa, none". */
export function accepted(schema: z.ZodType): string {
  if (schema instanceof z.ZodNumber) {
    const kind = schema.isInt ? 'a whole number' : 'a number';
    const min = Number.isFinite(schema.minValue) ? schema.minValue : null;
    const max = Number.isFinite(schema.maxValue) ? schema.maxValue : null;
    if (min !== null && max !== null) return `${kind} from ${min} to ${max}`;
    if (min !== null) return `${kind} of at least ${min}`;
    return max !== null ? `${kind} up to ${max}` : kind;
  }
  if (schema instanceof z.ZodEnum) return `one of ${schema.options.join(', ')}`;
  if (schema instanceof z.ZodBoolean) return 'true or false';
  if (schema instanceof z.ZodString) {
    const { minLength: min, maxLength: max } = schema;
    if (min && max) return `text of ${min} to ${max} characters`;
    return min ? `text of at least ${min} character${min > 1 ? 's' : ''}` : 'text';
  }
  if (schema instanceof z.ZodObject) return `a mapping of ${list(keysOf(schema), 'and')}`;
  return 'another value';
}

/** The given value as the message shows it. */
export function shown(value: unknown, path: Path): string {
  const secret = SECRET.test(String(path.at(-1) ?? ''));
  if (value === null || value === undefined) return 'nothing';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a mapping';
  if (typeof value === 'string') return secret ? 'text (not shown)' : JSON.stringify(maskUrls(value));
  return secret ? `a ${typeof value}` : String(value);
}

/** Optimal string alignment distance: a swap of two neighbours is one edit (levle → level). */
function distance(a: string, b: string): number {
  const d = Array.from({ length: a.length + 1 }, (_, i) => Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
  for (let i = 1; i <= a.length; i++)
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      d[i]![j] = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d[i]![j] = Math.min(d[i]![j]!, d[i - 2]![j - 2]! + 1);
    }
  return d[a.length]![b.length]!;
}

/** The known names closest to a mistyped one: a typo or two, or a shortening (user → username). */
export function nearest(name: string, known: readonly string[]): string[] {
  const n = name.toLowerCase();
  const scored = known
    .map((k) => ({ k, l: k.toLowerCase() }))
    .map(({ k, l }) => ({ k, d: l.startsWith(n) || n.startsWith(l) ? 0.5 : distance(n, l) }))
    .filter(({ k, d }) => d <= Math.max(1, Math.floor(Math.min(n.length, k.length) / 3)));
  const best = Math.min(...scored.map((s) => s.d));
  return scored.filter((s) => s.d === best).map((s) => s.k);
}

/** "did you mean username?", or where a key of that name does belong, or the keys known here. */
export function unknownKey(root: z.ZodType, path: Path, key: string): string {
  const here = keysOf(schemaAt(root, path));
  const near = nearest(key, here);
  if (near.length) return `unknown key; did you mean ${list(near)}?`;
  const elsewhere = allPaths(root)
    .filter((p) => p.at(-1) === key && p.length > 1)
    .map((p) => p.join('.'));
  if (elsewhere.length) return `unknown key here; did you mean ${list(elsewhere)}?`;
  return `unknown key; the keys ${path.length ? `of ${path.join('.')}` : 'at the top'} are ${list(here, 'and')}`;
}

function allPaths(schema: z.ZodType, path: string[] = []): string[][] {
  const s = unwrap(schema);
  return keysOf(s).flatMap((k) => [[...path, k], ...allPaths((s as z.ZodObject).shape[k] as z.ZodType, [...path, k])]);
}

/** One zod issue, as "<path>: <what is wrong and what is accepted>". */
export function explain(root: z.ZodType, issue: z.core.$ZodIssue, input: unknown): string[] {
  const at = (p: Path) => p.map(String).join('.') || '(top level)';
  if (issue.code === 'unrecognized_keys') return issue.keys.map((k) => `${at([...issue.path, k])}: ${unknownKey(root, issue.path, k)}`);
  const value = issue.path.reduce<unknown>((v, k) => (v && typeof v === 'object' ? (v as Record<PropertyKey, unknown>)[k] : undefined), input);
  const schema = schemaAt(root, issue.path);
  // values that do not fit together: the message names them
  if (issue.code === 'custom' && issue.params?.together) return [`${at(issue.path)}: ${issue.message}`];
  const got = `got ${shown(value, issue.path)}`;
  // the schema's own words (a format, a reserved value) say more than the type can
  if (issue.code === 'custom' || issue.code === 'invalid_format' || (issue.code === 'invalid_union' && issue.message.startsWith('must')))
    return [`${at(issue.path)}: ${issue.message}, ${got}`];
  // YAML reads 0123 as the number 123: only quotes keep text as it is written
  if (schema instanceof z.ZodString && (typeof value === 'number' || typeof value === 'boolean'))
    return [`${at(issue.path)}: must be ${accepted(schema)}, ${got}: put it in quotes`];
  if (schema) return [`${at(issue.path)}: must be ${accepted(schema)}, ${got}`];
  return [`${at(issue.path)}: ${issue.message}`];
}
