// Add-on mode: /data/options.json → bridge config, the broker from the Supervisor unless the options
// name one, state in /data, then the same bridge as everywhere else. Option errors are sentences in
// the add-on's log; a Supervisor that has no broker (yet) is retried, never a crash.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ConfigSchema } from '../config/schema.js';
import { merge } from '../config/env.js';
import { resolveConfig } from '../config/load.js';
import type { Logger } from '../log.js';
import { ADDON_OPTIONS, optionFor, optionsToConfig, type ConfigFragment } from './options.js';
import { brokerUrl, mqttService, SupervisorError } from './supervisor.js';

export class AddonOptionsError extends Error {
  constructor(readonly problems: string[]) {
    super(`the add-on options are not valid (fix them in the add-on's Configuration tab, then start it again):\n${problems.map((p) => `  ${p}`).join('\n')}`);
  }
}

export interface AddonSettings {
  /** the add-on's persistent folder: options.json in, state.json kept */
  dataDir: string;
  supervisorUrl: string;
  env: NodeJS.ProcessEnv;
  /** when to run the Home Assistant check after the start (default DOCTOR_DELAY_MS) */
  doctorDelayMs?: number;
}

export interface AddonPlan {
  /** the config from the options, with state in dataDir; mqtt still to be completed when `askSupervisor` */
  config: ConfigFragment;
  askSupervisor: boolean;
  /** option keys in options.json that this version does not know */
  unknown: string[];
}

/** Reads and checks the options; every problem is named by the option's label and key. */
export async function readOptions(dataDir: string): Promise<AddonPlan> {
  const file = join(dataDir, 'options.json');
  let raw: unknown;
  try {
    raw = JSON.parse(await readFile(file, 'utf8'));
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    throw new AddonOptionsError([
      e.code === 'ENOENT' ? `${file} does not exist: the Supervisor writes it before the add-on starts` : `${file} cannot be read: ${e.message}`,
    ]);
  }
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) throw new AddonOptionsError([`${file} does not hold an object of options`]);
  const options = raw as Record<string, unknown>;
  const config = merge(optionsToConfig(options), { state_file: join(dataDir, 'state.json') }) as ConfigFragment;
  const parsed = ConfigSchema.safeParse(config);
  if (!parsed.success)
    throw new AddonOptionsError(
      parsed.error.issues.map((i) => {
        const opt = optionFor(i.path);
        return opt ? `${opt.name} (${opt.key}): ${i.message}` : `${i.path.join('.')}: ${i.message}`;
      }),
    );
  const known = new Set(ADDON_OPTIONS.map((o) => o.key));
  return { config, askSupervisor: config.mqtt?.url === undefined, unknown: Object.keys(options).filter((k) => !known.has(k)) };
}

const supervisorToken = (env: NodeJS.ProcessEnv) => env.SUPERVISOR_TOKEN ?? env.HASSIO_TOKEN;

const FIRST_RETRY_MS = 2000;
const MAX_RETRY_MS = 60_000;

/**
 * The broker, asked from the Supervisor until it has one (the Mosquitto add-on may be installed after
 * this one). Says what is wrong once per change of condition; resolves null when cancelled.
 */
export async function brokerFromSupervisor(settings: AddonSettings, log: Logger, cancelled: AbortSignal): Promise<ConfigFragment['mqtt'] | null> {
  let said = '';
  for (let delay = FIRST_RETRY_MS; !cancelled.aborted; delay = Math.min(delay * 2, MAX_RETRY_MS)) {
    try {
      const s = await mqttService(settings.supervisorUrl, supervisorToken(settings.env));
      const url = brokerUrl(s);
      log.info({ mqtt: url, user: s.username }, `MQTT broker from the Supervisor: ${url}${s.username ? ` as "${s.username}"` : ''}`);
      return { url, username: s.username, password: s.password };
    } catch (err) {
      if (!(err instanceof SupervisorError)) throw err;
      if (err.message !== said) log.error(`${err.message} (asking again, less and less often)`);
      else log.debug({ retry_s: delay / 1000 }, err.message);
      said = err.message;
    }
    // cancelled while asking: an abort listener added now would never fire
    if (cancelled.aborted) break;
    await new Promise<void>((resolve) => {
      const t = setTimeout(done, delay);
      function done() {
        clearTimeout(t);
        cancelled.removeEventListener('abort', done);
        resolve();
      }
      cancelled.addEventListener('abort', done);
    });
  }
  return null;
}

export interface RunningAddon {
  /** settles when the bridge runs (or the start was cancelled); rejects when it could not start */
  started: Promise<void>;
  stop(): Promise<void>;
}

/** From the checked options to a running bridge, without waiting for the broker. */
export function runAddon(plan: AddonPlan, settings: AddonSettings, log: Logger): RunningAddon {
  for (const k of plan.unknown) log.warn(`option "${k}" is not known to this version and is ignored`);
  const cancel = new AbortController();
  let stopBridge: (() => Promise<void>) | undefined;
  const started = (async () => {
    let mqtt = plan.config.mqtt;
    if (plan.askSupervisor) {
      const fromSupervisor = await brokerFromSupervisor(settings, log.child({ part: 'supervisor' }), cancel.signal);
      if (!fromSupervisor) return;
      // a user in the options logs in to the Supervisor's broker as that user, with the options' password
      mqtt = { ...plan.config.mqtt, ...(plan.config.mqtt?.username === undefined ? fromSupervisor : { url: fromSupervisor.url }) };
    } else log.info(`MQTT broker from the options: ${plan.config.mqtt?.url}`);
    const cfg = resolveConfig({ ...plan.config, mqtt }, 'add-on options');
    const { startBridge } = await import('../bridge.js');
    if (cancel.signal.aborted) return;
    // the Mosquitto add-on may get new credentials for its add-on user (reinstalled, restored): after a
    // refused login ask the Supervisor again, as at the start
    const supervisorLogin = plan.askSupervisor && plan.config.mqtt?.username === undefined;
    const relogin = async () => {
      const s = await mqttService(settings.supervisorUrl, supervisorToken(settings.env));
      return { username: s.username, password: s.password };
    };
    const bridge = await startBridge(cfg, log, supervisorLogin ? { relogin } : {});
    stopBridge = () => bridge.stop();
    const { doctorAfterStart, DOCTOR_DELAY_MS } = await import('./doctor.js');
    doctorAfterStart(cfg, settings.supervisorUrl, settings.env.SUPERVISOR_TOKEN, log.child({ part: 'doctor' }), settings.doctorDelayMs ?? DOCTOR_DELAY_MS, cancel.signal);
  })();
  return {
    started,
    async stop() {
      cancel.abort();
      await started.catch(() => undefined);
      await stopBridge?.();
    },
  };
}
