// Row 7: what a speaker installs: the bundle, and the release's files (the bundle, the OpenRC and
// Alpine files, examples), against what `npm install --omit=dev` of the same version puts in node_modules.
import { execFileSync } from 'node:child_process';
import { lstatSync, mkdtempSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { release } from '../bridge/tools/release.js';
import { BUNDLE } from '../test/helpers/entry.js';
import type { Row } from './table.js';

const REPO = fileURLToPath(new URL('../..', import.meta.url));
const kib = (bytes: number) => `${(bytes / 1024).toFixed(0)} KiB`;
const mib = (bytes: number) => `${(bytes / 2 ** 20).toFixed(1)} MiB`;

/** files and bytes under a package folder, not descending into its own node_modules (listed apart) */
function walk(dir: string): { files: number; bytes: number } {
  let files = 0;
  let bytes = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    if (e.name === 'node_modules') continue;
    const p = join(dir, e.name);
    if (e.isDirectory()) {
      const sub = walk(p);
      files += sub.files;
      bytes += sub.bytes;
    } else if (e.isFile()) {
      files++;
      bytes += lstatSync(p).size;
    }
  }
  return { files, bytes };
}

export async function footprintRow(): Promise<Row> {
  const bundle = statSync(BUNDLE).size;
  const gz = gzipSync(readFileSync(BUNDLE)).length;
  const tarball = await release(mkdtempSync(join(tmpdir(), 'l2m-bench-release-')));
  const shipped = execFileSync('tar', ['-tvzf', tarball], { encoding: 'utf8' })
    .split('\n')
    .filter((l) => l.startsWith('-'))
    .map((l) => Number(l.split(/\s+/)[2]));
  const packages = execFileSync('npm', ['ls', '--omit=dev', '--all', '--parseable'], { cwd: REPO, encoding: 'utf8' })
    .split('\n')
    .filter((p) => p.includes('node_modules'));
  const deps = [...new Set(packages)].map(walk).reduce((a, b) => ({ files: a.files + b.files, bytes: a.bytes + b.bytes }), { files: 0, bytes: 0 });
  return {
    n: 7,
    measure: 'footprint: the shipped bundle; the files a speaker installs (release tarball)',
    value: `bundle ${kib(bundle)} (${kib(gz)} gzipped); ${shipped.length} files, ${mib(shipped.reduce((a, b) => a + b, 0))}`,
    baseline: `npm install --omit=dev: ${packages.length} packages, ${deps.files} files, ${mib(deps.bytes)}`,
    ratio: shipped.reduce((a, b) => a + b, 0) / deps.bytes,
  };
}
