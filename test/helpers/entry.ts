// The command line the CLI and ctl tests run: the compiled sources (dist/bridge/cli.js), or with
// L2M_TEST_ENTRY=bundle the shipped one-file bundle (dist/librespot2mqtt.mjs, from npm run bundle),
// so the file users install is the file the tests ran.
import { copyFileSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const SOURCES_ENTRY = fileURLToPath(new URL('../../bridge/cli.js', import.meta.url));
export const BUNDLE = fileURLToPath(new URL('../../librespot2mqtt.mjs', import.meta.url));
/** the native mixer, shipped beside the bundle where it was built (npm run bundle puts it there) */
const BUNDLE_ADDON = fileURLToPath(new URL('../../alsa_mixer.node', import.meta.url));

/** The bundle alone in a folder (with the native mixer, as shipped): no node_modules up the tree can stand in for what it lacks. */
export function isolatedBundle(): string {
  if (!existsSync(BUNDLE)) throw new Error(`${BUNDLE} is missing: run npm run bundle (npm test does)`);
  const dir = mkdtempSync(join(tmpdir(), 'l2m-bundle-'));
  process.once('exit', () => rmSync(dir, { recursive: true, force: true }));
  const path = join(dir, 'librespot2mqtt.mjs');
  copyFileSync(BUNDLE, path);
  if (existsSync(BUNDLE_ADDON)) copyFileSync(BUNDLE_ADDON, join(dir, 'alsa_mixer.node'));
  return path;
}

let chosen: string | undefined;

/** the file to run with node */
export function cliEntry(): string {
  const name = process.env.L2M_TEST_ENTRY ?? 'sources';
  if (name !== 'sources' && name !== 'bundle') throw new Error(`L2M_TEST_ENTRY=${name}: must be sources or bundle`);
  return (chosen ??= name === 'bundle' ? isolatedBundle() : SOURCES_ENTRY);
}
