// What a start needs beyond a valid configuration: the files it reads (TLS, password) and the
// folder it writes its state to. check-config and the start both run these, so a missing file is
// named with its config key before anything connects, not met later as a bare ENOENT.
import { constants } from 'node:fs';
import { access, readFile, stat } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { ResolvedConfig } from './schema.js';

interface Need {
  path: string[];
  check(value: string): Promise<string | null>;
  ok: string;
}

const WHY: Record<string, string> = {
  ENOENT: 'there is no such file',
  EACCES: 'no permission to read it',
  EISDIR: 'it is a folder, not a file',
  ENOTDIR: 'a part of the path is a file, not a folder',
};

async function readable(file: string): Promise<string | null> {
  try {
    await readFile(file);
    return null;
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    return `cannot read ${file}: ${WHY[e.code ?? ''] ?? e.message}`;
  }
}

/** The state file's folder, or the nearest folder above it that exists (the bridge creates the rest). */
async function folderWritable(file: string): Promise<string | null> {
  let dir = dirname(file);
  for (;;) {
    const s = await stat(dir).catch((err: NodeJS.ErrnoException) => err);
    if (s instanceof Error) {
      if (!(s.code === 'ENOENT' || s.code === 'ENOTDIR') || dirname(dir) === dir) return `cannot write ${file}: ${WHY[s.code ?? ''] ?? s.message}`;
      dir = dirname(dir);
      continue;
    }
    if (!s.isDirectory()) return `cannot write ${file}: ${dir} is a file, not a folder`;
    return access(dir, constants.W_OK).then(
      () => null,
      () => `cannot write ${file}: no permission to write in ${dir}`,
    );
  }
}

const NEEDS: Need[] = [
  ...['ca', 'cert', 'key'].map((k) => ({ path: ['mqtt', 'tls', k], check: readable, ok: 'readable' })),
  { path: ['mqtt', 'password_file'], check: readable, ok: 'readable' },
  { path: ['state_file'], check: folderWritable, ok: 'its folder is writable' },
];

export interface CheckResult {
  /** "mqtt.tls.ca /etc/ca.pem: readable" for each check passed */
  passed: string[];
  problems: { path: string[]; text: string }[];
}

export async function checkStart(cfg: ResolvedConfig): Promise<CheckResult> {
  const result: CheckResult = { passed: [], problems: [] };
  for (const need of NEEDS) {
    const value = need.path.reduce<unknown>((v, k) => (v as Record<string, unknown> | undefined)?.[k], cfg);
    if (typeof value !== 'string') continue;
    const problem = await need.check(value);
    if (problem) result.problems.push({ path: need.path, text: `${need.path.join('.')}: ${problem}` });
    else result.passed.push(`${need.path.join('.')} ${value}: ${need.ok}`);
  }
  return result;
}
