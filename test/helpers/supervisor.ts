// A stand-in for the Home Assistant Supervisor's service API, which cannot run here: the same path,
// Bearer token check and JSON envelopes as the real one (supervisor api/services.py, api/utils.py,
// services/modules/mqtt.py; see DOCS of the add-on): 200 {"result":"ok","data":{host,port,ssl,
// protocol,username,password,addon}}, 400 "Service not enabled" without a broker add-on, 403 when the
// add-on did not declare the service, 401 for a wrong token.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface MqttRecord {
  host: string;
  port: number | string;
  ssl: boolean;
  protocol: string;
  username?: string;
  password?: string;
  addon: string;
}

export type ServiceState = { kind: 'provided'; record: MqttRecord } | { kind: 'not-enabled' } | { kind: 'forbidden' };

export interface StandInSupervisor {
  url: string;
  token: string;
  /** every request: path and whether its token was right */
  requests: { path: string; authorised: boolean }[];
  set(state: ServiceState): void;
  close(): Promise<void>;
}

export async function startSupervisor(token: string, state: ServiceState): Promise<StandInSupervisor> {
  let current = state;
  const requests: StandInSupervisor['requests'] = [];
  const send = (res: ServerResponse, status: number, body: object) => {
    res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
  };
  const server = createServer((req: IncomingMessage, res) => {
    const authorised = req.headers.authorization === `Bearer ${token}`;
    requests.push({ path: req.url ?? '', authorised });
    if (!authorised) return res.writeHead(401, { 'content-type': 'text/plain' }).end('401: Unauthorized');
    if (req.method !== 'GET' || req.url !== '/services/mqtt') return send(res, 404, { result: 'error', message: 'Not found' });
    if (current.kind === 'not-enabled') return send(res, 400, { result: 'error', message: 'Service not enabled' });
    if (current.kind === 'forbidden') return send(res, 403, { result: 'error', message: 'No access to mqtt service!' });
    send(res, 200, { result: 'ok', data: current.record });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    token,
    requests,
    set: (s) => (current = s),
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
