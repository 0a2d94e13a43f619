// Compiles alsa_mixer.c into alsa_mixer.node beside this file (dist/bridge/mixer/native/), with the
// system C compiler and the headers already on the machine: Node's own (Node-API, libuv) and
// alsa-lib's. Nothing is downloaded. Where a part is missing the build says so in one line and
// succeeds, and mixer.backend alsa uses alsa-utils; a compile error with everything present fails.
// Run by `npm run build` (and so by npm ci's prepare and npm run bundle).
import { execFile } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
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
  try {
    await promisify(execFile)(cc, [...CFLAGS, '-shared', '-I', include, '-o', ADDON, SOURCE, '-lasound'], { encoding: 'utf8' });
  } catch (err) {
    const e = err as NodeJS.ErrnoException & { stderr?: string };
    if (e.code === 'ENOENT') return { built: false, why: `no C compiler ('${cc}'; Alpine: apk add gcc musl-dev)` };
    if (/alsa\/asoundlib\.h/.test(e.stderr ?? '') && /No such file/.test(e.stderr ?? '')) {
      return { built: false, why: 'the alsa-lib headers are not installed (Alpine: apk add alsa-lib-dev; Debian: apt-get install libasound2-dev)' };
    }
    throw new Error(`compiling ${SOURCE} failed:\n${e.stderr ?? e.message}`, { cause: err });
  }
  return { built: true, why: 'compiled' };
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const { built, why } = await buildAddon();
  if (!built) console.log(`native ALSA mixer not built: ${why}; mixer.backend alsa will use alsa-utils`);
  else if (why !== 'up to date') console.log(`native ALSA mixer: ${why} dist/bridge/mixer/native/alsa_mixer.node`);
}
