// npm run build:card: bundles card/src into the one file users install (card/librespot2mqtt-card.js,
// committed so it can be downloaded without a build); test/card.test.ts fails when it is stale.
import { build } from 'esbuild';
import { writeFile } from 'node:fs/promises';
import { fileURLToPath, pathToFileURL } from 'node:url';

export const CARD_FILE = 'card/librespot2mqtt-card.js';
// this file runs from dist/card
export const repoFile = (path: string) => fileURLToPath(new URL(`../../${path}`, import.meta.url));

export async function bundleCard(): Promise<string> {
  const result = await build({
    entryPoints: [repoFile('card/src/index.ts')],
    bundle: true,
    minify: true,
    format: 'esm',
    // what HA's frontend itself needs ("modern" build); nothing newer
    target: 'es2021',
    write: false,
    legalComments: 'none',
    banner: { js: '// librespot2mqtt-card: built from card/src by `npm run build:card`; MDI icon paths Apache-2.0' },
  });
  return result.outputFiles[0]!.text;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const code = await bundleCard();
  await writeFile(repoFile(CARD_FILE), code);
  console.log(`wrote ${CARD_FILE} (${code.length} bytes)`);
}
