// npm run bundle: the daemon and ctl as one ESM file, dist/librespot2mqtt.mjs, with every dependency
// inside, for the Alpine package and the release tarball (no node_modules on the Pi).
// Not code-split: esbuild wraps a module reached only through import() in a function that runs on
// first import, so the demo broker, the emulator, ctl and the ALSA code cost parse time, not start-up work.
import { existsSync } from 'node:fs';
import { chmod, copyFile, readFile, rm, stat } from 'node:fs/promises';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build, type Plugin } from 'esbuild';

const repo = (path: string) => fileURLToPath(new URL(`../../../${path}`, import.meta.url));
export const BUNDLE = repo('dist/librespot2mqtt.mjs');
/** The native mixer (when it was built) goes beside the bundle, where the bundled loader looks for it. */
export const BUNDLE_ADDON = repo('dist/alsa_mixer.node');

/** bridge/version.ts reads package.json beside dist/ at run time; the bundle has no package.json */
const bakedVersion = (version: string): Plugin => ({
  name: 'baked-version',
  setup(b) {
    b.onLoad({ filter: /[\\/]bridge[\\/]version\.ts$/ }, () => ({ contents: `export const VERSION = ${JSON.stringify(version)};`, loader: 'ts' }));
  },
});

/** zod exports ~40 translations of its messages (a quarter of the bundle); the bridge words its own and zod's default is en */
const zodEnglishOnly: Plugin = {
  name: 'zod-english-only',
  setup(b) {
    b.onLoad({ filter: /[\\/]zod[\\/]v4[\\/]locales[\\/]index\.js$/ }, () => ({ contents: 'export { default as en } from "./en.js";', loader: 'js' }));
  },
};

/** Parts of dependencies the bridge never uses, that their modules load at start anyway: MQTT.js's
 * SOCKS proxy support (with dns, assert and two more packages) and pino's worker-thread transports
 * (log.ts formats in this thread). Replaced by a module that says so if it is ever called: 86 KB
 * of bundle and 0.8 MB of idle RSS (npm run bench, README "Performance"). */
const STUBS: Record<string, string> = {
  'mqtt/build/lib/connect/socks.js': 'module.exports = { default() { throw new Error("librespot2mqtt: MQTT over a SOCKS proxy is not supported") } };',
  'thread-stream/index.js': 'module.exports = class { constructor() { throw new Error("librespot2mqtt: pino transports are not supported") } };',
};
const unusedParts: Plugin = {
  name: 'unused-parts',
  setup(b) {
    for (const [path, contents] of Object.entries(STUBS)) {
      const filter = new RegExp(`[\\\\/]node_modules[\\\\/]${path.replace(/[./]/g, (c) => (c === '/' ? '[\\\\/]' : '\\.'))}$`);
      b.onLoad({ filter }, () => ({ contents, loader: 'js' }));
    }
  },
};

/** CommonJS dependencies (mqtt, pino, aedes) call require() for node built-ins */
export const REQUIRE_BANNER = "import { createRequire as __l2mRequire } from 'node:module'; const require = __l2mRequire(import.meta.url);";

export async function bundle(): Promise<{ path: string; bytes: number }> {
  const { version } = JSON.parse(await readFile(repo('package.json'), 'utf8')) as { version: string };
  await build({
    entryPoints: [repo('bridge/cli.ts')],
    outfile: BUNDLE,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    minify: true,
    // class names stay readable in logged errors ("type":"ConfigError")
    keepNames: true,
    banner: { js: REQUIRE_BANNER },
    plugins: [bakedVersion(version), zodEnglishOnly, unusedParts],
    logLevel: 'warning',
  });
  await chmod(BUNDLE, 0o755);
  const addon = repo('dist/bridge/mixer/native/alsa_mixer.node');
  if (existsSync(addon)) await copyFile(addon, BUNDLE_ADDON);
  else await rm(BUNDLE_ADDON, { force: true });
  return { path: BUNDLE, bytes: (await stat(BUNDLE)).size };
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const { bytes } = await bundle();
  console.log(`wrote dist/librespot2mqtt.mjs (${(bytes / 1024).toFixed(0)} KiB)`);
}
