// A stand-in for Home Assistant's WebSocket API (Home Assistant itself cannot run here). It speaks
// the documented protocol: auth_required → auth → auth_ok / auth_invalid, then `result` messages
// for get_config, get_states, config/entity_registry/list, config/device_registry/list,
// lovelace/resources and manifest/get. Its registries are built the way HA's MQTT integration
// builds them from a device discovery message (entity_id from default_entity_id, unique_id,
// device identifiers), so the doctor is tested against what a real bridge published.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer } from 'ws';

export interface HaWorld {
  token: string;
  version: string;
  components: string[];
  states: { entity_id: string; state: string }[];
  entities: { entity_id: string; unique_id: string; platform: string; device_id: string | null; disabled_by: string | null }[];
  devices: { id: string; identifiers: [string, string][]; name: string }[];
  /** null: dashboards in YAML mode (HA answers lovelace/resources with an error) */
  resources: { id: string; type: string; url: string }[] | null;
  manifests: Record<string, { domain: string; documentation?: string; codeowners?: string[] }>;
}

/** What HA's MQTT integration makes of a device discovery message and the retained availability. */
export function worldFromDiscovery(discovery: any, retained: Map<string, string>, token = 'good-token'): HaWorld {
  const deviceId = 'dev1';
  const components = Object.values(discovery.components) as any[];
  const available = (c: any) => c.availability.every((a: { topic: string }) => retained.get(a.topic) === 'online');
  return {
    token,
    version: '2026.11.0',
    components: ['mqtt', 'homeassistant', 'lovelace'],
    devices: [{ id: deviceId, identifiers: discovery.device.identifiers.map((i: string) => ['mqtt', i]), name: discovery.device.name }],
    entities: components.map((c) => ({ entity_id: c.default_entity_id, unique_id: c.unique_id, platform: 'mqtt', device_id: deviceId, disabled_by: null })),
    states: components.map((c) => ({ entity_id: c.default_entity_id, state: available(c) ? 'on' : 'unavailable' })),
    resources: [{ id: 'r1', type: 'module', url: '/local/librespot2mqtt-card.js' }],
    manifests: {},
  };
}

export interface HaStandin {
  url: string;
  world: HaWorld;
  /** every message clients sent, in order */
  received: any[];
  close(): Promise<void>;
}

/** `path`: /api/websocket as Home Assistant serves it, /core/api/websocket as the Supervisor proxies it */
export async function startHaStandin(initial: HaWorld, path = '/api/websocket'): Promise<HaStandin> {
  const received: any[] = [];
  // a test swaps `world` between runs: every answer reads the current one
  const standin = { world: initial } as HaStandin;
  const http: Server = createServer((_req, res) => res.writeHead(404).end());
  const wss = new WebSocketServer({ server: http, path });
  wss.on('connection', (ws) => {
    let authed = false;
    const world = standin.world;
    const send = (m: object) => ws.send(JSON.stringify(m));
    send({ type: 'auth_required', ha_version: world.version });
    ws.on('message', (data) => {
      const msg = JSON.parse(data.toString());
      received.push(msg);
      if (!authed) {
        if (msg.type !== 'auth') return ws.close();
        if (msg.access_token !== world.token) {
          send({ type: 'auth_invalid', message: 'Invalid access token or password' });
          return ws.close();
        }
        authed = true;
        return send({ type: 'auth_ok', ha_version: world.version });
      }
      const ok = (result: unknown) => send({ id: msg.id, type: 'result', success: true, result });
      const fail = (code: string, message: string) => send({ id: msg.id, type: 'result', success: false, error: { code, message } });
      switch (msg.type) {
        case 'supported_features':
          return ok(null);
        case 'get_config':
          return ok({ version: world.version, components: world.components, location_name: 'Home', time_zone: 'Europe/Berlin' });
        case 'get_states':
          return ok(world.states.map((s) => ({ ...s, attributes: {}, last_changed: '2026-11-30T08:00:00+00:00', last_updated: '2026-11-30T08:00:00+00:00', context: { id: 'c', parent_id: null, user_id: null } })));
        case 'config/entity_registry/list':
          return ok(world.entities);
        case 'config/device_registry/list':
          return ok(world.devices);
        case 'lovelace/resources':
          return world.resources ? ok(world.resources) : fail('unknown_error', 'Resources are in YAML mode');
        case 'manifest/get': {
          const m = world.manifests[msg.integration];
          return m ? ok(m) : fail('not_found', 'Integration not found');
        }
        default:
          return fail('unknown_command', 'Unknown command.');
      }
    });
  });
  await new Promise<void>((r) => http.listen(0, '127.0.0.1', r));
  return Object.assign(standin, {
    url: `http://127.0.0.1:${(http.address() as AddressInfo).port}`,
    received,
    async close() {
      for (const c of wss.clients) c.terminate();
      wss.close();
      http.closeAllConnections();
      await new Promise((r) => http.close(r));
    },
  });
}
