// npm run gen: writes docs/mqtt.md, config/librespot2mqtt.schema.json and the add-on's manifests from the code's own tables;
// test/docs.test.ts fails when a committed copy differs.
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { z } from 'zod';
import { ConfigSchema } from '../config/schema.js';
import { mqttDoc } from './mqtt-doc.js';
import { addonManifest, addonTranslations, repositoryManifest } from '../addon/manifest.js';

export { mqttDoc };

export function configSchema(): string {
  return `${JSON.stringify(z.toJSONSchema(ConfigSchema, { io: 'input' }), null, 2)}\n`;
}

/** the generated files, relative to the repository (this file runs from dist/bridge/tools) */
export const GENERATED = {
  'docs/mqtt.md': mqttDoc,
  'config/librespot2mqtt.schema.json': configSchema,
  'addon/config.yaml': addonManifest,
  'addon/translations/en.yaml': addonTranslations,
  'repository.yaml': repositoryManifest,
};

const repoFile = (path: string) => fileURLToPath(new URL(`../../../${path}`, import.meta.url));

async function main(): Promise<void> {
  for (const [path, make] of Object.entries(GENERATED)) {
    await mkdir(dirname(repoFile(path)), { recursive: true });
    await writeFile(repoFile(path), make());
    console.log(`wrote ${path}`);
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) await main();
