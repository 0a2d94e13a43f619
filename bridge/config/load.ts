// Reads the YAML file, applies environment and flag overrides, validates everything at once.
import { readFile } from 'node:fs/promises';
import { homedir, hostname } from 'node:os';
import { join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import type { z } from 'zod';
import { ConfigSchema, type ResolvedConfig } from './schema.js';
import { fromEnv, merge } from './env.js';

export class ConfigError extends Error {
  constructor(
    readonly problems: string[],
    readonly source: string,
  ) {
    super(`invalid configuration (${source}):\n${problems.map((p) => `  ${p}`).join('\n')}`);
  }
}

export interface LoadOptions {
  file?: string;
  env?: NodeJS.ProcessEnv;
  overrides?: Record<string, unknown>;
}

export async function loadConfig(opts: LoadOptions = {}): Promise<ResolvedConfig> {
  let fromFile: Record<string, unknown> = {};
  if (opts.file) {
    let text: string;
    try {
      text = await readFile(opts.file, 'utf8');
    } catch (err) {
      throw new ConfigError([`cannot read ${opts.file}: ${(err as Error).message}`], opts.file);
    }
    let doc: unknown;
    try {
      doc = parseYaml(text);
    } catch (err) {
      throw new ConfigError([`not valid YAML: ${(err as Error).message.split('\n')[0]}`], opts.file);
    }
    if (doc !== null && doc !== undefined && (typeof doc !== 'object' || Array.isArray(doc)))
      throw new ConfigError(['the file must hold a YAML mapping (key: value)'], opts.file);
    fromFile = dropNulls(doc ?? {}) as Record<string, unknown>;
  }
  const input = merge(fromFile, fromEnv(ConfigSchema, opts.env ?? process.env), opts.overrides ?? {});
  return resolveConfig(input, opts.file ?? 'defaults and environment');
}

export function resolveConfig(input: unknown, source = 'config'): ResolvedConfig {
  const parsed = ConfigSchema.safeParse(input);
  if (!parsed.success) throw new ConfigError(formatIssues(parsed.error.issues), source);
  const host = hostname();
  const cfg = parsed.data;
  const stateHome = process.env.XDG_STATE_HOME || join(homedir(), '.local', 'state');
  return {
    ...cfg,
    device: { id: cfg.device.id ?? slug(host), name: cfg.device.name ?? host },
    state_file: cfg.state_file ?? join(stateHome, 'librespot2mqtt', 'state.json'),
  };
}

export function formatIssues(issues: z.core.$ZodIssue[]): string[] {
  return issues.flatMap((i) => {
    const at = i.path.join('.') || '(top level)';
    if (i.code === 'unrecognized_keys') return i.keys.map((k) => `${[...i.path, k].join('.')}: unknown key`);
    return [`${at}: ${i.message}`];
  });
}

/** A key left empty in YAML (`device:` with its lines commented out) means "the defaults". */
function dropNulls(v: unknown): unknown {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return v;
  return Object.fromEntries(Object.entries(v).filter(([, x]) => x !== null).map(([k, x]) => [k, dropNulls(x)]));
}

export function slug(name: string): string {
  const s = name
    .toLowerCase()
    .replace(/[^a-z0-9_-]+/g, '_')
    .replace(/^[_-]+|[_-]+$/g, '')
    .slice(0, 64);
  // "all" is the group topic every bridge obeys
  return !s || s === 'all' ? `speaker${s && '_all'}` : s;
}
