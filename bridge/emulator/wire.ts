// How go-librespot's Go HTTP stack puts bytes on the wire: encoding/json quirks and net/http's
// plain-text errors. Kept apart so the routes read like the API table.
import type { ServerResponse } from 'node:http';

/** json.Encoder output: compact, HTML-sensitive characters escaped, trailing newline. */
export function goJson(value: unknown): string {
  return (
    JSON.stringify(value).replace(/[<>&\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`) +
    '\n'
  );
}

export function sendJson(res: ServerResponse, value: unknown): void {
  const body = goJson(value);
  res.writeHead(200, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body) });
  res.end(body);
}

/** Every daemon error (204, 400, 500, …) has an empty body. */
export function sendEmpty(res: ServerResponse, status: number): void {
  res.writeHead(status, status === 204 ? {} : { 'Content-Length': 0 });
  res.end();
}

/** http.Error: text/plain, nosniff, message + newline. */
export function sendText(res: ServerResponse, status: number, text: string, headers: Record<string, string> = {}): void {
  const body = `${text}\n`;
  res.writeHead(status, {
    ...headers,
    'Content-Type': 'text/plain; charset=utf-8',
    'X-Content-Type-Options': 'nosniff',
    'Content-Length': Buffer.byteLength(body),
  });
  res.end(body);
}

type FieldType = 'string' | 'bool' | 'int32' | 'int64';
export type Fields = Record<string, FieldType>;
type Decoded<F extends Fields> = {
  [K in keyof F]?: F[K] extends 'string' ? string : F[K] extends 'bool' ? boolean : number;
};

class BadRequest extends Error {}

const LIMITS = { int32: 2 ** 31, int64: 2 ** 63 } as const;

function fits(type: FieldType, v: unknown): boolean {
  switch (type) {
    case 'string':
      return typeof v === 'string';
    case 'bool':
      return typeof v === 'boolean';
    default:
      return typeof v === 'number' && Number.isInteger(v) && v >= -LIMITS[type] && v < LIMITS[type];
  }
}

/**
 * json.Unmarshal into a struct of plain (non-pointer) fields: unknown keys are ignored, keys match
 * case-insensitively, `null` leaves the zero value, a wrong type or a float for an int fails.
 * `emptyAsObject` is the v0.4.0 change that made an empty body mean `{}`.
 */
export function decodeBody<F extends Fields>(raw: string, fields: F, emptyAsObject: boolean): Decoded<F> {
  if (raw === '' && emptyAsObject) return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    throw new BadRequest('invalid json');
  }
  if (parsed === null) return {};
  if (typeof parsed !== 'object' || Array.isArray(parsed)) throw new BadRequest('not an object');
  const out: Record<string, unknown> = {};
  const names = Object.keys(fields);
  for (const [key, value] of Object.entries(parsed)) {
    const name = names.find((n) => n === key) ?? names.find((n) => n.toLowerCase() === key.toLowerCase());
    if (name === undefined || value === null) continue;
    if (!fits(fields[name]!, value)) throw new BadRequest(`bad type for ${name}`);
    out[name] = value;
  }
  return out as Decoded<F>;
}
