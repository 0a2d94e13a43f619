// Reads the YAML file, applies environment and flag overrides, validates everything at once, and
// reports every problem against its source: the file and line, the environment variable or the flag.
import { readFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import type { z } from 'zod';
import { ConfigSchema, type ResolvedConfig } from './schema.js';
import { envName, fromEnv, leaves, merge, setPath, unknownEnv } from './env.js';
import { explain } from './explain.js';
import { Origins, YamlFile } from './sources.js';
import { checkStart } from './check.js';
import { defaultStateFile } from '../volume/persist.js';

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    const n = problems.length;
    super(`the configuration has ${n === 1 ? 'a problem' : `${n} problems`}:\n${problems.map((p) => `  ${p.replace(/\n/g, '\n  ')}`).join('\n')}`);
  }
}

/** A value from the command line and the flag that gave it. */
export interface Flag {
  flag: string;
  path: string[];
  value: unknown;
}

export interface LoadOptions {
  file?: string;
  env?: NodeJS.ProcessEnv;
  flags?: Flag[];
  /** values set by a program rather than a person (reported as "the command line") */
  overrides?: Record<string, unknown>;
  /** what is worth saying but stops nothing (an environment variable that sets nothing); default:
   * a "warning:" line on stderr */
  warn?: (text: string) => void;
}

const warnOnStderr = (text: string) => void process.stderr.write(`warning: ${text}\n`);

export async function loadConfig(opts: LoadOptions = {}): Promise<ResolvedConfig> {
  return (await load(opts)).cfg;
}

/** loadConfig, and what a start needs checked (files readable, the state folder writable): for
 * check-config and run. `passed` says what was checked. */
export async function loadChecked(opts: LoadOptions = {}): Promise<{ cfg: ResolvedConfig; passed: string[] }> {
  const { cfg, origins } = await load(opts);
  const { passed, problems } = await checkStart(cfg);
  if (problems.length) throw new ConfigError(problems.map((p) => `${origins.where(p.path) ?? 'the defaults'}: ${p.text}`));
  return { cfg, passed };
}

async function load(opts: LoadOptions): Promise<{ cfg: ResolvedConfig; origins: Origins }> {
  const file = opts.file === undefined ? undefined : await readYaml(opts.file);
  const origins = new Origins(file?.yaml);
  const env = opts.env ?? process.env;
  for (const w of unknownEnv(ConfigSchema, env)) (opts.warn ?? warnOnStderr)(w);
  const problems: string[] = [];
  const fromEnvironment = fromEnv(ConfigSchema, env);
  for (const leaf of leaves(ConfigSchema)) if (env[envName(leaf.path)] !== undefined) origins.add(leaf.path, `environment variable ${envName(leaf.path)}`);
  const fromFlags: Record<string, unknown> = {};
  for (const f of opts.flags ?? []) {
    setPath(fromFlags, f.path, f.value);
    origins.add(f.path, `flag ${f.flag}`);
  }
  for (const path of pathsOf(opts.overrides ?? {})) origins.add(path, 'the command line');
  const input = merge(file?.data ?? {}, fromEnvironment, opts.overrides ?? {}, fromFlags);
  const parsed = ConfigSchema.safeParse(input);
  if (!parsed.success) problems.push(...describe(parsed.error.issues, input, origins));
  if (problems.length) throw new ConfigError(problems);
  return { cfg: resolved(parsed.data!), origins };
}

async function readYaml(path: string): Promise<{ yaml: YamlFile; data: Record<string, unknown> }> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    const why = { ENOENT: 'there is no such file', EACCES: 'no permission to read it', EISDIR: 'it is a folder' }[e.code ?? ''];
    throw new ConfigError([`${path}: cannot read the configuration file: ${why ?? e.message}`]);
  }
  const yaml = new YamlFile(path, text);
  const syntax = yaml.syntaxError();
  if (syntax) throw new ConfigError([syntax]);
  const doc = yaml.data();
  if (doc !== null && doc !== undefined && (typeof doc !== 'object' || Array.isArray(doc)))
    throw new ConfigError([`${path} line ${yaml.line([])}: the file must hold a mapping (key: value lines like "mqtt:"), not ${Array.isArray(doc) ? 'a list' : 'a single value'}`]);
  return { yaml, data: dropNulls(doc ?? {}) as Record<string, unknown> };
}

/** Validates a config given as an object (the demo, the add-on's options, tests); problems are
 * reported by path, after `source` when given. */
export function resolveConfig(input: unknown, source?: string): ResolvedConfig {
  const parsed = ConfigSchema.safeParse(input);
  if (!parsed.success) throw new ConfigError(describe(parsed.error.issues, input, new Origins()).map((p) => (source ? `${source}: ${p}` : p)));
  return resolved(parsed.data);
}

function resolved(cfg: z.output<typeof ConfigSchema>): ResolvedConfig {
  const host = hostname();
  const id = cfg.device.id ?? slug(host);
  return {
    ...cfg,
    device: { id, name: cfg.device.name ?? host },
    state_file: cfg.state_file ?? defaultStateFile(id),
  };
}

function describe(issues: z.core.$ZodIssue[], input: unknown, origins: Origins): string[] {
  // one problem per key: the first check that fails says enough
  const seen = new Set<string>();
  const first = issues.filter((i) => i.code === 'unrecognized_keys' || (!seen.has(i.path.join('.')) && !!seen.add(i.path.join('.'))));
  return first.flatMap((i) => {
    const paths = i.code === 'unrecognized_keys' ? i.keys.map((k) => [...i.path, k]) : [i.path];
    return explain(ConfigSchema, i, input).map((text, n) => {
      const where = origins.where(paths[n]!);
      return where ? `${where}: ${text}` : text;
    });
  });
}

function pathsOf(obj: Record<string, unknown>, path: string[] = []): string[][] {
  return Object.entries(obj).flatMap(([k, v]) =>
    typeof v === 'object' && v !== null && !Array.isArray(v) ? pathsOf(v as Record<string, unknown>, [...path, k]) : [[...path, k]],
  );
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
