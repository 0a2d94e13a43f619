// Environment overrides, named after the schema's paths: mqtt.base_topic ← LIBRESPOT2MQTT_MQTT_BASE_TOPIC.
// The names are derived from the schema so a new key is overridable without code here.
import { z } from 'zod';
import { parse as parseYaml } from 'yaml';

export const ENV_PREFIX = 'LIBRESPOT2MQTT_';

interface Leaf {
  path: string[];
  text: boolean;
}

export function unwrap(schema: z.ZodType): z.ZodType {
  let s = schema;
  while (s instanceof z.ZodOptional || s instanceof z.ZodDefault || s instanceof z.ZodPrefault || s instanceof z.ZodNullable)
    s = (s as z.ZodOptional<z.ZodType>).unwrap() as z.ZodType;
  return s;
}

export function leaves(schema: z.ZodType, path: string[] = []): Leaf[] {
  const s = unwrap(schema);
  if (s instanceof z.ZodObject) return Object.entries(s.shape).flatMap(([k, v]) => leaves(v as z.ZodType, [...path, k]));
  return [{ path, text: s instanceof z.ZodString }];
}

export const envName = (path: string[]) => ENV_PREFIX + path.join('_').toUpperCase();

/** The config fragment given by the environment; strings stay strings where the schema wants text. */
export function fromEnv(schema: z.ZodType, env: NodeJS.ProcessEnv): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const leaf of leaves(schema)) {
    const raw = env[envName(leaf.path)];
    if (raw === undefined) continue;
    setPath(out, leaf.path, leaf.text ? raw : scalar(raw));
  }
  return out;
}

function scalar(raw: string): unknown {
  try {
    return parseYaml(raw);
  } catch {
    return raw;
  }
}

export function setPath(target: Record<string, unknown>, path: string[], value: unknown): void {
  let node = target;
  for (const key of path.slice(0, -1)) {
    const next = node[key];
    node = (typeof next === 'object' && next !== null ? next : (node[key] = {})) as Record<string, unknown>;
  }
  node[path[path.length - 1]!] = value;
}

/** Deep merge of plain objects; later sources win. */
export function merge(...sources: Record<string, unknown>[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const src of sources)
    for (const [k, v] of Object.entries(src)) {
      const prev = out[k];
      out[k] = isPlain(prev) && isPlain(v) ? merge(prev, v) : v;
    }
  return out;
}

const isPlain = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
