// What we hand to Home Assistant users as YAML: the printed dashboard and universal media player,
// and the automation blueprints. Each must parse, name only entities the bridge publishes (by the
// ids HA gives them from default_entity_id), and its templates must render in real Jinja2.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parse, type Tags } from 'yaml';
import { resolveConfig } from '../bridge/config/load.js';
import { discoveryPayload } from '../bridge/ha/discovery.js';
import { topicsFor } from '../bridge/ha/topics.js';
import { ENTITIES } from '../bridge/ha/entities.js';
import { haYaml, HA_YAML, type HaYaml } from '../bridge/ha/yaml/print.js';
import { renderJinja } from './helpers/jinja.js';

const cfg = resolveConfig({ device: { id: 'living-room', name: 'Living Room Speaker' } });
const components = Object.values(discoveryPayload(cfg, topicsFor(cfg)).components) as Record<string, any>[];
const published = new Map(components.map((c) => [c.default_entity_id as string, c]));
const ENTITY_ID = /\b(?:sensor|binary_sensor|button|switch|select|number|image|text|event)\.[a-z0-9_]+/g;
// cv.entity_id (HA 2026.2+): lowercase, single underscores, none at either end
const VALID_ENTITY_ID = /^(?!.+__)(?!_)[\da-z_]+(?<!_)\.(?!_)[\da-z_]+(?<!_)$/;

/** every string in a parsed YAML tree but service names (action:, perform_action:) */
const entityStrings = (v: unknown): string[] =>
  v && typeof v === 'object'
    ? Object.entries(v).flatMap(([k, x]) => (k === 'action' || k === 'perform_action' ? [] : entityStrings(x)))
    : strings(v);
/** every string in a parsed YAML tree */
const strings = (v: unknown): string[] =>
  typeof v === 'string' ? [v] : v && typeof v === 'object' ? Object.values(v).flatMap(strings) : [];

describe('entity ids from default_entity_id', () => {
  it('every component sends a valid domain.object_id of its own platform, unique per device', () => {
    for (const id of ['living-room', 'a__b', 'kitchen-', '1st_floor', 'x']) {
      const c = resolveConfig({ device: { id } });
      const comps = Object.values(discoveryPayload(c, topicsFor(c)).components) as Record<string, any>[];
      const ids = comps.map((x) => x.default_entity_id as string);
      assert.equal(new Set(ids).size, ids.length, `${id}: unique`);
      for (const x of comps) {
        assert.match(x.default_entity_id, VALID_ENTITY_ID, `${id}: ${x.default_entity_id}`);
        assert.equal(x.default_entity_id.split('.')[0], x.platform, `${id}: ${x.default_entity_id} is a ${x.platform}`);
      }
    }
    assert.equal(published.get('number.living_room_volume')?.name, 'Volume');
  });
});

describe('librespot2mqtt ha <what>', () => {
  for (const what of Object.keys(HA_YAML) as HaYaml[]) {
    it(`${what}: parses and names only entities the bridge publishes`, () => {
      const text = haYaml(what, cfg);
      const doc = parse(text);
      const named = entityStrings(doc).flatMap((s) => s.match(ENTITY_ID) ?? []);
      assert.ok(named.length >= 5, `${what} names our entities (${named.length})`);
      for (const id of named) assert.ok(published.has(id.split('|')[0]!), `${what}: ${id} is not an entity the bridge publishes`);
    });
  }

  it('dashboard: the title card renders what plays, and says so when nothing does', () => {
    const doc = parse(haYaml('dashboard', cfg));
    const markdown = strings(doc).find((s) => s.includes('states('))!;
    const [playing, gone, none] = (<Record<string, string>[]>[
      { 'sensor.living_room_title': 'Clair de lune', 'sensor.living_room_artist': 'Debussy', 'sensor.living_room_album': 'Suite' },
      { 'sensor.living_room_title': 'unavailable' },
      { 'sensor.living_room_title': 'None' },
    ]).map((states) => renderJinja([markdown], states)[0]!.trim());
    assert.match(playing!, /^## Clair de lune\nDebussy · Suite$/);
    assert.equal(gone, '## Nothing playing');
    assert.equal(none, '## Nothing playing');
    const presses = strings(doc).filter((s) => s.startsWith('button.'));
    for (const key of ['previous', 'play', 'pause', 'next']) assert.ok(presses.includes(`button.living_room_${key}`), key);
  });

  it('media-player: the state template maps every playback state to a media_player state', () => {
    const mp = parse(haYaml('media-player', cfg)).media_player[0];
    assert.equal(mp.platform, 'universal');
    const cases: Record<string, string> = { playing: 'playing', paused: 'paused', buffering: 'buffering', idle: 'idle', off: 'off', unavailable: 'off', unknown: 'off' };
    const rendered = Object.keys(cases).map((s) => renderJinja([mp.state_template], { 'sensor.living_room_playback': s })[0]!.trim());
    assert.deepEqual(rendered, Object.values(cases));
    const [volume] = renderJinja([mp.commands.volume_set.data.value], {}, { volume_level: 0.355 });
    assert.equal(volume, '36.0');
    const mute = (muted: boolean) => renderJinja([mp.commands.volume_mute.action], {}, { is_volume_muted: muted })[0];
    assert.deepEqual([mute(true), mute(false)], ['switch.turn_on', 'switch.turn_off']);
    // volume_level is the attribute the volume number publishes for exactly this
    assert.match(published.get('number.living_room_volume')!.json_attributes_template, /volume_level=/);
  });
});

// ---- blueprints ----------------------------------------------------------------------------
class Input {
  constructor(readonly name: string) {}
}
const inputTag: Tags[number] = { tag: '!input', resolve: (name: string) => new Input(name) } as Tags[number];
const DIR = fileURLToPath(new URL('../../blueprints/automation/librespot2mqtt/', import.meta.url));
const blueprints = readdirSync(DIR).filter((f) => f.endsWith('.yaml'));

function inputsUsed(v: unknown): string[] {
  if (v instanceof Input) return [v.name];
  return v && typeof v === 'object' ? Object.values(v).flatMap(inputsUsed) : [];
}
function substitute(v: unknown, values: Record<string, unknown>): unknown {
  if (v instanceof Input) return values[v.name];
  if (Array.isArray(v)) return v.map((x) => substitute(x, values));
  if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, substitute(x, values)]));
  return v;
}
/** our components an entity selector's filters accept */
function matching(selector: any): Record<string, any>[] {
  const filters: any[] = [selector.entity?.filter ?? []].flat();
  return components.filter((c) =>
    filters.some((f) => f.integration === 'mqtt' && [f.domain].flat().includes(c.platform) && (!f.device_class || [f.device_class].flat().includes(c.device_class))),
  );
}

describe('automation blueprints', () => {
  it('there are the three the README promises', () => {
    assert.deepEqual(blueprints.sort(), ['amplifier_follows_music.yaml', 'mute_at_night.yaml', 'night_volume.yaml']);
  });

  for (const file of blueprints) {
    const doc = parse(readFileSync(`${DIR}${file}`, 'utf8'), { customTags: [inputTag] }) as any;
    const inputs: Record<string, any> = doc.blueprint.input;

    it(`${file}: an automation blueprint whose inputs are all declared and all used`, () => {
      assert.equal(doc.blueprint.domain, 'automation');
      assert.ok(doc.blueprint.name && doc.blueprint.description);
      const used = new Set(inputsUsed({ ...doc, blueprint: undefined }));
      assert.deepEqual([...used].sort(), Object.keys(inputs).sort());
      for (const [name, i] of Object.entries(inputs)) {
        assert.ok(i.name && i.selector, `${name}: a name and a selector`);
        if (i.selector.number && 'default' in i)
          assert.ok(i.default >= i.selector.number.min && i.default <= i.selector.number.max, `${name}: default in range`);
      }
    });

    it(`${file}: each entity selector for our entities matches the entity it is meant for`, () => {
      const ours = Object.entries(inputs).filter(([, i]) => [i.selector.entity?.filter ?? []].flat().some((f: any) => f.integration === 'mqtt'));
      assert.ok(ours.length >= 1);
      for (const [name, i] of ours) {
        const keys = matching(i.selector).map((c) => c.default_entity_id.replace('.living_room_', '.'));
        assert.ok(keys.length >= 1, `${name}: matches none of our entities`);
        assert.ok(keys.some((k) => k.endsWith(`.${name}`)), `${name}: the filter accepts ${keys.join(', ')}, not ${name}`);
      }
    });

    it(`${file}: rendered for sample inputs, it calls services that fit its targets`, () => {
      const sample: Record<string, unknown> = {};
      for (const [name, i] of Object.entries(inputs)) {
        const ours = matching(i.selector).find((c) => c.default_entity_id.endsWith(`_${name}`));
        sample[name] = i.selector.entity ? (ours?.default_entity_id ?? `${i.selector.entity.filter[0].domain}.amplifier`) : (i.default ?? 1);
      }
      const automation = substitute({ ...doc, blueprint: undefined }, sample) as any;
      assert.equal(inputsUsed(automation).length, 0, 'no !input left');
      const calls = strings(automation.actions).length ? JSON.stringify(automation.actions) : '';
      const services = [...calls.matchAll(/"action":"(\w+)\.(\w+)","target":\{"entity_id":"([\w.]+)"\}/g)];
      assert.ok(services.length >= 2, `${file}: actions call services (${calls})`);
      for (const [, domain, , target] of services) assert.equal(target!.split('.')[0], domain, `${domain} service on ${target}`);
      for (const t of automation.triggers) {
        if (t.trigger === 'state') assert.ok(published.has(t.entity_id), `trigger on ${t.entity_id}`);
        if (t.trigger === 'time') assert.match(t.at, /^\d\d:\d\d:\d\d$/);
      }
      for (const [, , , target] of services) if (!target!.endsWith('.amplifier')) assert.ok(published.has(target!), `${target} is ours`);
    });
  }
});
