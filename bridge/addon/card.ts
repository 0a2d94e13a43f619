// The Lovelace card, put where Home Assistant serves it: <config>/www/ is /local/ to the browser. The
// image carries the card beside the bundle; each start puts it there when it is missing or another
// version, so an add-on update brings the card's update with it.
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Logger } from '../log.js';
import { VERSION } from '../version.js';

export const CARD_FILE = 'librespot2mqtt-card.js';
/** the dashboard resource to add once (Settings → Dashboards → ⋮ → Resources) */
export const cardResource = () => `/local/${CARD_FILE}?v=${VERSION}`;

export async function installCard(source: string, haConfig: string, log: Logger): Promise<void> {
  const www = join(haConfig, 'www');
  const target = join(www, CARD_FILE);
  const resource = `add it as a dashboard resource (Settings → Dashboards → ⋮ → Resources): ${cardResource()}, JavaScript module`;
  let card: Buffer;
  try {
    card = await readFile(source);
  } catch (err) {
    log.warn(`the dashboard card is not in this image (${source}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}): not installed`);
    return;
  }
  try {
    const old = await readFile(target).catch(() => null);
    if (old?.equals(card)) return log.info(`dashboard card: ${target} is current; ${resource}`);
    await mkdir(www, { recursive: true });
    // written beside and renamed in: a browser loading it meanwhile never gets half a file
    await writeFile(`${target}.new`, card);
    await rename(`${target}.new`, target);
    log.info(`dashboard card ${old ? 'updated' : 'installed'}: ${target}; ${resource}`);
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    log.warn(`cannot put the dashboard card into ${www} (${e.code ?? e.message}): the add-on needs "map: [homeassistant_config:rw]"; the card also works copied there by hand`);
  }
}
