// Why a connection to the broker failed or ended, in words that name the config key to check.
// One classification for the bridge and ctl: the kind decides when the bridge logs again (once per
// change of kind, not per attempt), the text is what a user reads.
import { maskUrls } from '../mask-url.js';

export type TroubleKind =
  | 'unreachable' // nothing answers, or the connection dropped
  | 'login' // the broker refused our user name / password (or anonymous clients)
  | 'unavailable' // the broker is up but refuses everyone for now
  | 'tls' // the TLS handshake failed
  | 'client_id' // the broker rejects the client id itself
  | 'takeover' // another client connected with our client id and the broker dropped us
  | 'files' // a password or TLS file named in the config cannot be read
  | 'refused'; // any other refusal the broker gives

export interface Trouble {
  kind: TroubleKind;
  text: string;
}

/** Who we are to the broker: enough to name what the user should check. */
export interface Identity {
  /** the broker URL, already masked */
  url: string;
  user?: string;
  /** where the user name and password come from */
  credentials: 'url' | 'config' | 'file' | 'none';
  clientId: string;
  /** the device.id the client id is derived from; undefined when mqtt.client_id is set */
  deviceId?: string;
}

/** MQTT 5 DISCONNECT reason: another client connected with our client id. */
export const SESSION_TAKEN_OVER = 0x8e;

const LOGIN = new Set([4, 5, 0x86, 0x87, 0x8a, 0x8c]);
const UNAVAILABLE = new Set([3, 0x88, 0x89, 0x8b, 0x97, 0x9c, 0x9d, 0x9f]);
const CLIENT_ID = new Set([2, 0x85]);
const UNREACHABLE = new Set(['ECONNREFUSED', 'ECONNRESET', 'EHOSTUNREACH', 'ENETUNREACH', 'ETIMEDOUT', 'EPIPE']);

const credentialKeys: Record<Identity['credentials'], string> = {
  url: 'the user and password in mqtt.url',
  config: 'mqtt.username / mqtt.password',
  file: 'mqtt.username / mqtt.password_file',
  none: 'mqtt.username / mqtt.password',
};

function codeOf(err: unknown): string | number | undefined {
  // a DISCONNECT's reason code comes alone
  if (typeof err === 'number') return err;
  const e = err as { code?: unknown; errors?: Array<{ code?: unknown }> } | null;
  const code = e?.code ?? e?.errors?.[0]?.code;
  return typeof code === 'string' || typeof code === 'number' ? code : undefined;
}

const isTls = (code: string | number | undefined, message: string) =>
  (typeof code === 'string' && (/^ERR_(TLS|SSL)_/.test(code) || /CERT|SELF_SIGNED|UNABLE_TO_/.test(code) || code === 'EPROTO')) ||
  /certificate|SSL routines|TLS/i.test(message);

export function takeover(who: Identity): Trouble {
  const text = who.deviceId
    ? `another librespot2mqtt with device.id "${who.deviceId}" is connected to this broker: give each speaker its own device.id`
    : `another client with client id "${who.clientId}" (mqtt.client_id) is connected to this broker: give each bridge its own mqtt.client_id`;
  return { kind: 'takeover', text };
}

/** The trouble behind an error of MQTT.js (a CONNACK refusal, a socket or TLS error) or a DISCONNECT reason. */
export function describeTrouble(err: unknown, who: Identity): Trouble {
  const code = codeOf(err);
  const said =
    typeof err === 'number' ? `DISCONNECT reason 0x${err.toString(16)}` : maskUrls(err instanceof Error ? err.message : String(err ?? 'closed'));
  if (code === SESSION_TAKEN_OVER) return takeover(who);
  if (typeof code === 'number' && LOGIN.has(code)) {
    const text = who.user
      ? `the broker refused user "${who.user}": check ${credentialKeys[who.credentials]} (${said})`
      : `the broker refused a login without user name: set mqtt.username and mqtt.password (${said})`;
    return { kind: 'login', text };
  }
  if (typeof code === 'number' && UNAVAILABLE.has(code)) return { kind: 'unavailable', text: `the broker at ${who.url} is not accepting clients now (${said})` };
  if (typeof code === 'number' && CLIENT_ID.has(code))
    return {
      kind: 'client_id',
      text: `the broker rejected client id "${who.clientId}": check ${who.deviceId ? 'device.id (or set mqtt.client_id)' : 'mqtt.client_id'} (${said})`,
    };
  if (code === 'L2M_FILE') return { kind: 'files', text: said };
  if (code === 'ERR_TLS_CERT_ALTNAME_INVALID')
    return { kind: 'tls', text: `the broker's TLS certificate does not name the host in mqtt.url (${who.url}): use the name it was issued for (${said})` };
  // a plain MQTT listener drops a TLS handshake as a malformed packet
  if ((typeof code === 'string' && code.startsWith('ERR_SSL_WRONG_VERSION')) || (code === 'ECONNRESET' && /^(mqtts|wss):/.test(who.url)))
    return { kind: 'tls', text: `no TLS at ${who.url}: the port is not a TLS listener (mqtts:// usually needs port 8883; mqtt:// is plain) (${said})` };
  if (isTls(code, said))
    return { kind: 'tls', text: `TLS with the broker at ${who.url} failed: check mqtt.tls.ca (or mqtt.tls.reject_unauthorized: false for a self-signed broker you trust) (${said})` };
  if (said === 'connack timeout')
    return { kind: 'unreachable', text: `no MQTT answer from ${who.url}: is it an MQTT listener? (a TLS listener needs mqtts://)` };
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return { kind: 'unreachable', text: `cannot find the host of the MQTT broker at ${who.url} (host not found): check mqtt.url` };
  if (typeof code === 'string' && UNREACHABLE.has(code))
    return { kind: 'unreachable', text: `cannot reach the MQTT broker at ${who.url} (${said}): is it running? check mqtt.url` };
  if (typeof code === 'number') return { kind: 'refused', text: `the broker at ${who.url} refused the connection (${said})` };
  return { kind: 'unreachable', text: `lost the MQTT broker at ${who.url} (${said})` };
}

/** The broker's CONNACK for a protocol version it does not speak (3.1.1 code 1, MQTT 5 code 0x84). */
export const refusedMqtt5 = (err: unknown, protocolVersion: number | undefined) =>
  protocolVersion === 5 && [1, 0x84].includes(codeOf(err) as number);
