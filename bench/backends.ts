// The ALSA mixer backends to compare, from the config schema: every mixer.backend but none, and
// with named backends (alsa-utils, alsa-native) not plain alsa, which only picks one of them.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Rig } from '../test/helpers/alsa-rig.js';

const SCHEMA = fileURLToPath(new URL('../../config/librespot2mqtt.schema.json', import.meta.url));

export function mixerBackends(): string[] {
  const schema = JSON.parse(readFileSync(SCHEMA, 'utf8')) as { properties: { mixer: { properties: { backend: { enum: string[] } } } } };
  const all = schema.properties.mixer.properties.backend.enum.filter((b) => b !== 'none');
  return all.length > 1 ? all.filter((b) => b !== 'alsa') : all;
}

/** The config and environment of a daemon on the rig's simulated HifiBerry AMP2. */
export const onRig = (rig: Rig, backend: string) => ({
  config: `mixer: {backend: ${backend}, device: amp2}\n`,
  env: { ALSA_CONFIG_PATH: rig.env.ALSA_CONFIG_PATH },
});
