// librespot2mqtt ctl: the command line for people and scripts. It exits 0 only once the bridge has
// answered ok and its retained state shows the command, so `ctl mute on && echo done` is honest.
import './jitless.js';
import { parseArgs } from 'node:util';
import { ConfigError, loadConfig } from '../config/load.js';
import type { ResolvedConfig } from '../config/schema.js';
import { setPath } from '../config/env.js';
import { topicsFor, type Topics } from '../ha/topics.js';
import { z } from 'zod';
import { BridgeInfo } from '../mqtt/info.js';
import { PlayerState } from '../state/state.js';
import { CtlClient } from './client.js';
import { list, status, summary, type Listed, type Seen } from './status.js';
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

/** A bridge as ctl found it, with the state it knows only from the retained topic (or none). */
interface Asked extends Omit<Seen, 'state'> {
  state: PlayerState | null;
  /** the bridge's clock minus ours, from its answer to get (ms) */
  offset: number;
  /** the state as the bridge sent it, for --json */
  raw: unknown;
}

/**
 * Reads the bridge's retained availability, then asks it with `get`: a retained "online" outlives a
 * hung bridge, an answer does not. Refuses a bridge that is unknown; an offline one is `online: false`.
 */
async function ask(run: Run, client: CtlClient, { mustAnswer }: { mustAnswer: boolean }): Promise<Asked> {
  const { topics, cfg } = run;
  const sent = Date.now();
  // asked while the retained topics come in: one round trip less; unneeded when the bridge is offline
  const asking = client.send(topics.get, {}, topics.response, cfg.device.id);
  asking.catch(() => undefined);
  await client.watch([topics.availability, topics.state, topics.info]);
  const availability = client.latest(topics.availability);
  if (availability === undefined)
    throw new CtlError(`no bridge with id ${cfg.device.id} on this broker (ctl list shows the ones there are)`, EXIT.device);
  const retained: Asked = {
    online: availability === 'online',
    state: readJson(PlayerState, client.latest(topics.state)),
    info: readJson(BridgeInfo, client.latest(topics.info)),
    offset: 0,
    raw: readJson(z.unknown(), client.latest(topics.state)),
    answered: false,
  };
  if (!retained.online) return retained;
  let answer;
  try {
    answer = await asking;
  } catch (err) {
    if (mustAnswer || !(err instanceof CtlError) || err.code !== EXIT.timeout) throw notAnswering(run, err);
    return retained;
  }
  const time = Date.parse(answer.time ?? '');
  return {
    online: true,
    state: PlayerState.safeParse(answer.state).data ?? retained.state,
    info: BridgeInfo.safeParse(answer.info).data ?? retained.info,
    offset: Number.isFinite(time) ? time - (sent + Date.now()) / 2 : 0,
    answered: true,
    raw: answer.state,
  };
}

const notAnswering = (run: Run, err: unknown) =>
  err instanceof CtlError && err.code === EXIT.timeout
    ? new CtlError(`${err.message} (its retained availability says online: it is hung, or cut off from the broker)`, EXIT.timeout)
    : err;

function readJson<T>(schema: z.ZodType<T>, text: string | undefined): T | null {
  if (text === undefined) return null;
  try {
    return schema.safeParse(JSON.parse(text)).data ?? null;
  } catch {
    return null;
  }
}

const offline = (run: Run) => new CtlError(`device ${run.cfg.device.id} is offline`, EXIT.device);

async function command(run: Run, client: CtlClient, word: Word, value: string): Promise<number> {
  const { topics, cfg } = run;
  const seen = await ask(run, client, { mustAnswer: true });
  if (!seen.online) throw offline(run);
  const before = seen.state;
  const key = word.def.key;
  // on the bridge's clock: a command that reaches it after ctl gave up is refused, not run later
  const deadline = new Date(Date.now() + client.remainingMs + seen.offset).toISOString();
  const answer = await client.send(topics.set, { [key]: value, deadline }, topics.response, cfg.device.id);
  if (!answer.ok) throw new CtlError(`${cfg.device.id} refused ${word.word} ${value}: ${answer.error ?? 'no reason given'}`, EXIT.failed);
  const { confirm, shortfall } = word.def;
  let after = readJson(PlayerState, client.latest(topics.state));
  // a bridge that published no state yet cannot confirm a relative change: its ok answer has to do
  if (confirm && before) {
    const done = () => {
      after = readJson(PlayerState, client.latest(topics.state));
      return after !== null && confirm(answer.command?.[key], after, before);
    };
    await client.until(done, `the state of ${cfg.device.id} to show ${word.word} ${value}`);
  }
  const short = after && before && shortfall?.(answer.command?.[key], after, before);
  if (short) throw new CtlError(`${cfg.device.id}: ${word.word} ${value} ${short}`, EXIT.failed);
  if (run.json) return print(JSON.stringify(answer));
  return print(after ? summary(cfg.device.id, after) : `${cfg.device.id}: ok`);
}

async function showStatus(run: Run, client: CtlClient): Promise<number> {
  const seen = await ask(run, client, { mustAnswer: false });
  if (!seen.state) throw new CtlError(`${run.cfg.device.id} has published no valid state`, EXIT.failed);
  const now = Date.now() + seen.offset;
  print(run.json ? JSON.stringify(seen.raw) : status(run.cfg.device.id, { ...seen, state: seen.state }, now));
  // the state of a bridge that does not answer is its last word, not the present: scripts must not trust it
  if (!seen.online) return fail(offline(run).message, EXIT.device);
  return seen.answered ? EXIT.ok : fail(`${run.cfg.device.id} did not answer get within the timeout: it says online but is hung, or cut off from the broker`, EXIT.timeout);
}

async function showList(run: Run, client: CtlClient): Promise<number> {
  const root = run.cfg.mqtt.base_topic;
  const depth = root.split('/').length + 2;
  await client.watch([`${root}/+/availability`, `${root}/+/info`]);
  const idOf = (topic: string) => topic.slice(root.length + 1).split('/')[0]!;
  const found = client
    .all((t) => t.startsWith(`${root}/`) && t.endsWith('/availability') && t.split('/').length === depth)
    .map(([topic, availability]) => ({ id: idOf(topic), availability }))
    .sort((a, b) => a.id.localeCompare(b.id));
  // every online bridge is asked at once: one that does not answer within the timeout is hung
  const bridges: Listed[] = await Promise.all(
    found.map(async ({ id, availability }) => {
      const topics = topicsFor({ mqtt: run.cfg.mqtt, device: { ...run.cfg.device, id } });
      const answered =
        availability === 'online'
          ? await client.send(topics.get, {}, topics.response, id).then(
              () => true,
              () => false,
            )
          : null;
      const info = readJson(BridgeInfo, client.latest(topics.info));
      return { id, availability, answered, device_name: info?.device.name ?? null, version: info?.version ?? null };
    }),
  );
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
