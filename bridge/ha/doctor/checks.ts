// The doctor's checklist, as data: each check reads the facts Home Assistant gave and says what
// passed, or what failed and how to fix it. Pure functions: the tests feed them facts directly too.
import type { ResolvedConfig } from '../../config/schema.js';
import { uniqueId } from '../discovery.js';
import { ENTITIES, type EntityDef } from '../entities.js';
import { entityId } from '../entity-ids.js';
import type { Facts, RegistryEntity } from './facts.js';
import { CARD_FILE, cardResource } from '../../addon/card.js';

export interface Result {
  ok: boolean;
  title: string;
  detail?: string;
  /** what to do, on failure */
  fix?: string;
}

type Cfg = Pick<ResolvedConfig, 'device' | 'mqtt' | 'homeassistant'>;
interface Ours {
  def: EntityDef;
  entry: RegistryEntity | undefined;
}

const list = (xs: string[], max = 6) => xs.slice(0, max).join(', ') + (xs.length > max ? ` and ${xs.length - max} more` : '');

function ours(cfg: Cfg, facts: Facts): Ours[] {
  const byUid = new Map(facts.entities.filter((e) => e.platform === 'mqtt').map((e) => [e.unique_id, e]));
  return ENTITIES.map((def) => ({ def, entry: byUid.get(uniqueId(cfg, def.key)) }));
}

const CHECKS: Array<(cfg: Cfg, facts: Facts) => Result> = [
  (_cfg, f) => ({
    ok: f.components.includes('mqtt'),
    title: 'the MQTT integration is loaded',
    fix: 'add the MQTT integration (Settings → Devices & services → Add integration → MQTT) with the broker the bridge uses',
  }),
  (cfg, f) => {
    const id = `librespot2mqtt_${cfg.device.id}`;
    const device = f.devices.find((d) => d.identifiers.some(([domain, x]) => domain === 'mqtt' && x === id));
    return {
      ok: !!device,
      title: `the device "${cfg.device.name}" is registered`,
      fix: `Home Assistant has no device ${id}: is the bridge running, on the same broker as the MQTT integration, with mqtt.discovery on and mqtt.discovery_prefix "${cfg.mqtt.discovery_prefix}" matching Home Assistant's?`,
    };
  },
  (cfg, f) => {
    const missing = ours(cfg, f).filter((o) => !o.entry).map((o) => o.def.key);
    return {
      ok: missing.length === 0,
      title: `all ${ENTITIES.length} entities are registered`,
      detail: missing.length ? `missing: ${list(missing)}` : undefined,
      fix: 'restart the bridge (it republishes discovery), or check the MQTT integration\'s log for refused discovery messages',
    };
  },
  (cfg, f) => {
    const disabled = ours(cfg, f).filter((o) => o.entry?.disabled_by).map((o) => `${o.entry!.entity_id} (by ${o.entry!.disabled_by})`);
    return {
      ok: disabled.length === 0,
      title: 'every entity is enabled',
      detail: disabled.length ? `disabled: ${list(disabled)}` : undefined,
      fix: 'enable them in Settings → Entities (filter "librespot2mqtt")',
    };
  },
  (cfg, f) => {
    const down = ours(cfg, f).filter((o) => o.entry && !o.entry.disabled_by && ['unavailable', undefined].includes(f.states.get(o.entry.entity_id)));
    const needs = new Set(down.flatMap((o) => (o.def.needs.length ? o.def.needs : ['bridge'])));
    const why = [
      needs.has('bridge') && 'the bridge itself is offline (is it running and connected?)',
      needs.has('librespot') && `go-librespot is not reachable from the bridge (${cfg.mqtt.base_topic}/${cfg.device.id}/librespot says offline): is go-librespot running with server.enabled?`,
      needs.has('mixer') && 'the volume control does not work (sound card gone, or mixer.device / mixer.control wrong: see the bridge\'s log)',
    ].filter(Boolean);
    return {
      ok: down.length === 0,
      title: 'every entity is available',
      detail: down.length ? `unavailable: ${list(down.map((o) => o.entry!.entity_id))}` : undefined,
      fix: why.join('; '),
    };
  },
  (cfg, f) => {
    const moved = ours(cfg, f).filter((o) => o.entry && o.entry.entity_id !== entityId(cfg, o.def)).map((o) => `${o.entry!.entity_id} (expected ${entityId(cfg, o.def)})`);
    return {
      ok: moved.length === 0,
      title: 'entity ids are the ones the printed YAML and blueprints use',
      detail: moved.length ? `other ids: ${list(moved, 3)}` : undefined,
      fix: 'these entities were registered under other ids (renamed, or older than default_entity_id): rename them in Settings → Entities, or edit the ids in what you paste',
    };
  },
  (cfg, f) => {
    const installed = f.mediaPlayer ? ([f.mediaPlayer.documentation ?? '', ...(f.mediaPlayer.codeowners ?? [])].join(' ').match(/bkbilly|shyndman/i)?.[0]?.toLowerCase() ?? 'unknown') : 'none';
    const wanted = cfg.homeassistant.media_player;
    const title = `homeassistant.media_player (${wanted}) matches the installed media_player integration (${installed})`;
    if (installed === wanted || (installed === 'none' && wanted === 'none')) return { ok: true, title };
    if (installed === 'none') return { ok: false, title, fix: `install ${wanted === 'bkbilly' ? 'bkbilly/mqtt_media_player' : 'shyndman/ha-mqtt-media-player'} from HACS, or set homeassistant.media_player: none` };
    if (installed === 'unknown') return { ok: false, title, fix: 'an unknown mqtt_media_player integration is installed: librespot2mqtt speaks bkbilly\'s and shyndman\'s' };
    return { ok: false, title, fix: `set homeassistant.media_player: ${installed} in the bridge's configuration` };
  },
  (_cfg, f) => ({
    ok: !!f.resources?.some((u) => /librespot2mqtt-card/.test(u)),
    title: 'the librespot2mqtt card is a dashboard resource',
    detail: f.resources === null ? 'the resources could not be read (dashboards in YAML mode?)' : undefined,
    fix: `the add-on puts the card into /config/www/ at each start (without the add-on: copy card/${CARD_FILE} from this repository there), then Settings → Dashboards → ⋮ → Resources → Add: ${cardResource()}, JavaScript module`,
  }),
];

export const runChecks = (cfg: Cfg, facts: Facts): Result[] => CHECKS.map((c) => c(cfg, facts));
