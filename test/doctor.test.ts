// `librespot2mqtt doctor` against a stand-in Home Assistant WebSocket server whose registries come
// from the discovery a real bridge published on a real broker: every check passes for a healthy
// speaker, and each failure path prints its fix.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { doctor, formatReport } from '../bridge/ha/doctor/doctor.js';
import { doctorAfterStart } from '../bridge/addon/doctor.js';
import { retained } from './helpers/mqtt.js';
import { captureLog, startSpeaker, until, type Speaker } from './helpers/setup.js';
import { startHaStandin, worldFromDiscovery, type HaStandin, type HaWorld } from './helpers/ha-standin.js';
import { WAIT_MS } from './helpers/patience.js';

const CLI = fileURLToPath(new URL('../bridge/cli.js', import.meta.url));

describe('librespot2mqtt doctor', () => {
  let s: Speaker;
  let healthy: HaWorld;
  let ha: HaStandin;
  before(async () => {
    s = await startSpeaker();
    await s.watcher.waitJson(s.topics.state, (v: any) => v.playback === 'playing');
    const seen = await retained(s.broker.url, ['#']);
    const discovery = JSON.parse(seen.find((m) => m.topic === s.topics.discovery)!.text);
    healthy = worldFromDiscovery(discovery, new Map(seen.map((m) => [m.topic, m.text])));
    ha = await startHaStandin(structuredClone(healthy));
  });
  after(async () => {
    await ha?.close();
    await s?.close();
  });

  /** the doctor against a world changed by `change` */
  async function diagnose(change: (w: HaWorld) => void = () => {}, token = healthy.token, cfg = s.cfg) {
    ha.world = structuredClone(healthy);
    change(ha.world);
    Object.assign(ha.world, { token: healthy.token });
    const r = await doctor(cfg, { url: ha.url, token });
    return { r, text: formatReport(r), failed: r.results.filter((x) => !x.ok) };
  }

  it('a healthy speaker passes every check, and the CLI exits 0', async () => {
    const { r, text } = await diagnose();
    assert.ok(r.ok, text);
    assert.ok(r.results.length >= 8, text);
    assert.match(text, /all \d+ checks passed/);
    const cli = await new Promise<{ code: number; out: string }>((resolve) =>
      execFile(process.execPath, [CLI, 'doctor', '--device-id', 'test', '--ha-url', ha.url], { env: { ...process.env, HASS_TOKEN: healthy.token } }, (err, out) =>
        resolve({ code: err ? (err.code as number) : 0, out }),
      ),
    );
    assert.equal(cli.code, 0, cli.out);
    assert.match(cli.out, /✓ all \d+ entities are registered/);
  });

  it('speaks the protocol home-assistant-js-websocket speaks: auth first, then supported_features, then the questions', async () => {
    ha.received.length = 0;
    await diagnose();
    assert.deepEqual(ha.received[0], { type: 'auth', access_token: healthy.token });
    assert.equal(ha.received[1].type, 'supported_features');
    const asked = ha.received.slice(2).map((m) => m.type).sort();
    assert.deepEqual(asked, ['config/device_registry/list', 'config/entity_registry/list', 'get_config', 'get_states', 'lovelace/resources', 'manifest/get']);
    assert.ok(ha.received.slice(1).every((m) => Number.isInteger(m.id)), 'every command has an id');
  });

  const cases: Array<[string, (w: HaWorld) => void, RegExp, RegExp]> = [
    ['MQTT not loaded', (w) => (w.components = ['homeassistant']), /✗ the MQTT integration is loaded/, /fix: add the MQTT integration/],
    ['device missing', (w) => { w.devices = []; w.entities = []; }, /✗ the device "Test speaker" is registered/, /fix: Home Assistant has no device librespot2mqtt_test/],
    ['an entity missing', (w) => (w.entities = w.entities.filter((e) => !e.unique_id.endsWith('_volume'))), /missing: volume/, /fix: restart the bridge/],
    ['an entity disabled', (w) => (w.entities.find((e) => e.unique_id.endsWith('_mute'))!.disabled_by = 'user'), /disabled: switch\.test_mute \(by user\)/, /fix: enable them in Settings → Entities/],
    ['player entities unavailable', (w) => w.states.forEach((x) => x.entity_id.endsWith('_title') && (x.state = 'unavailable')), /unavailable: sensor\.test_title/, /go-librespot is not reachable/],
    ['renamed entity', (w) => {
      // a rename in HA moves the registry entry and the state together
      w.entities.find((e) => e.unique_id.endsWith('_playing'))!.entity_id = 'binary_sensor.kitchen_playing';
      w.states.find((x) => x.entity_id === 'binary_sensor.test_playing')!.entity_id = 'binary_sensor.kitchen_playing';
    }, /binary_sensor\.kitchen_playing \(expected binary_sensor\.test_playing\)/, /rename them in Settings → Entities/],
    ['bkbilly installed, none configured', (w) => (w.manifests.mqtt_media_player = { domain: 'mqtt_media_player', documentation: 'https://github.com/bkbilly/mqtt_media_player' }), /✗ homeassistant.media_player \(none\) matches the installed media_player integration \(bkbilly\)/, /fix: set homeassistant.media_player: bkbilly/],
    ['card resource missing', (w) => (w.resources = []), /✗ the librespot2mqtt card is a dashboard resource/, /fix: the add-on puts the card into \/config\/www\/ at each start \(without the add-on: copy card\/librespot2mqtt-card\.js from this repository there\), then Settings → Dashboards → ⋮ → Resources → Add: \/local\/librespot2mqtt-card\.js\?v=\d+\.\d+\.\d+/],
    ['dashboards in YAML mode', (w) => (w.resources = null), /resources could not be read/, /Resources → Add/],
  ];
  for (const [name, change, what, fix] of cases)
    it(`${name}: one failed check, with its fix`, async () => {
      const { r, text, failed } = await diagnose(change);
      assert.equal(r.ok, false);
      assert.equal(failed.length, name === 'device missing' ? 2 : 1, text);
      assert.match(text, what);
      assert.match(text, fix);
    });

  it('shyndman configured but none installed: says what to install', async () => {
    const { text } = await diagnose(() => {}, healthy.token, { ...s.cfg, homeassistant: { media_player: 'shyndman' } });
    assert.match(text, /fix: install shyndman\/ha-mqtt-media-player from HACS, or set homeassistant.media_player: none/);
  });

  it('a refused token and an unreachable Home Assistant are one failed check each, with the fix', async () => {
    const bad = await diagnose(() => {}, 'wrong-token');
    assert.equal(bad.r.results.length, 1);
    assert.match(bad.text, /✗ .* answers and accepts the token\n    Home Assistant at http:\/\/127\.0\.0\.1:\d+ refused the token\n    fix: create a long-lived access token/);
    assert.ok(!bad.text.includes('wrong-token'), 'the token is never printed');
    const gone = await doctor(s.cfg, { url: 'http://127.0.0.1:9', token: healthy.token });
    assert.match(formatReport(gone), /not reachable at ws:\/\/127\.0\.0\.1:9\/api\/websocket\n    fix: check --ha-url/);
  });

  it('in the add-on: runs once after the start through the Supervisor’s proxy, the checklist in the log', async () => {
    const proxy = await startHaStandin(structuredClone(healthy), '/core/api/websocket');
    try {
      const { lines, log } = captureLog();
      const stop = new AbortController();
      doctorAfterStart(s.cfg, proxy.url, healthy.token, log, 0, stop.signal);
      await until(() => lines.some((l) => /Home Assistant check:/.test(l.msg)), WAIT_MS, 'the check');
      stop.abort();
      assert.ok(lines.some((l) => l.msg.startsWith('✓ all') && /entities are registered/.test(l.msg)));
      assert.ok(lines.some((l) => /Home Assistant check: all \d+ passed/.test(l.msg)), lines.map((l) => l.msg).join('\n'));
      assert.deepEqual(proxy.received[0], { type: 'auth', access_token: healthy.token });
    } finally {
      await proxy.close();
    }
  });
});
