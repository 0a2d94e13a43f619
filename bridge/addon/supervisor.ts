// The Supervisor's MQTT service: GET <supervisor>/services/mqtt with the add-on's token answers the
// broker the Mosquitto add-on provides. Every failure becomes one sentence that says what to do.
// node:http rather than fetch: fetch loads undici, about 12 MB of RSS for one call.
import { request } from 'node:http';
import { z } from 'zod';

export class SupervisorError extends Error {}

const Port = z.union([z.number(), z.string().regex(/^\d+$/).transform(Number)]).pipe(z.number().int().min(1).max(65535));

/** The service record (supervisor services/modules/mqtt.py); `port` is an int, the docs say string: take both. */
const MqttService = z.object({
  host: z.string().min(1),
  port: Port,
  ssl: z.boolean().default(false),
  protocol: z.string().optional(),
  username: z.string().optional(),
  password: z.string().optional(),
});
export type MqttService = z.output<typeof MqttService>;

const Answer = z.union([
  z.object({ result: z.literal('ok'), data: MqttService }),
  z.object({ result: z.literal('error'), message: z.string().default('') }),
]);

const SET_IT = 'or set mqtt_url (with mqtt_username and mqtt_password) in the add-on options';

export async function mqttService(supervisorUrl: string, token: string | undefined, timeoutMs = 10_000): Promise<MqttService> {
  if (!token)
    throw new SupervisorError(`SUPERVISOR_TOKEN is not set, so this is not running as a Home Assistant add-on: the broker cannot be asked from the Supervisor; ${SET_IT}`);
  const url = new URL('/services/mqtt', supervisorUrl);
  const { status, text } = await get(url, token, timeoutMs);
  let answer: z.output<typeof Answer> | undefined;
  try {
    answer = Answer.parse(JSON.parse(text));
  } catch {
    answer = undefined;
  }
  const said = answer?.result === 'error' && answer.message ? ` ("${answer.message}")` : '';
  if (status === 400)
    throw new SupervisorError(`the Supervisor has no MQTT broker to offer${said}: install and start the "Mosquitto broker" add-on, ${SET_IT}`);
  if (status === 401 || status === 403)
    throw new SupervisorError(`the Supervisor refused to tell the MQTT broker (HTTP ${status}${said}): the add-on needs "services: [mqtt:need]" in its config.yaml; reinstall it, ${SET_IT}`);
  if (status !== 200 || answer?.result !== 'ok')
    throw new SupervisorError(`unexpected answer from the Supervisor at ${url.href} (HTTP ${status}${said}): ${text.slice(0, 120)}`);
  return answer.data;
}

/** The broker URL; the credentials stay out of it (they would be printed with it). */
export function brokerUrl(s: MqttService): string {
  return `${s.ssl ? 'mqtts' : 'mqtt'}://${s.host}:${s.port}`;
}

function get(url: URL, token: string, timeoutMs: number): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { headers: { authorization: `Bearer ${token}` }, agent: false, timeout: timeoutMs }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('error', (err) => reject(new SupervisorError(`the Supervisor at ${url.origin} broke off its answer: ${err.message}`)));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }));
    });
    req.on('timeout', () => req.destroy(new Error(`no answer within ${timeoutMs} ms`)));
    req.on('error', (err: NodeJS.ErrnoException) =>
      reject(new SupervisorError(`cannot reach the Supervisor at ${url.origin} (${err.code ?? err.message}): is this running as a Home Assistant add-on? ${SET_IT}`)),
    );
    req.end();
  });
}
