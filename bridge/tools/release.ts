// npm run release: dist/librespot2mqtt-<version>.tar.gz, what a speaker needs without npm: the
// bundle (npm run bundle), the native mixer's C source, the example configurations, the Alpine files (APKBUILD, OpenRC services)
// and install.sh. Unpacked, it is also the $builddir the APKBUILD's package() installs from.
import { execFileSync } from 'node:child_process';
import { chmod, copyFile, mkdir, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const repo = (path: string) => fileURLToPath(new URL(`../../../${path}`, import.meta.url));

/** the Alpine files keep the names the APKBUILD's source= gives them */
const ALPINE = ['APKBUILD', 'librespot2mqtt.initd', 'librespot2mqtt.confd', 'librespot2mqtt.pre-install', 'librespot2mqtt.post-install', 'go-librespot.initd', 'go-librespot.confd'];
/** path in the tarball → path in the repository */
const FILES: Record<string, string> = {
  'librespot2mqtt.mjs': 'dist/librespot2mqtt.mjs',
  // the native ALSA mixer, compiled by the APKBUILD's build() on the target
  'alsa_mixer.c': 'bridge/mixer/native/alsa_mixer.c',
  'librespot2mqtt.example.yaml': 'config/librespot2mqtt.example.yaml',
  'librespot2mqtt.schema.json': 'config/librespot2mqtt.schema.json',
  'go-librespot.example.yml': 'config/go-librespot.example.yml',
  'README.md': 'README.md',
  'install.sh': 'config/alpine/install.sh',
  ...Object.fromEntries(ALPINE.map((f) => [`alpine/${f}`, `config/alpine/${f}`])),
};
const EXECUTABLE = /(\.sh|\.initd|\.pre-install|\.post-install|\.mjs)$/;

/** Writes `<outDir>/librespot2mqtt-<version>.tar.gz` and returns its path. */
export async function release(outDir = repo('dist')): Promise<string> {
  const { version } = JSON.parse(await readFile(repo('package.json'), 'utf8')) as { version: string };
  const name = `librespot2mqtt-${version}`;
  const stage = join(outDir, 'release');
  await rm(stage, { recursive: true, force: true });
  await mkdir(join(stage, name, 'alpine'), { recursive: true });
  for (const [to, from] of Object.entries(FILES)) {
    await copyFile(repo(from), join(stage, name, to));
    await chmod(join(stage, name, to), EXECUTABLE.test(to) ? 0o755 : 0o644);
  }
  const tarball = join(outDir, `${name}.tar.gz`);
  execFileSync('tar', ['-czf', tarball, '-C', stage, name]);
  await rm(stage, { recursive: true, force: true });
  return tarball;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) console.log(`wrote ${await release()}`);
