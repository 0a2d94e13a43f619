// librespot2mqtt [run] | check-config | demo | ha | addon: the command line but ctl (see cli.ts).
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { createLogger, type Logger } from './log.js';
import type { LogLevel } from './log-levels.js';
import { ConfigError, loadChecked, loadConfig, type Flag } from './config/load.js';
import { nearest } from './config/explain.js';
import { identityWarnings } from './config/identity.js';
import { exposureWarning } from './librespot/exposure.js';
import { maskUrls } from './mask-url.js';
import { VERSION } from './version.js';
import { HA_USAGE } from './ha/usage.js';

const USAGE = `librespot2mqtt ${VERSION}: go-librespot and the ALSA mixer on MQTT, with Home Assistant discovery

usage:
  librespot2mqtt [run] [--config FILE] [options]   run the bridge
  librespot2mqtt check-config [--config FILE]      check the configuration and exit
  librespot2mqtt demo [--mqtt-url URL] [--device-id ID]
                                                   the bridge against a simulated go-librespot
                                                   and an embedded broker (127.0.0.1:1883 or the next free port)
  librespot2mqtt demo --clean --mqtt-url URL       remove a killed demo's topics from the broker
  librespot2mqtt ctl COMMAND [VALUE]               control a bridge over MQTT (librespot2mqtt ctl --help)
${HA_USAGE}
  librespot2mqtt addon [--data DIR] [--supervisor-url URL] [--ha-config DIR] [--card FILE]
                                                   run as a Home Assistant add-on: options from DIR/options.json
                                                   (default /data), the broker from the Supervisor (http://supervisor),
                                                   the dashboard card (default: beside this program) put into
                                                   the ha-config folder's www/ (default /homeassistant)
options:
  -c, --config FILE       YAML configuration (see config/librespot2mqtt.example.yaml)
  --mqtt-url URL          mqtt.url
  --librespot-url URL     librespot.url
  --device-id ID          device.id
  --log-level LEVEL       log.level (fatal, error, warn, info, debug, trace)
  -h, --help, -v, --version
Every key can also be set in the environment: mqtt.base_topic ← LIBRESPOT2MQTT_MQTT_BASE_TOPIC.`;

const FLAG_PATHS: Record<string, string[]> = {
  'mqtt-url': ['mqtt', 'url'],
  'librespot-url': ['librespot', 'url'],
  'device-id': ['device', 'id'],
  'log-level': ['log', 'level'],
};

export async function main(argv: string[]): Promise<number> {
  const options = {
    config: { type: 'string', short: 'c' },
    help: { type: 'boolean', short: 'h' },
    version: { type: 'boolean', short: 'v' },
    ...Object.fromEntries(Object.keys(FLAG_PATHS).map((f) => [f, { type: 'string' }])),
    'ha-url': { type: 'string' },
    clean: { type: 'boolean' },
    data: { type: 'string' },
    'supervisor-url': { type: 'string' },
    'ha-config': { type: 'string' },
    card: { type: 'string' },
  } as const;
  let parsed;
  try {
    parsed = parseArgs({ args: argv, allowPositionals: true, options });
  } catch (err) {
    const unknown = /^Unknown option '(--?[^']+)'/.exec((err as Error).message)?.[1];
    const near = unknown ? nearest(unknown.replace(/^-+/, ''), Object.keys(options)).map((o) => `--${o}`) : [];
    return print(`${(err as Error).message.split('.')[0]}${near.length ? `; did you mean ${near.join(' or ')}?` : ''}\n\n${USAGE}`, 2);
  }
  const { positionals } = parsed;
  const values = parsed.values as Record<string, string | boolean | undefined>;
  if (values.help) return print(USAGE, 0);
  if (values.version) return print(VERSION, 0);
  const flags: Flag[] = Object.entries(FLAG_PATHS)
    .filter(([flag]) => values[flag] !== undefined)
    .map(([flag, path]) => ({ flag: `--${flag}`, path, value: values[flag] }));
  const file = values.config as string | undefined;
  const command = positionals[0] ?? 'run';

  if (command === 'demo') {
    // the demo's own lines are the point: the bridge's log only says what goes wrong unless asked
    const log = processLogger(createLogger((values['log-level'] as LogLevel | undefined) ?? 'warn', process.stderr, 'text'));
    const mqttUrl = values['mqtt-url'] as string | undefined;
    const deviceId = values['device-id'] as string | undefined;
    if (values.clean) {
      const { cleanDemo } = await import('./demo/demo.js');
      return print(await cleanDemo(mqttUrl, deviceId), 0);
    }
    const { startDemo } = await import('./demo/demo.js');
    return serve(startDemo({ mqttUrl, deviceId, log, print: (l) => console.log(l) }));
  }
  if (command === 'addon')
    return addon({
      dataDir: (values.data as string | undefined) ?? '/data',
      supervisorUrl: (values['supervisor-url'] as string | undefined) ?? 'http://supervisor',
      haConfig: (values['ha-config'] as string | undefined) ?? '/homeassistant',
      // the image installs the card beside the bundle
      card: (values.card as string | undefined) ?? fileURLToPath(new URL('librespot2mqtt-card.js', import.meta.url)),
    });
  if (command !== 'run' && command !== 'check-config' && command !== 'ha' && command !== 'doctor') return print(`unknown command "${command}"\n\n${USAGE}`, 2);

  let loaded;
  // run says them in its log, once there is one
  const warnings: string[] = [];
  const warn = command === 'run' ? (w: string) => void warnings.push(w) : undefined;
  try {
    // check-config and run also check what a start needs (files readable, the state folder writable)
    loaded = command === 'run' || command === 'check-config' ? await loadChecked({ file, flags, warn }) : { cfg: await loadConfig({ file, flags }), passed: [] };
  } catch (err) {
    if (err instanceof ConfigError) return print([...warnings.map((w) => `warning: ${w}`), err.message].join('\n'), 2);
    throw err;
  }
  const { cfg, passed } = loaded;
  if (command === 'ha' || command === 'doctor') {
    const { haCommand } = await import('./ha/command.js');
    return haCommand(command === 'doctor' ? 'doctor' : positionals[1], cfg, { haUrl: values['ha-url'] as string | undefined, env: process.env, print });
  }
  if (command === 'check-config') {
    for (const w of [...identityWarnings(cfg), exposureWarning(cfg.librespot.url) ?? []].flat()) console.error(`warning: ${w}`);
    return print([`configuration OK (${file ?? 'defaults and environment'}); checked:`, ...passed.map((p) => `  ${p}`), `  device.id ${cfg.device.id}, MQTT broker ${maskUrls(cfg.mqtt.url)}, go-librespot ${maskUrls(cfg.librespot.url)} (not contacted)`].join('\n'), 0);
  }

  const log = processLogger(createLogger(cfg.log.level, process.stderr, cfg.log.format));
  log.info({ version: VERSION, device: cfg.device.id, mqtt: maskUrls(cfg.mqtt.url), librespot: maskUrls(cfg.librespot.url) }, 'librespot2mqtt starting');
  for (const w of [...warnings, ...identityWarnings(cfg)]) log.warn(w);
  const { startBridge } = await import('./bridge.js');
  return serve(
    startBridge(cfg, log).then((bridge) => ({
      async stop() {
        log.info('stopping');
        await bridge.stop();
        log.info('stopped');
      },
    })),
  );
}

/** Node's own warnings and errors nobody caught go through the log too, not as plain text between its lines. */
function processLogger(log: Logger): Logger {
  process.removeAllListeners('warning');
  process.on('warning', (w) => log.warn(`node: ${w.name}${'code' in w ? ` ${String(w.code)}` : ''}: ${w.message}`));
  process.on('unhandledRejection', (err) => log.error({ stack: (err as Error)?.stack }, `unexpected error (the bridge keeps running): ${(err as Error)?.message ?? String(err)}`));
  process.on('uncaughtException', (err) => {
    // the state of the process is unknown now: leave, and let the supervisor start a fresh one
    log.fatal({ stack: err.stack }, `crashed: ${err.message}`);
    process.exit(1);
  });
  return log;
}

async function addon({ dataDir, supervisorUrl, haConfig, card }: { dataDir: string; supervisorUrl: string; haConfig: string; card: string }): Promise<number> {
  const { AddonOptionsError, readOptions, runAddon } = await import('./addon/addon.js');
  const { installCard } = await import('./addon/card.js');
  let plan;
  try {
    plan = await readOptions(dataDir);
  } catch (err) {
    if (err instanceof AddonOptionsError) return print(err.message, 2);
    throw err;
  }
  // text, as the bridge's own default, for the add-on's Log tab; log_format json for a log shipper
  const log = processLogger(createLogger(plan.config.log?.level, process.stderr, plan.config.log?.format ?? 'text'));
  log.info({ version: VERSION }, `librespot2mqtt ${VERSION} starting as a Home Assistant add-on`);
  // the signal handlers come first: a stop during the start must not kill the process mid-way
  let running: ReturnType<typeof runAddon> | undefined;
  const stopped = untilSignal(async () => running?.stop());
  running = runAddon(plan, { dataDir, supervisorUrl, env: process.env }, log);
  // beside the bridge, never in its way: a card that cannot be placed is a warning
  void installCard(card, haConfig, log);
  running.started.catch((err: Error) => {
    log.fatal({ err }, `the bridge could not start: ${err.message}`);
    process.exit(1);
  });
  return stopped;
}

function print(text: string, code: number): number {
  (code === 0 ? console.log : console.error)(text);
  return code;
}

/** A stop that hangs (a mixer that does not let go) must not outlast what supervisors wait for. */
const STOP_LIMIT_MS = 1800;

/** Runs what is starting until SIGINT or SIGTERM; a signal while it starts (already connected to
 * the broker, maybe) stops it once started. */
async function serve(starting: Promise<{ stop(): Promise<void> }>): Promise<number> {
  const stopped = untilSignal(async () => (await starting).stop());
  await starting;
  return stopped;
}

function untilSignal(stop: () => Promise<void>): Promise<number> {
  return new Promise((resolve) => {
    const onSignal = (signal: NodeJS.Signals) => {
      process.off('SIGINT', onSignal).off('SIGTERM', onSignal);
      const force = setTimeout(() => {
        console.error(`stopping took longer than ${STOP_LIMIT_MS} ms: exiting anyway`);
        resolve(1);
      }, STOP_LIMIT_MS);
      stop().then(
        () => {
          clearTimeout(force);
          resolve(0);
        },
        () => resolve(1),
      );
    };
    process.on('SIGINT', onSignal).on('SIGTERM', onSignal);
  });
}
