// Compiles alsa_mixer.c into alsa_mixer.node beside this file (dist/bridge/mixer/native/), with the
// system C compiler and the headers already on the machine: Node's own (Node-API, libuv) and
// alsa-lib's. Nothing is downloaded. Where it cannot be built (a part missing, or the compiler
// failing) the build says why in one line and succeeds, so npm ci does too, and mixer.backend alsa
// uses alsa-utils; CI and the rig tests fail instead when the addon does not load.
// Run by `npm run build` (and so by npm ci's prepare and npm run bundle).
import { execFile } from 'node:child_process';
import { existsSync, rmSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { promisify } from 'node:util';

export const SOURCE = fileURLToPath(new URL('../../../../bridge/mixer/native/alsa_mixer.c', import.meta.url));
export const ADDON = fileURLToPath(new URL('alsa_mixer.node', import.meta.url));

/** C flags without the include folders: plain C11 and Node-API, no C++ runtime to link. */
export const CFLAGS = ['-std=c11', '-D_GNU_SOURCE', '-O2', '-Wall', '-Wextra', '-fPIC'];

/** Where node_api.h and uv.h are: npm's nodedir if set, else <prefix of this node>/include/node. */
export function nodeIncludeDir(env: NodeJS.ProcessEnv = process.env): string {
  const prefix = env.npm_config_nodedir || dirname(dirname(process.execPath));
  return join(prefix, 'include', 'node');
}

export type BuildResult = { built: boolean; why: string };

export async function buildAddon(env: NodeJS.ProcessEnv = process.env): Promise<BuildResult> {
  const include = nodeIncludeDir(env);
  if (!existsSync(join(include, 'node_api.h'))) return { built: false, why: `Node's headers are not in ${include} (Alpine: apk add nodejs-dev)` };
  if (existsSync(ADDON) && statSync(ADDON).mtimeMs >= statSync(SOURCE).mtimeMs) return { built: true, why: 'up to date' };
  const cc = env.CC || 'cc';
  // an old build must not outlive a failed one
  rmSync(ADDON, { force: true });
  try {
    await promisify(execFile)(cc, [...CFLAGS, '-shared', '-I', include, '-o', ADDON, SOURCE, '-lasound'], { encoding: 'utf8' });
  } catch (err) {
    const e = err as NodeJS.ErrnoException & { stderr?: string };
    if (e.code === 'ENOENT') return { built: false, why: `no C compiler ('${cc}'; Alpine: apk add gcc musl-dev)` };
    const stderr = e.stderr ?? e.message;
    const header = /fatal error: (\S+): No such file/.exec(stderr)?.[1];
    if (header?.startsWith('alsa/')) return { built: false, why: 'the alsa-lib headers are not installed (Alpine: apk add alsa-lib-dev; Debian: apt-get install libasound2-dev)' };
    if (header) return { built: false, why: `the header ${header} is missing (Alpine: apk add musl-dev; Debian: apt-get install libc6-dev)` };
    return { built: false, why: `${cc} failed: ${stderr.split('\n').find((l) => /error/.test(l)) ?? stderr.trim().split('\n')[0]}` };
  }
  return { built: true, why: 'compiled' };
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const { built, why } = await buildAddon();
  if (!built) console.log(`native ALSA mixer not built: ${why}; mixer.backend alsa will use alsa-utils`);
  else if (why !== 'up to date') console.log(`native ALSA mixer: ${why} dist/bridge/mixer/native/alsa_mixer.node`);
}
