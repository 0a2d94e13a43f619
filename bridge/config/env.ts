// Environment overrides, named after the schema's paths: mqtt.base_topic ← LIBRESPOT2MQTT_MQTT_BASE_TOPIC.
// The names are derived from the schema so a new key is overridable without code here.
import { z } from 'zod';
import { parse as parseYaml } from 'yaml';
import { nearest, unwrap } from './explain.js';

export { unwrap };

export const ENV_PREFIX = 'LIBRESPOT2MQTT_';

interface Leaf {
  path: string[];
  text: boolean;
}

export function leaves(schema: z.ZodType, path: string[] = []): Leaf[] {
  const s = unwrap(schema);
  if (s instanceof z.ZodObject) return Object.entries(s.shape).flatMap(([k, v]) => leaves(v as z.ZodType, [...path, k]));
  return [{ path, text: s instanceof z.ZodString }];
}

export const envName = (path: string[]) => ENV_PREFIX + path.join('_').toUpperCase();

/** Variables with our prefix that set nothing (a typo would otherwise be ignored in silence): one
 * warning each, with the nearest name and the names there are. */
export function unknownEnv(schema: z.ZodType, env: NodeJS.ProcessEnv): string[] {
  const known = leaves(schema).map((l) => envName(l.path));
  return Object.keys(env)
    .filter((name) => name.startsWith(ENV_PREFIX) && !known.includes(name))
    .sort()
    .map((name) => {
      const near = nearest(name.slice(ENV_PREFIX.length), known.map((k) => k.slice(ENV_PREFIX.length)));
      const hint = near.length ? `; did you mean ${near.map((n) => ENV_PREFIX + n).join(' or ')}?` : '';
      return `environment variable ${name} is not a setting and is ignored${hint} (the settings: ${known.join(', ')})`;
    });
}

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
