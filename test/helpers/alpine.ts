// The Alpine package as abuild would make it, without abuild (which needs Alpine): the release
// tarball unpacked into $srcdir beside the APKBUILD's local sources, and build() + package() run by BusyBox sh
// (Alpine's ash) into a $pkgdir.
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { copyFile, mkdir, mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { nodeIncludeDir } from '../../bridge/mixer/native/build.js';
import { release } from '../../bridge/tools/release.js';

export const repoFile = (path: string) => fileURLToPath(new URL(`../../../${path}`, import.meta.url));
export const ALPINE_DIR = repoFile('config/alpine');

/** The V8 flags the OpenRC service starts node with (its node_flags default); the add-on uses the same. */
export function serviceNodeFlags(): string[] {
  const initd = readFileSync(join(ALPINE_DIR, 'librespot2mqtt.initd'), 'utf8');
  const m = /^: "\$\{node_flags:=([^}]*)\}"$/m.exec(initd);
  if (!m) throw new Error('librespot2mqtt.initd has no node_flags default');
  return m[1]!.split(/\s+/).filter(Boolean);
}

export interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs a program; never rejects (a failure is a result to check). */
export function run(cmd: string, args: string[], opts: { env?: NodeJS.ProcessEnv; cwd?: string; timeoutMs?: number } = {}): Promise<Run> {
  return new Promise((resolve) =>
    execFile(cmd, args, { env: opts.env ?? process.env, cwd: opts.cwd, timeout: opts.timeoutMs ?? 30_000, encoding: 'utf8' }, (err, stdout, stderr) =>
      resolve({ code: err ? (typeof err.code === 'number' ? err.code : 1) : 0, stdout, stderr }),
    ),
  );
}

/** `busybox sh -ec SCRIPT` with `vars` in its environment, as abuild runs an APKBUILD's functions. */
export const busybox = (script: string, vars: Record<string, string>, cwd?: string) =>
  run('busybox', ['sh', '-ec', script], { env: { PATH: process.env.PATH, ...vars }, cwd });

export async function version(): Promise<string> {
  return (JSON.parse(await readFile(repoFile('package.json'), 'utf8')) as { version: string }).version;
}

export interface Package {
  /** the folder holding everything below */
  dir: string;
  tarball: string;
  /** the unpacked release (abuild's $builddir), with install.sh */
  builddir: string;
  /** what package() installed: the package's files as they land under / */
  pkgdir: string;
}

/** npm run release's tarball, then build() and package() into a fresh $pkgdir (needs dist/librespot2mqtt.mjs, gcc and the alsa-lib and Node headers). */
export async function buildPackage(): Promise<Package> {
  const dir = await mkdtemp(join(tmpdir(), 'l2m-apk-'));
  const tarball = await release(dir);
  const srcdir = join(dir, 'src');
  const pkgdir = join(dir, 'pkg');
  await mkdir(srcdir);
  await mkdir(pkgdir);
  const untar = await run('tar', ['-xzf', tarball, '-C', srcdir]);
  if (untar.code !== 0) throw new Error(`tar: ${untar.stderr}`);
  // abuild copies the APKBUILD's local sources (source= entries without a URL) into $srcdir
  const local = await busybox('. ./APKBUILD; for s in $source; do case $s in *://*) ;; *) echo "$s" ;; esac; done', {}, ALPINE_DIR);
  if (local.code !== 0) throw new Error(`APKBUILD source=: ${local.stderr}`);
  for (const name of local.stdout.split('\n').filter(Boolean)) await copyFile(join(ALPINE_DIR, name), join(srcdir, name));
  // abuild's CFLAGS; on Alpine nodejs-dev puts Node's headers in /usr/include/node, here they are where this node's are
  const vars = { startdir: ALPINE_DIR, srcdir, pkgdir, CFLAGS: `-I${nodeIncludeDir()}` };
  const pkg = await busybox('. "$startdir"/APKBUILD; cd "$builddir"; build; package', vars);
  if (pkg.code !== 0) throw new Error(`build() + package() failed (${pkg.code}): ${pkg.stderr}`);
  return { dir, tarball, builddir: join(srcdir, `librespot2mqtt-${await version()}`), pkgdir };
}
