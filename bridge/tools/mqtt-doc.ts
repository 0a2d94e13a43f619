// docs/mqtt.md, written from the tables the code runs on: topics, state schema, commands, entities
// and ctl's help. Every mosquitto_pub and ctl line in a sh block is executed by test/docs.test.ts;
// a `# → {...}` line under one is the exact answer the test expects.
import { z } from 'zod';
import { parseCommand } from '../commands/parse.js';
import { COMMANDS } from '../commands/table.js';
import { ConfigSchema } from '../config/schema.js';
import { ENTITIES } from '../ha/entities.js';
import { NEEDS, topicsFor, type Need } from '../ha/topics.js';
import { statePayload } from '../mqtt/payloads.js';
import { initialState, PlayerState } from '../state/state.js';
import { BridgeInfo } from '../mqtt/info.js';
import { ctlUsage } from '../ctl/usage.js';

const DEVICE = { id: 'livingroom', name: 'Living room' };
const t = topicsFor({ mqtt: ConfigSchema.parse({}).mqtt, device: DEVICE });
const BAD_VALUE = 'nonsense';
const REPLIES = 'scripts/replies';

type TopicKey = Exclude<keyof typeof t, 'base' | 'needs'>;
const TOPICS: Record<TopicKey, string> = {
  availability: '`online` / `offline`, retained; `offline` is also the last will',
  state: 'the state as JSON (below), retained, published on every change',
  info: 'what the bridge is: version, device, mixer, go-librespot URL and reachability, log level, start time (JSON, below), retained',
  get: 'ask for the state now: the bridge publishes it again and answers with it, its info and its clock',
  cover: 'the cover URL of the current track, retained (empty: none)',
  event: '`{"event_type":"track_changed","title":…,"artist":…,"album":…,"uri":…,"context_uri":…}`, not retained',
  error: '`{"event_type":<kind>,"stage":…,"message":…,"unplayable":…,"explanation":…,"uri":…}` for each playback error go-librespot (v0.10) reports, not retained',
  set: 'JSON commands; `set/<key>` takes one plain value',
  response: 'the answer to every command',
  groupSet: 'the same commands, obeyed by every bridge on the broker',
  discovery: 'Home Assistant device discovery, retained',
  haStatus: "Home Assistant's birth message: on `online` the bridge publishes discovery and state again",
  mediaPlayer: 'with `homeassistant.media_player` set: the HACS media_player\'s feeds (`state`, `title`, `artist`, `album`, `duration`, `position`, `volume`, `albumart`, …) and its commands on `media_player/set/<command>`, retained feeds',
  mediaPlayerDiscovery: 'with `homeassistant.media_player` set: the HACS integration\'s discovery, retained (both integrations read `homeassistant/` whatever `discovery_prefix` says)',
};
const NEED_TOPICS: Record<Need, string> = {
  librespot: '`online` / `offline`: the bridge reaches go-librespot, retained',
  mixer: '`online` / `offline`: the volume control works, retained',
};

const code = (s: string) => `\`${s.replace(/\|/g, '\\|')}\``;
const sh = (lines: string[]) => ['```sh', ...lines, '```'].join('\n');
const pub = (topic: string, payload: string, extra = '') => `mosquitto_pub -h localhost${extra} -t '${topic}' -m '${payload}'`;
/** a number stays a number in JSON; "+5" must stay a string (a JSON 5 is absolute) */
const jsonValue = (v: string): unknown => (/^\d+(\.\d+)?$/.test(v) ? Number(v) : v);
const STATE = '{…}';
/** the answer the bridge gives, from the bridge's own parser; the state after the command is elided */
const answerOf = (field: string | undefined, payload: string) => {
  const p = parseCommand(field, Buffer.from(payload));
  const body = p.ok ? { ok: true, command: p.command, state: STATE } : { ok: false, error: p.error };
  return JSON.stringify({ ...body, transaction: p.transaction }).replace(JSON.stringify(STATE), STATE);
};

function typeOf(s: Record<string, unknown>): string {
  if (Array.isArray(s.type)) return s.type.join(' or ');
  if (Array.isArray(s.anyOf)) return (s.anyOf as Record<string, unknown>[]).map(typeOf).join(' or ');
  if (Array.isArray(s.enum)) return (s.enum as unknown[]).map((v) => `"${v}"`).join(', ');
  if (s.type === 'integer' && typeof s.minimum === 'number')
    return s.maximum === Number.MAX_SAFE_INTEGER ? `integer ≥ ${s.minimum}` : `integer ${s.minimum}-${s.maximum}`;
  if (s.type === 'array') return `array of ${typeOf(s.items as Record<string, unknown>)}`;
  return String(s.type);
}

type JsonSchema = { properties: Record<string, Record<string, unknown>> };

function infoFields(): string[] {
  const schema = z.toJSONSchema(BridgeInfo, { io: 'output' }) as JsonSchema;
  const shape = (s: Record<string, unknown>): string =>
    s.type === 'object' ? `{${Object.entries((s as JsonSchema).properties).map(([k, v]) => `${k}: ${typeOf(v)}`).join(', ')}}` : typeOf(s);
  return ['| field | type | what |', '| --- | --- | --- |', ...Object.entries(schema.properties).map(([k, s]) => `| ${code(k)} | ${shape(s)} | ${s.description} |`)];
}

function stateFields(): string[] {
  const schema = z.toJSONSchema(PlayerState, { io: 'output' }) as JsonSchema;
  const rows = Object.entries(schema.properties).map(([k, s]) => `| ${code(k)} | ${typeOf(s)} |`);
  const extra = Object.entries(statePayload(initialState))
    .filter(([k]) => !(k in PlayerState.shape))
    .map(([k, v]) => `| ${code(k)} | ${typeof v}, at most 255 characters (for Home Assistant) |`);
  return ['| field | type |', '| --- | --- |', ...rows, ...extra];
}

function commands(): string[] {
  return COMMANDS.flatMap((c) => [
    `### ${c.key}`,
    '',
    `${c.doc} Accepts: ${c.values}.`,
    '',
    sh([
      ...c.examples.map((e) => pub(`${t.set}/${c.key}`, e)),
      pub(t.set, JSON.stringify({ [c.key]: jsonValue(c.examples[0]!) })),
    ]),
    '',
    'Refused:',
    '',
    sh([pub(`${t.set}/${c.key}`, BAD_VALUE), `# → ${answerOf(c.key, BAD_VALUE)}`]),
    '',
  ]);
}

function entities(): string[] {
  return [
    '| key | platform | name | available while | command topic | what |',
    '| --- | --- | --- | --- | --- | --- |',
    ...ENTITIES.map((e) => {
      const topic = e.config(t).command_topic;
      const needs = ['bridge', ...e.needs].map((n) => code(n)).join(' + ');
      return `| ${code(e.key)} | ${e.platform} | ${e.name} | ${needs} | ${typeof topic === 'string' ? code(topic) : ''} | ${e.doc.replace(/\|/g, '\\|')} |`;
    }),
  ];
}

export function mqttDoc(): string {
  const several = JSON.stringify({ volume: '+5', max_volume: 60 });
  const withTransaction = JSON.stringify({ action: 'next', transaction: 'kitchen-1' });
  const expired = JSON.stringify({ action: 'next', deadline: '2020-01-01T00:00:00.000Z' });
  return [
    '# MQTT interface',
    '',
    '<!-- generated by `npm run gen` (bridge/tools/generate.ts) from the tables the bridge runs on: do not edit -->',
    '',
    `The examples use \`device.id: ${DEVICE.id}\` and the default \`mqtt.base_topic: librespot2mqtt\`. Each`,
    'shell line below is run by the tests against a real broker and bridge.',
    '',
    '## Topics',
    '',
    '| topic | what |',
    '| --- | --- |',
    ...(Object.keys(TOPICS) as TopicKey[]).map((k) => `| ${code(t[k])} | ${TOPICS[k]} |`),
    ...NEEDS.map((n) => `| ${code(t.needs[n])} | ${NEED_TOPICS[n]} |`),
    `| ${code(`${t.set}/<key>`)} | one command as a plain value, for shells and Home Assistant |`,
    '',
    'Watch everything a bridge says:',
    '',
    sh([`mosquitto_sub -h localhost -v -t '${t.base}/#'`]),
    '',
    '## State',
    '',
    `${code(t.state)} carries one JSON object with these fields:`,
    '',
    ...stateFields(),
    '',
    '## Info',
    '',
    `${code(t.info)} says what the bridge is, like Zigbee2MQTT's \`bridge/info\`; it is published again when any of it changes:`,
    '',
    ...infoFields(),
    '',
    '## Get',
    '',
    `A message on ${code(t.get)} (empty, or \`{"transaction":…}\`) makes the bridge publish its state again and answer`,
    `on ${code(t.response)} with \`{"ok":true,"state":{…},"info":{…},"time":"…"}\` (\`time\`: the bridge's clock). A retained`,
    '`online` outlives a bridge that hangs; an answer to `get` does not, so `ctl` asks before it trusts one.',
    '',
    sh([pub(t.get, '')]),
    '',
    '## Commands',
    '',
    `Send a plain value to ${code(`${t.set}/<key>`)}, or a JSON object to ${code(t.set)}. Words are`,
    'read without regard to case and surrounding spaces. Numbers are decimal, whole for percentages',
    '(`30`; `+5` and `-5` are changes); anything else (`0x1F`, `1e2`, `30.5 %`) is refused. In JSON a number',
    'is absolute and a string like `"+5"` is a change, and on/off values read `1`, `0`, `true`, `false`, `"on"`, `"off"` alike on both paths.',
    'Commands must not be retained: a retained command is not run; it is answered with the reason once, and',
    `logged (clear one with \`mosquitto_pub -h localhost -r -n -t '${t.set}'\`).`,
    '',
    ...commands(),
    '### Several at once',
    '',
    `The keys of one JSON command run in this order, whatever their order in the object: ${COMMANDS.map((c) => code(c.key)).join(', ')}.`,
    '',
    sh([pub(t.set, several)]),
    '',
    'Unknown topics and payloads that are not JSON are refused too:',
    '',
    sh([
      pub(`${t.set}/loudness`, '30'),
      `# → ${answerOf('loudness', '30')}`,
      pub(t.set, 'next'),
      `# → ${answerOf(undefined, 'next')}`,
      pub(t.set, '{"loudness":30}'),
      `# → ${answerOf(undefined, '{"loudness":30}')}`,
    ]),
    '',
    '## Answers',
    '',
    `Every command is answered on ${code(t.response)}: \`{"ok":true,"command":{…},"state":{…}}\` with the`,
    'command as understood and the state after it, or `{"ok":false,"error":"…"}`. A JSON command may carry',
    '`"transaction"` (any JSON value): the answer echoes it, so a script can tell its answer from others.',
    '',
    sh([`mosquitto_sub -h localhost -v -t '${t.response}'`, pub(t.set, withTransaction), `# → ${answerOf(undefined, withTransaction)}`]),
    '',
    '### MQTT 5',
    '',
    'With MQTT 5 the answer goes to the response topic of the command, with its correlation data.',
    '',
    sh([
      `mosquitto_sub -h localhost -V 5 -v -t '${REPLIES}'`,
      pub(t.set, '{"action":"play"}', ` -V 5 -D publish response-topic '${REPLIES}' -D publish correlation-data 'req-1'`),
    ]),
    '',
    '### Deadlines',
    '',
    'A JSON command may carry `"deadline"`, an ISO 8601 time on the bridge\'s clock: a command that arrives later is',
    'refused, not run, so a sender that gave up waiting (a hung bridge, a slow network) never has it run behind its',
    "back. Nor is a request that a busy go-librespot refused (HTTP 503) sent to it again after the deadline: the",
    "answer says it was not run. `ctl` sets the deadline to the end of its `--timeout`, using the `time` of the",
    "bridge's answer to `get`, and with MQTT 5 also sets the message expiry interval, so a broker drops it unsent.",
    '',
    // the time it is late by differs each run: the doc test reads a trailing … as "starts with"
    sh([pub(t.set, expired), `# → ${JSON.stringify({ ok: false, error: 'expired …' })}`]),
    '',
    '## Every speaker at once',
    '',
    `${code(t.groupSet)} and ${code(`${t.groupSet}/<key>`)} reach every bridge on the broker; each answers on its own response topic.`,
    '',
    sh([pub(`${t.groupSet}/mute`, 'on'), pub(t.groupSet, '{"mute":"off"}')]),
    '',
    '## Home Assistant entities',
    '',
    `Discovered through ${code(t.discovery)}. An entity is available while the bridge and the sources it needs are online.`,
    '',
    ...entities(),
    '',
    '## ctl',
    '',
    '`librespot2mqtt ctl` sends these commands for people and scripts, reading the broker, credentials and',
    'base topic from the same configuration and environment as the bridge, and waits until the state shows',
    'the command.',
    '',
    '```text',
    ctlUsage(),
    '```',
    '',
    sh([
      'librespot2mqtt ctl status',
      'librespot2mqtt ctl list',
      'librespot2mqtt ctl volume 30',
      'librespot2mqtt ctl volume -5',
      'librespot2mqtt ctl mute on && echo done',
      'librespot2mqtt ctl mute off',
      `librespot2mqtt ctl --device ${DEVICE.id} next`,
      `librespot2mqtt ctl play-uri ${COMMANDS.find((c) => c.key === 'play_uri')!.examples[0]}`,
      'librespot2mqtt ctl max-volume 60',
      'librespot2mqtt ctl status --json',
    ]),
    '',
  ].join('\n');
}
