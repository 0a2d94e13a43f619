// What MQTT.js needs to connect, from the config: the URL without credentials, the user and password
// (from the URL, the config or mqtt.password_file), the TLS files, and who we are for error messages.
import { readFileSync } from 'node:fs';
import type { IClientOptions } from 'mqtt';
import type { ResolvedConfig } from '../config/schema.js';
import { maskUrls, withoutCredentials } from '../mask-url.js';
import type { Identity } from './refusal.js';

export interface BrokerOptions {
  /** the URL to connect to: never with credentials in it (they are in options) */
  url: string;
  options: IClientOptions;
  who: Identity;
}

/** A file named by a config key that cannot be read: the message names the key. */
export class ConfigFileError extends Error {
  readonly code = 'L2M_FILE';
}

function readKeyFile(key: string, path: string): Buffer {
  try {
    return readFileSync(path);
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    const why = e.code === 'ENOENT' ? 'no such file' : e.code === 'EACCES' ? 'permission denied' : e.message;
    throw new ConfigFileError(`cannot read ${key} "${path}": ${why}`);
  }
}

const credentialsInUrl = (u: ReturnType<typeof withoutCredentials>) => u.username !== undefined || u.password !== undefined;

/** The broker's address as options: given the URL itself, MQTT.js reads it with url.parse(), which
 * Node 24 (Alpine 3.24) warns about on every start (DEP0169). */
export function brokerAddress(url: string): IClientOptions {
  const u = new URL(url);
  return {
    protocol: u.protocol.slice(0, -1) as IClientOptions['protocol'],
    host: u.hostname.replace(/^\[(.*)\]$/, '$1'),
    port: u.port ? Number(u.port) : undefined,
    // ws:// and wss:// only
    path: `${u.pathname}${u.search}`,
  };
}

/** Everything but the files: never throws. */
export function brokerOptions(cfg: ResolvedConfig, will?: { topic: string; payload: string }): BrokerOptions {
  const { mqtt: m } = cfg;
  const fromUrl = withoutCredentials(m.url);
  // MQTT.js lets credentials in the URL win over the options: so do we
  const inUrl = credentialsInUrl(fromUrl);
  const username = inUrl ? fromUrl.username : m.username;
  const credentials = inUrl ? 'url' : m.password_file ? 'file' : m.username || m.password ? 'config' : 'none';
  const clientId = m.client_id ?? `librespot2mqtt_${cfg.device.id}`;
  return {
    url: fromUrl.url,
    options: {
      clientId,
      username,
      password: inUrl ? fromUrl.password : m.password,
      protocolVersion: m.protocol_version,
      keepalive: m.keepalive,
      connectTimeout: 10_000,
      // everything that matters is republished on reconnect: queueing while offline only costs memory
      queueQoSZero: false,
      // MQTT.js otherwise pre-builds 65,536 two-byte buffers on the first packet: 18 MB of RSS, a
      // quarter of the daemon's (npm run bench, idle memory)
      writeCache: false,
      rejectUnauthorized: m.tls.reject_unauthorized,
      will: will && { topic: will.topic, payload: Buffer.from(will.payload), qos: 1, retain: true },
    },
    who: { url: maskUrls(m.url), user: username, credentials, clientId, deviceId: m.client_id ? undefined : cfg.device.id },
  };
}

/**
 * The password file and the TLS files, read now: before every attempt, so that a secret mounted or
 * fixed later is picked up without a restart. Throws ConfigFileError naming the key.
 */
export function readFiles(cfg: ResolvedConfig): Pick<IClientOptions, 'password' | 'ca' | 'cert' | 'key'> {
  const { mqtt: m } = cfg;
  const file = (key: string, path: string | undefined) => (path ? readKeyFile(key, path) : undefined);
  const fromFile = !credentialsInUrl(withoutCredentials(m.url)) && m.password_file;
  return {
    // a secret file usually ends with the newline `echo` wrote
    ...(fromFile ? { password: readKeyFile('mqtt.password_file', fromFile).toString('utf8').replace(/\r?\n$/, '') } : {}),
    ca: file('mqtt.tls.ca', m.tls.ca),
    cert: file('mqtt.tls.cert', m.tls.cert),
    key: file('mqtt.tls.key', m.tls.key),
  };
}
