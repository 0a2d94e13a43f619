// librespot2mqtt ctl: the command line for people and scripts. It exits 0 only once the bridge has
// answered ok and its retained state shows the command, so `ctl mute on && echo done` is honest.
import { parseArgs } from 'node:util';
import { ConfigError, loadConfig } from '../config/load.js';
import type { ResolvedConfig } from '../config/schema.js';
import { setPath } from '../config/env.js';
import { topicsFor, type Topics } from '../ha/topics.js';
import { PlayerState } from '../state/state.js';
import { CtlClient } from './client.js';
import { list, status, summary, type Listed } from './status.js';
import { CtlError, EXIT, ctlUsage } from './usage.js';
import { findWord, WORDS, type Word } from './words.js';

const OPTIONS = {
  device: { type: 'string', short: 'd' },
  config: { type: 'string', short: 'c' },
  'mqtt-url': { type: 'string' },
  timeout: { type: 'string', short: 't' },
  json: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

interface Run {
  cfg: ResolvedConfig;
  topics: Topics;
  json: boolean;
  timeoutMs: number;
}

export async function ctl(argv: string[]): Promise<number> {
  try {
    return await main(argv);
  } catch (err) {
    if (err instanceof CtlError) return fail(err.message, err.code);
    if (err instanceof ConfigError) return fail(err.message, EXIT.usage);
    throw err;
  }
}

async function main(argv: string[]): Promise<number> {
  // a step down (ctl volume -5) is a value, not an option
  const steps = argv.filter((a) => /^-\d/.test(a));
  let parsed;
  try {
    parsed = parseArgs({ args: argv.filter((a) => !steps.includes(a)), options: OPTIONS, allowPositionals: true });
  } catch (err) {
    throw usage((err as Error).message);
  }
  const { values } = parsed;
  const [verb, ...rest] = [...parsed.positionals, ...steps];
  if (values.help) return print(ctlUsage());
  if (!verb) throw usage('no command given');
  const timeoutMs = Number(values.timeout ?? 5) * 1000;
  if (!(timeoutMs > 0)) throw usage(`--timeout must be a number of seconds, not ${values.timeout}`);

  const overrides: Record<string, unknown> = {};
  if (values['mqtt-url'] !== undefined) setPath(overrides, ['mqtt', 'url'], values['mqtt-url']);
  if (values.device !== undefined) setPath(overrides, ['device', 'id'], values.device);
  const cfg = await loadConfig({ file: values.config, overrides });
  const run: Run = { cfg, topics: topicsFor(cfg), json: values.json ?? false, timeoutMs };

  if (verb === 'status' || verb === 'list') {
    if (rest.length > 0) throw usage(`ctl ${verb} takes no value`);
    return withClient(run, (client) => (verb === 'status' ? showStatus(run, client) : showList(run, client)));
  }
  const word = findWord(verb);
  if (!word) throw usage(`unknown command "${verb}" (known: status, list, ${WORDS.map((w) => w.word).join(', ')})`);
  if (word.fixed !== undefined ? rest.length !== 0 : rest.length !== 1)
    throw usage(word.fixed !== undefined ? `ctl ${verb} takes no value` : `ctl ${verb} takes one value: ${word.def.values}`);
  const value = word.fixed ?? rest[0]!;
  return withClient(run, (client) => command(run, client, word, value));
}

async function withClient(run: Run, body: (client: CtlClient) => Promise<number>): Promise<number> {
  const client = await CtlClient.connect(run.cfg, run.timeoutMs);
  try {
    return await body(client);
  } finally {
    await client.close();
  }
}

/** The bridge's retained availability and state; refuses a bridge that is unknown or offline. */
async function bridge(run: Run, client: CtlClient): Promise<{ online: boolean; state: PlayerState | null }> {
  const { topics, cfg } = run;
  await client.watch([topics.availability, topics.state, topics.needs.librespot, topics.needs.mixer]);
  const availability = client.latest(topics.availability);
  if (availability === undefined)
    throw new CtlError(`no bridge with id ${cfg.device.id} on this broker (ctl list shows the ones there are)`, EXIT.device);
  return { online: availability === 'online', state: readState(client.latest(topics.state)) };
}

function readState(text: string | undefined): PlayerState | null {
  if (text === undefined) return null;
  try {
    const r = PlayerState.safeParse(JSON.parse(text));
    return r.success ? r.data : null;
  } catch {
    return null;
  }
}

const offline = (run: Run) => new CtlError(`device ${run.cfg.device.id} is offline`, EXIT.device);

async function command(run: Run, client: CtlClient, word: Word, value: string): Promise<number> {
  const { topics, cfg } = run;
  const { online, state: before } = await bridge(run, client);
  if (!online) throw offline(run);
  const key = word.def.key;
  const answer = await client.send(topics.set, { [key]: value }, topics.response, cfg.device.id);
  if (!answer.ok) throw new CtlError(`${cfg.device.id} refused ${word.word} ${value}: ${answer.error ?? 'no reason given'}`, EXIT.failed);
  const confirm = word.def.confirm;
  let after = readState(client.latest(topics.state));
  // a bridge that published no state yet cannot confirm a relative change: its ok answer has to do
  if (confirm && before) {
    const done = () => {
      after = readState(client.latest(topics.state));
      return after !== null && confirm(answer.command?.[key], after, before);
    };
    await client.until(done, `the state of ${cfg.device.id} to show ${word.word} ${value}`);
  }
  if (run.json) return print(JSON.stringify(answer));
  return print(after ? summary(cfg.device.id, after) : `${cfg.device.id}: ok`);
}

async function showStatus(run: Run, client: CtlClient): Promise<number> {
  const { online, state } = await bridge(run, client);
  const text = client.latest(run.topics.state);
  if (!state || text === undefined) throw new CtlError(`${run.cfg.device.id} has published no valid state`, EXIT.failed);
  print(run.json ? text : status(run.cfg.device.id, online, state));
  // the state of an offline bridge is its last word, not the present: scripts must not trust it
  return online ? EXIT.ok : fail(offline(run).message, EXIT.device);
}

async function showList(run: Run, client: CtlClient): Promise<number> {
  const root = run.cfg.mqtt.base_topic;
  await client.watch([`${root}/+/availability`, `${root}/+/state`]);
  const idOf = (topic: string) => topic.slice(root.length + 1).split('/')[0]!;
  const bridges: Listed[] = client
    .all((t) => t.startsWith(`${root}/`) && t.endsWith('/availability') && t.split('/').length === root.split('/').length + 2)
    .map(([topic, availability]) => ({ id: idOf(topic), availability, device_name: readState(client.latest(`${root}/${idOf(topic)}/state`))?.device_name ?? null }))
    .sort((a, b) => a.id.localeCompare(b.id));
  return print(run.json ? JSON.stringify(bridges) : list(bridges));
}

const usage = (message: string) => new CtlError(`${message}\n\n${ctlUsage()}`, EXIT.usage);

function print(text: string): number {
  console.log(text);
  return EXIT.ok;
}

function fail(message: string, code: number): number {
  console.error(`librespot2mqtt ctl: ${message}`);
  return code;
}
