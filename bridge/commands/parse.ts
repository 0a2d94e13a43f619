// The one way into the bridge: a topic and a payload become a validated command, or a reason why not.
import { z } from 'zod';
import { COMMANDS } from './table.js';

export type Command = Record<string, unknown>;
export type Parsed =
  | { ok: true; command: Command; transaction?: unknown; /** epoch ms */ deadline?: number }
  | { ok: false; error: string; transaction?: unknown };

/** After this time (the bridge's clock) the command is refused, not run: its sender gave up waiting. */
const Deadline = z.iso.datetime({ offset: true, error: () => 'must be an ISO 8601 time like 2026-01-01T12:00:00.000Z' });

const JsonCommand = z.strictObject({
  ...Object.fromEntries(COMMANDS.map((c) => [c.key, c.schema.optional()])),
  transaction: z.unknown().optional(),
  deadline: Deadline.optional(),
});

function describe(error: z.ZodError): string {
  return error.issues
    .map((i) =>
      i.code === 'unrecognized_keys'
        ? `unknown command ${i.keys.map((k) => `"${k}"`).join(', ')} (known: ${COMMANDS.map((c) => c.key).join(', ')})`
        : `${i.path.join('.')}: ${i.message}`,
    )
    .join('; ');
}

/** Deeper JSON is refused: the transaction is echoed, and writing a deep one overflows the stack. */
const MAX_DEPTH = 32;
const tooDeep = (v: unknown, left = MAX_DEPTH): boolean =>
  typeof v === 'object' && v !== null && (left === 0 || Object.values(v).some((x) => tooDeep(x, left - 1)));
const TOO_DEEP = `payload is nested deeper than ${MAX_DEPTH} levels`;

/** `field` is the last topic level of <base>/<id>/set/<field>, or undefined for the JSON topic. */
export function parseCommand(field: string | undefined, payload: Buffer): Parsed {
  const text = payload.toString('utf8');
  if (field !== undefined) {
    const def = COMMANDS.find((c) => c.key === field);
    if (!def) return { ok: false, error: `unknown command topic set/${field} (known: ${COMMANDS.map((c) => `set/${c.key}`).join(', ')})` };
    const r = def.schema.safeParse(text);
    return r.success ? { ok: true, command: { [field]: r.data } } : { ok: false, error: `${field}: ${r.error.issues[0]?.message}` };
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return { ok: false, error: `payload is not JSON: ${JSON.stringify(text.slice(0, 60))} (example: {"action":"next"})` };
  }
  if (typeof json !== 'object' || json === null || Array.isArray(json))
    return { ok: false, error: 'payload must be a JSON object, e.g. {"action":"next"}' };
  if (tooDeep(json)) return { ok: false, error: TOO_DEEP };
  const transaction = (json as { transaction?: unknown }).transaction;
  const r = JsonCommand.safeParse(json);
  if (!r.success) return { ok: false, error: describe(r.error), transaction };
  const { transaction: _t, deadline, ...command } = r.data as Command & { deadline?: string };
  if (Object.keys(command).length === 0) return { ok: false, error: `no command given (known: ${COMMANDS.map((c) => c.key).join(', ')})`, transaction };
  return { ok: true, command, transaction, ...(deadline !== undefined ? { deadline: Date.parse(deadline) } : {}) };
}

const GetRequest = z.strictObject({ transaction: z.unknown().optional() });

/** <base>/<id>/get takes an empty payload, or {"transaction":…} to tell its answer apart. */
export function parseGet(payload: Buffer): { ok: true; transaction?: unknown } | { ok: false; error: string } {
  const text = payload.toString('utf8').trim();
  if (text === '') return { ok: true };
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  if (tooDeep(json)) return { ok: false, error: TOO_DEEP };
  const r = GetRequest.safeParse(json);
  return r.success ? { ok: true, transaction: r.data.transaction } : { ok: false, error: 'get takes an empty payload or {"transaction":…}' };
}
