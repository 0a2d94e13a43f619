// State per speaker: the default state file is named after device.id, so two bridges of one user
// keep their own cap; the old shared state.json is taken over by the first bridge that finds it.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../bridge/config/load.js';
import { defaultStateFile, PersistFile } from '../bridge/volume/persist.js';
import { captureLog } from './helpers/setup.js';

let dir: string;
before(async () => (dir = await mkdtemp(join(tmpdir(), 'l2m-state-'))));
after(() => rm(dir, { recursive: true, force: true }));

describe('state per speaker', () => {
  it('the default path holds device.id, under $XDG_STATE_HOME', async () => {
    assert.equal(defaultStateFile('kitchen', { XDG_STATE_HOME: '/srv/state' }), join('/srv/state', 'librespot2mqtt', 'kitchen.json'));
    const kitchen = await loadConfig({ env: { LIBRESPOT2MQTT_DEVICE_ID: 'kitchen' } });
    const bedroom = await loadConfig({ env: { LIBRESPOT2MQTT_DEVICE_ID: 'bedroom' } });
    assert.ok(kitchen.state_file.endsWith(join('librespot2mqtt', 'kitchen.json')), kitchen.state_file);
    assert.ok(bedroom.state_file.endsWith(join('librespot2mqtt', 'bedroom.json')), bedroom.state_file);
  });

  it('two speakers keep their own cap', async () => {
    const logs = captureLog();
    const a = new PersistFile(join(dir, 'a', 'kitchen.json'), logs.log);
    const b = new PersistFile(join(dir, 'a', 'bedroom.json'), logs.log);
    await a.load();
    await b.load();
    await a.save({ max_volume: 40, max_volume_config: 100 });
    assert.deepEqual(await new PersistFile(join(dir, 'a', 'bedroom.json'), logs.log).load(), {});
    assert.deepEqual(await new PersistFile(join(dir, 'a', 'kitchen.json'), logs.log).load(), { max_volume: 40, max_volume_config: 100 });
  });

  it('the old shared state.json goes to the first bridge that finds it, once', async () => {
    const shared = join(dir, 'state.json');
    await writeFile(shared, JSON.stringify({ max_volume: 55, max_volume_config: 100, muted_level: 30 }));
    const logs = captureLog();
    const first = await new PersistFile(join(dir, 'kitchen.json'), logs.log).load();
    assert.deepEqual(first, { max_volume: 55, max_volume_config: 100, muted_level: 30 });
    assert.ok(!existsSync(shared), 'state.json was moved, not copied');
    assert.deepEqual(JSON.parse(await readFile(join(dir, 'kitchen.json'), 'utf8')), first);
    assert.ok(logs.has(/^state is now kept per device\.id: moved .*state\.json to .*kitchen\.json$/), JSON.stringify(logs.lines));
    assert.deepEqual(await new PersistFile(join(dir, 'bedroom.json'), logs.log).load(), {}, 'the second bridge starts from its config');
  });

  it('a state_file set to state.json is used as it is', async () => {
    const path = join(dir, 'own', 'state.json');
    const logs = captureLog();
    const p = new PersistFile(path, logs.log);
    await p.load();
    await p.save({ max_volume: 70, max_volume_config: 100 });
    assert.deepEqual(await new PersistFile(path, logs.log).load(), { max_volume: 70, max_volume_config: 100 });
  });
});
