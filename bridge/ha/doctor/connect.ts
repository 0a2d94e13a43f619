// A WebSocket connection to Home Assistant with home-assistant-js-websocket over `ws` (Node 20 has
// no global WebSocket). With a Supervisor token (inside the add-on) the Supervisor's proxy is the
// way in; outside, a long-lived access token and the user's URL.
import WebSocket from 'ws';
import { createConnection, createLongLivedTokenAuth, ERR_CANNOT_CONNECT, ERR_INVALID_AUTH, type Connection } from 'home-assistant-js-websocket';

export interface HaTarget {
  url: string;
  token: string;
}

/** The add-on's way in: the Supervisor proxies ws://supervisor/core/api/websocket with its own token. */
export const SUPERVISOR_CORE = 'http://supervisor/core';

export class HaConnectError extends Error {
  constructor(
    message: string,
    readonly fix: string,
  ) {
    super(message);
  }
}

export async function connectHa(target: HaTarget, timeoutMs = 10_000): Promise<Connection> {
  (globalThis as { WebSocket?: unknown }).WebSocket ??= WebSocket;
  const auth = createLongLivedTokenAuth(target.url.replace(/\/+$/, ''), target.token);
  try {
    return await createConnection({ auth, setupRetry: 0, connectTimeout: timeoutMs } as Parameters<typeof createConnection>[0]);
  } catch (err) {
    if (err === ERR_INVALID_AUTH)
      throw new HaConnectError(`Home Assistant at ${target.url} refused the token`, 'create a long-lived access token (your profile → Security) and pass it in HASS_TOKEN');
    if (err === ERR_CANNOT_CONNECT)
      throw new HaConnectError(`Home Assistant is not reachable at ${auth.wsUrl}`, 'check --ha-url (e.g. http://homeassistant.local:8123) and that Home Assistant is running');
    throw new HaConnectError(`Home Assistant at ${target.url}: ${String((err as Error)?.message ?? err)}`, 'check --ha-url');
  }
}
