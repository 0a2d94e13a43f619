// The retained Home Assistant device discovery message, checked against HA's rules
// (notes/ha-mqtt-discovery.md 1.2–1.8 and 2) as a fresh subscriber on the real broker sees it.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startSpeaker, until, type Speaker } from './helpers/setup.js';
import { startBroker, type TestBroker } from './helpers/broker.js';
import { on, retained } from './helpers/mqtt.js';
import { resolveConfig, ConfigError } from '../bridge/config/load.js';
import { PLAYBACK, REPEAT } from '../bridge/state/state.js';
import { WAIT_MS } from './helpers/patience.js';

// HA's SUPPORTED_COMPONENTS (homeassistant/components/mqtt/const.py)
const SUPPORTED = new Set([
  'alarm_control_panel', 'binary_sensor', 'button', 'camera', 'climate', 'cover', 'device_automation', 'device_tracker',
  'event', 'fan', 'humidifier', 'image', 'lawn_mower', 'light', 'lock', 'notify', 'number', 'scene', 'siren', 'select',
  'sensor', 'switch', 'tag', 'text', 'update', 'vacuum', 'valve', 'water_heater',
]);
const READ_ONLY = new Set(['sensor', 'binary_sensor', 'event']); // state_topic required
const READ_WRITE = new Set(['switch', 'select', 'text', 'button', 'number']); // command_topic required

// the entities that show or drive go-librespot: unavailable while it is unreachable
const PLAYER = [
  'playback', 'title', 'artist', 'album', 'cover', 'session', 'play', 'pause', 'next', 'previous', 'shuffle', 'repeat', 'play_uri', 'track_changed',
  'playing_from', 'up_next', 'playback_error', 'last_error', 'pairing',
];
// Playing says off while go-librespot is unreachable (nothing can play): an automation waiting for
// "off for 10 minutes" must see off, not unavailable; only the bridge's own availability applies
const BRIDGE_ONLY = ['playing', 'max_volume'];
type Component = Record<string, any>;
type Discovery = { device: Record<string, any>; origin: Record<string, any>; components: Record<string, Component> };

/** Every topic a discovery payload names: *_topic keys and availability[].topic. */
function topicsOf(d: Discovery): string[] {
  return Object.values(d.components).flatMap((c) => [
    ...Object.entries(c).filter(([k]) => k.endsWith('_topic')).map(([, v]) => v as string),
    ...(c.availability ?? []).map((a: { topic: string }) => a.topic),
  ]);
}

function validTopic(t: unknown): boolean {
  return typeof t === 'string' && t.length > 0 && !/[#+\u0000]/.test(t) && !t.startsWith('/') && !t.endsWith('/') && !t.includes('//');
}

describe('Home Assistant device discovery on a real broker', () => {
  let s: Speaker;
  let d: Discovery;
  let seen: Awaited<ReturnType<typeof retained>>;
  before(async () => {
    s = await startSpeaker();
    await s.watcher.waitJson<any>(s.topics.state, (v) => v.playback === 'playing' && v.track);
    seen = await retained(s.broker.url, [s.topics.discovery, `${s.topics.base}/#`]);
    d = JSON.parse(seen.find((m) => m.topic === s.topics.discovery)!.text) as Discovery;
  });
  after(() => s?.close());

  it('is one retained message on homeassistant/device/librespot2mqtt_<id>/config', () => {
    assert.equal(s.topics.discovery, 'homeassistant/device/librespot2mqtt_test/config');
    const fresh = seen.filter((m) => m.topic === s.topics.discovery);
    assert.equal(fresh.length, 1, 'a fresh subscriber gets exactly one discovery message');
    assert.equal(fresh[0]!.retain, true);
    assert.equal(on(s.watcher, s.topics.discovery).length, 1, 'start-up published discovery once');
  });

  it('has only device, origin and components at the root (HA rejects extra root keys)', () => {
    assert.deepEqual(Object.keys(d).sort(), ['components', 'device', 'origin']);
    assert.deepEqual(d.device.identifiers, ['librespot2mqtt_test']);
    assert.equal(d.device.name, 'Test speaker');
    assert.equal(d.device.manufacturer, 'librespot2mqtt');
    assert.equal(d.origin.name, 'librespot2mqtt');
    for (const key of PLAYER) assert.ok(d.components[key], `component ${key}`);
    assert.ok(d.components.librespot, 'the go-librespot connectivity sensor');
  });

  it('every component: supported platform, unique unique_id, no object_id, valid topics, availability', () => {
    const ids = new Set<string>();
    for (const [key, c] of Object.entries(d.components)) {
      const at = `component ${key}`;
      assert.ok(SUPPORTED.has(c.platform), `${at}: platform ${c.platform} is not one HA supports`);
      assert.equal(typeof c.unique_id, 'string', `${at}: unique_id`);
      assert.ok(!ids.has(c.unique_id), `${at}: duplicate unique_id ${c.unique_id}`);
      ids.add(c.unique_id);
      assert.match(c.unique_id, /^librespot2mqtt_test_/);
      for (const banned of ['object_id', 'obj_id', 'platform_id', '~']) assert.ok(!(banned in c), `${at}: has ${banned}`);
      for (const [k, v] of Object.entries(c)) if (k.endsWith('_topic')) assert.ok(validTopic(v), `${at}: ${k} ${JSON.stringify(v)}`);
      if (READ_ONLY.has(c.platform)) assert.ok(validTopic(c.state_topic), `${at}: needs state_topic`);
      if (READ_WRITE.has(c.platform)) assert.ok(c.command_topic.startsWith(`${s.topics.set}/`), `${at}: command_topic under set/`);
      assert.ok(Array.isArray(c.availability), `${at}: availability list`);
      assert.ok(!('availability_topic' in c), `${at}: availability and availability_topic are exclusive`);
      for (const a of c.availability) assert.ok(validTopic(a.topic), `${at}: availability topic ${a.topic}`);
      const avail = c.availability.map((a: { topic: string }) => a.topic);
      assert.ok(avail.includes(s.topics.availability), `${at}: lists the bridge availability`);
      assert.equal(c.availability_mode, 'all', `${at}: availability_mode`);
      const needTopics = Object.values(s.topics.needs) as string[];
      for (const a of avail) assert.ok(a === s.topics.availability || needTopics.includes(a), `${at}: unknown availability topic ${a}`);
      // a connectivity sensor must stay available to say "off": it does not depend on its own topic
      if (needTopics.includes(c.state_topic)) assert.ok(!avail.includes(c.state_topic), `${at}: depends on itself`);
      if (PLAYER.includes(key)) assert.ok(avail.includes(s.topics.needs.librespot), `${at}: player entity lists the go-librespot availability`);
      if (BRIDGE_ONLY.includes(key)) assert.deepEqual(avail, [s.topics.availability], `${at}: only the bridge's availability`);
      if (c.platform === 'sensor' || c.platform === 'binary_sensor') assert.notEqual(c.entity_category, 'config', `${at}: entity_category config`);
      if ('entity_category' in c) assert.ok(['config', 'diagnostic'].includes(c.entity_category), at);
    }
  });

  it('platform rules: image url_topic without content_type, select/enum options, text max ≤ 255, event types', () => {
    const cs = Object.values(d.components);
    const images = cs.filter((c) => c.platform === 'image');
    assert.ok(images.length >= 1);
    for (const c of images) {
      assert.equal(c.url_topic, s.topics.cover);
      assert.ok(!('content_type' in c) && !('image_topic' in c), 'url_topic excludes content_type and image_topic');
    }
    const st = s.state();
    for (const c of cs.filter((c) => c.platform === 'select')) {
      assert.ok(Array.isArray(c.options) && c.options.length > 0 && c.options.every((o: unknown) => typeof o === 'string'));
    }
    assert.deepEqual(d.components.repeat!.options, [...REPEAT]);
    assert.ok(d.components.repeat!.options.includes(st.repeat), 'the current repeat is one of the options');
    for (const c of cs.filter((c) => c.device_class === 'enum')) {
      assert.ok(Array.isArray(c.options) && c.options.length > 0);
      assert.ok(!('state_class' in c) && !('unit_of_measurement' in c), 'options exclude state_class and unit');
    }
    assert.deepEqual(d.components.playback!.options, [...PLAYBACK]);
    assert.ok(d.components.playback!.options.includes(st.playback));
    for (const c of cs.filter((c) => 'options' in c)) assert.ok(c.platform === 'select' || c.device_class === 'enum', `${c.unique_id}: options need enum`);
    for (const c of cs.filter((c) => c.platform === 'text')) {
      assert.ok(typeof c.max === 'number' && c.max <= 255 && c.max >= (c.min ?? 0), `${c.unique_id}: max ${c.max}`);
    }
    for (const c of cs.filter((c) => c.platform === 'event')) assert.ok(Array.isArray(c.event_types) && c.event_types.length > 0);
  });

  it('every value_json field a template reads exists in the published state JSON', () => {
    const state = s.state();
    const stateKeys = new Set(Object.keys(state));
    const trackKeys = new Set(Object.keys(state.track ?? {}));
    let refs = 0;
    for (const [key, c] of Object.entries(d.components))
      for (const [k, v] of Object.entries(c)) {
        if (typeof v !== 'string' || !v.includes('value_json')) continue;
        const topic = k === 'json_attributes_template' ? c.json_attributes_topic : c.state_topic;
        assert.equal(topic, s.topics.state, `${key}.${k} reads the state topic`);
        for (const m of v.matchAll(/value_json\.(\w+)(?:\.(\w+))?/g)) {
          refs++;
          assert.ok(stateKeys.has(m[1]!), `${key}.${k}: value_json.${m[1]} is not in the state (${[...stateKeys].join(', ')})`);
          if (m[1] === 'track' && m[2]) assert.ok(trackKeys.has(m[2]), `${key}.${k}: value_json.track.${m[2]}`);
        }
      }
    assert.ok(refs >= 10, `templates reference the state (${refs} references)`);
  });

  it('the topics it names carry retained values; the event topic is never retained', () => {
    const retainedTopics = new Set(seen.filter((m) => m.retain).map((m) => m.topic));
    const readTopics = Object.values(d.components).flatMap((c) =>
      [c.state_topic, c.json_attributes_topic, c.url_topic].filter((t): t is string => typeof t === 'string'),
    );
    for (const t of new Set([...readTopics, s.topics.availability, s.topics.needs.librespot]))
      if (t === s.topics.event || t === s.topics.error) assert.ok(!retainedTopics.has(t), 'event entities ignore retained messages: never retain');
      else assert.ok(retainedTopics.has(t), `${t} has a retained value`);
  });
});

describe('two bridges on one broker', () => {
  let broker: TestBroker;
  let a: Speaker;
  let b: Speaker;
  before(async () => {
    broker = await startBroker();
    a = await startSpeaker({ broker, config: { device: { id: 'alpha', name: 'Alpha' } } });
    b = await startSpeaker({ broker, config: { device: { id: 'beta', name: 'Beta' } } });
  });
  after(async () => {
    await a?.close();
    await b?.close();
    if (broker) await broker.close();
  });

  it('have disjoint topics and unique_ids, and a command reaches only its own speaker', async () => {
    const da = await a.watcher.waitJson<Discovery>(a.topics.discovery);
    const db = await b.watcher.waitJson<Discovery>(b.topics.discovery);
    assert.notEqual(a.topics.discovery, b.topics.discovery);
    assert.notDeepEqual(da.device.identifiers, db.device.identifiers);
    const ta = new Set(topicsOf(da));
    const shared = topicsOf(db).filter((t) => ta.has(t));
    assert.deepEqual(shared, [], 'no topic is shared');
    const ua = new Set(Object.values(da.components).map((c) => c.unique_id));
    assert.deepEqual(Object.values(db.components).map((c) => c.unique_id).filter((u) => ua.has(u)), []);

    const [ra, rb] = [a.emulator.requests.length, b.emulator.requests.length];
    await a.watcher.publish(da.components.next!.command_topic, da.components.next!.payload_press);
    const posted = (s: Speaker, since: number) => s.emulator.requests.slice(since).filter((r) => r.path === '/player/next');
    await until(() => posted(a, ra).length === 1, WAIT_MS, 'POST /player/next on alpha');
    await new Promise((r) => setTimeout(r, 200));
    assert.equal(posted(b, rb).length, 0, 'beta did not get alpha\'s command');
  });

  it('a device id cannot be "all": <base>/all/set is the whole-house topic every bridge obeys', () => {
    assert.throws(() => resolveConfig({ device: { id: 'all' } }), (e: unknown) => e instanceof ConfigError && /device\.id: .*all/.test(e.message));
    assert.doesNotThrow(() => resolveConfig({ device: { id: 'allroom' } }));
  });
});
