// The shipped example configuration: valid, and it mentions every key the schema has.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadConfig } from '../bridge/config/load.js';
import { ConfigSchema } from '../bridge/config/schema.js';
import { envName, leaves } from '../bridge/config/env.js';

const root = fileURLToPath(new URL('../../', import.meta.url));
const example = `${root}config/librespot2mqtt.example.yaml`;

describe('config/librespot2mqtt.example.yaml', () => {
  it('is valid and gives the defaults', async () => {
    const cfg = await loadConfig({ file: example, env: {} });
    assert.equal(cfg.mqtt.url, 'mqtt://127.0.0.1:1883');
    assert.equal(cfg.mixer.backend, 'alsa');
    assert.equal(cfg.volume.max, 100);
    assert.ok(cfg.state_file.endsWith(join('librespot2mqtt', `${cfg.device.id}.json`)), `one state file per device.id: ${cfg.state_file}`);
  });

  it('documents every key of the schema (commented or not)', () => {
    const text = readFileSync(example, 'utf8');
    const missing = leaves(ConfigSchema)
      .map((l) => l.path.at(-1)!)
      .filter((key) => !new RegExp(`^\\s*#?\\s*${key}:`, 'm').test(text));
    assert.deepEqual(missing, []);
  });

  it('environment names come from the schema paths and win over the file', async () => {
    assert.equal(envName(['mqtt', 'base_topic']), 'LIBRESPOT2MQTT_MQTT_BASE_TOPIC');
    const cfg = await loadConfig({
      file: example,
      env: { LIBRESPOT2MQTT_MQTT_BASE_TOPIC: 'speakers', LIBRESPOT2MQTT_VOLUME_MAX: '60', LIBRESPOT2MQTT_MQTT_USERNAME: 'speaker', LIBRESPOT2MQTT_MQTT_PASSWORD: '0123' },
    });
    assert.equal(cfg.mqtt.base_topic, 'speakers');
    assert.equal(cfg.volume.max, 60);
    assert.equal(cfg.mqtt.password, '0123', 'a text key keeps leading zeros');
  });
});
