// Security: mqtts with a CA and client certificates against mosquitto's TLS listener, a user under
// exactly the ACL README shows (config/mosquitto.acl), no secret in any log line at debug level,
// names and URIs that look like shell injection doing nothing, retained commands refused once, a
// warning when go-librespot is reached over the network, and least privilege for the OpenRC service
// and the add-on.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import mqtt from 'mqtt';
import { parse } from 'yaml';
import { captureLog, startSpeaker, until, type LogLine } from '../helpers/setup.js';
import { startBroker, type TestBroker } from '../helpers/broker.js';
import { repoFile } from '../helpers/alpine.js';
import { resolveConfig } from '../../bridge/config/load.js';
import { startBridge } from '../../bridge/bridge.js';
import { topicsFor } from '../../bridge/ha/topics.js';
import { exposureWarning } from '../../bridge/librespot/exposure.js';
import { LibrespotEmulator } from '../../bridge/emulator/emulator.js';
import { record } from './report.js';

const PASSWORD = 'Acl-Secret-3141';
const ACL = readFileSync(repoFile('config/mosquitto.acl'), 'utf8');
/** every log line of every bridge this file ran, at debug level: none may hold a secret */
const logs: LogLine[] = [];
let dir: string;
let emulator: LibrespotEmulator;

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'l2m-security-'));
  emulator = await LibrespotEmulator.start();
});
after(() => emulator?.close());

function openssl(...args: string[]): void {
  execFileSync('openssl', args, { cwd: dir, stdio: 'pipe' });
}

/** A CA, a server certificate for 127.0.0.1 and a client certificate, all signed by it. */
function certificates() {
  const key = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];
  openssl('req', '-x509', ...key, '-subj', '/CN=librespot2mqtt test CA', '-days', '2', '-keyout', 'ca.key', '-out', 'ca.pem');
  writeFileSync(join(dir, 'server.ext'), 'subjectAltName=IP:127.0.0.1\n');
  for (const [name, ext] of [['server', ['-extfile', 'server.ext']], ['client', []]] as const) {
    openssl('req', ...key, '-subj', `/CN=${name}`, '-keyout', `${name}.key`, '-out', `${name}.csr`);
    openssl('x509', '-req', '-in', `${name}.csr`, '-CA', 'ca.pem', '-CAkey', 'ca.key', '-CAcreateserial', '-days', '2', '-out', `${name}.pem`, ...ext);
  }
  const at = (f: string) => join(dir, f);
  return { ca: at('ca.pem'), server: { cert: at('server.pem'), key: at('server.key') }, client: { cert: at('client.pem'), key: at('client.key') } };
}

/** A bridge started on its own (the test's subscriber needs options startSpeaker does not give). */
async function bridgeWith(mqttConfig: Record<string, unknown>, id: string) {
  const cfg = resolveConfig({
    mqtt: mqttConfig,
    librespot: { url: emulator.url, timeout_ms: 1000 },
    device: { id, name: id },
    mixer: { backend: 'none' },
    state_file: join(dir, `${id}.json`),
  });
  const captured = captureLog();
  const bridge = await startBridge(cfg, captured.log);
  return { bridge, topics: topicsFor(cfg), captured, stop: async () => (await bridge.stop(), logs.push(...captured.lines)) };
}

/** Waits for the bridge's availability and its answer to a get, as `client` sees them. */
async function answersGet(client: mqtt.MqttClient, topics: ReturnType<typeof topicsFor>): Promise<void> {
  const seen: Array<{ topic: string; text: string }> = [];
  client.on('message', (topic, payload) => seen.push({ topic, text: payload.toString() }));
  await client.subscribeAsync([topics.availability, topics.response], { qos: 1 });
  await until(() => seen.some((m) => m.topic === topics.availability && m.text === 'online'), 10_000, 'online');
  await client.publishAsync(topics.get, '{"transaction":"tls"}', { qos: 1 });
  await until(() => seen.some((m) => m.topic === topics.response && JSON.parse(m.text).transaction === 'tls'), 10_000, 'the answer to get');
}

describe('security', () => {
  it('mqtts with a CA and a client certificate; without the certificate the broker refuses, and the log says TLS', async () => {
    const c = certificates();
    const broker = await startBroker({ tls: { ...c.server, ca: c.ca } });
    const url = `mqtts://127.0.0.1:${broker.port}`;
    const tls = { ca: c.ca, cert: c.client.cert, key: c.client.key };
    const watcher = await mqtt.connectAsync(url, { ca: readFileSync(c.ca), cert: readFileSync(c.client.cert), key: readFileSync(c.client.key), reconnectPeriod: 0 });
    const good = await bridgeWith({ url, tls }, 'tls');
    try {
      await answersGet(watcher, good.topics);
    } finally {
      await good.stop();
      await watcher.endAsync(true);
    }
    const bad = await bridgeWith({ url, tls: { ca: c.ca } }, 'no_client_cert');
    try {
      await until(() => bad.captured.lines.some((l) => l.level >= 40 && /TLS|certificate|lost the MQTT broker/.test(l.msg)), 15_000, 'a log line for the refused connection');
    } finally {
      await bad.stop();
      await broker.close();
    }
    record({ section: 'security', check: 'mqtts with a CA and client certificates (mosquitto require_certificate)', result: 'connects with its certificate; refused and logged without one' });
  });

  it('under exactly the ACL README shows (config/mosquitto.acl), everything works and the broker denies nothing', async () => {
    const readme = readFileSync(repoFile('README.md'), 'utf8');
    assert.ok(readme.includes(ACL.trim()), 'README quotes config/mosquitto.acl as it is');
    const ha = 'Ha-Secret-2718';
    // Home Assistant's own user may read and write everything, as the MQTT integration does
    const broker: TestBroker = await startBroker({ users: { librespot2mqtt: PASSWORD, homeassistant: ha }, acl: `${ACL}\nuser homeassistant\ntopic readwrite #\n`, verbose: true });
    const s = await startSpeaker({
      broker: { ...broker, url: `mqtt://homeassistant:${ha}@127.0.0.1:${broker.port}` },
      config: { mqtt: { url: `mqtt://127.0.0.1:${broker.port}`, username: 'librespot2mqtt', password: PASSWORD }, homeassistant: { media_player: 'bkbilly' } },
    });
    try {
      await s.watcher.wait(s.topics.discovery, () => true, 10_000);
      await s.watcher.wait(s.topics.state, () => true, 10_000);
      await until(() => s.bridge.store.get().volume !== null, 10_000, 'the volume read');
      const mark = s.watcher.mark();
      await s.watcher.publish(`${s.topics.set}/volume`, '30');
      await s.watcher.waitJson<{ ok: boolean }>(s.topics.response, (a) => a.ok, 10_000, mark);
      await s.watcher.publish(`${s.topics.groupSet}/max_volume`, '80');
      await until(() => s.bridge.store.get().max_volume === 80, 10_000, 'a whole-house command');
      const birth = s.watcher.mark();
      await s.watcher.publish(s.topics.haStatus, 'online');
      await s.watcher.wait(s.topics.discovery, () => true, 10_000, birth);
      await s.watcher.publish(s.topics.get, '');
      await s.watcher.waitJson<{ ok: boolean }>(s.topics.response, (a) => a.ok, 10_000, birth);
      const published = (topic: string) => broker.log().includes(`Received PUBLISH from librespot2mqtt_test (d0, q1, r1, `) && broker.log().includes(`'${topic}'`);
      assert.ok(published(s.topics.mediaPlayerDiscovery), 'the HACS media_player discovery published');
      const denied = broker.log().split('\n').filter((l) => /Denied/i.test(l) && l.includes('librespot2mqtt_'));
      assert.deepEqual(denied, [], 'the broker denied the bridge nothing');
      assert.deepEqual(s.logs.lines.filter((l) => l.level >= 50).map((l) => l.msg), [], 'the bridge logged no error');
    } finally {
      logs.push(...s.logs.lines);
      await s.close();
      await broker.close();
    }
    record({ section: 'security', check: 'user and password under the README ACL (config/mosquitto.acl)', result: 'discovery, state, commands, get, HA birth: all work, nothing denied' });
  });

  it('names and URIs that look like shell injection do nothing: no shell anywhere', async () => {
    // every child process is started with an argument list, never through a shell
    const sources = (d: string): string[] =>
      readdirSync(d, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? sources(join(d, e.name)) : e.name.endsWith('.ts') ? [join(d, e.name)] : []));
    const used = sources(repoFile('bridge')).flatMap((f) => {
      const text = readFileSync(f, 'utf8');
      const imported = [...text.matchAll(/import\s*\{([^}]*)\}\s*from\s*'(?:node:)?child_process'/g)].flatMap((m) => m[1]!.split(',').map((n) => n.trim().replace(/^type\s+/, '')));
      return [...imported.map((n) => `${f}: ${n}`), ...(/\bshell\s*:/.test(text) && imported.length ? [`${f}: shell option`] : [])];
    });
    const allowed = /: (execFile|execFileSync|spawn|spawnSync|ChildProcess|ExecFileException)$/;
    assert.ok(used.length > 0, 'the scan found the mixer\'s child processes');
    assert.deepEqual(used.filter((u) => !allowed.test(u)), [], 'child processes only through execFile/spawn with an argument list, never a shell');
    const mark = join(dir, 'pwned');
    const s = await startSpeaker({
      config: { mixer: { backend: 'alsa', device: `hw:0;touch ${mark}-device`, control: `$(touch ${mark}-control)`, switch: `\`touch ${mark}-switch\`` } },
    });
    try {
      await until(() => s.logs.lines.some((l) => l.level >= 40 && /ALSA|amixer|mixer/i.test(l.msg)), 15_000, 'the mixer refused');
      const before = s.watcher.mark();
      await s.watcher.publish(`${s.topics.set}/play_uri`, `spotify:track:$(touch ${mark}-uri)`);
      const a = await s.watcher.waitJson<{ ok: boolean }>(s.topics.response, () => true, 10_000, before);
      assert.equal(a.ok, false);
      await s.watcher.publish(s.topics.get, '');
      await s.watcher.waitJson<{ ok: boolean }>(s.topics.response, (a) => a.ok, 10_000, before);
    } finally {
      logs.push(...s.logs.lines);
      await s.close();
    }
    const made = readdirSync(dir).filter((f) => f.startsWith('pwned'));
    assert.deepEqual(made, [], 'nothing ran');
    record({ section: 'security', check: 'shell injection in mixer.device/control/switch and play_uri', result: 'no shell in bridge/ (execFile/spawn with argv); nothing ran, refused with a log line' });
  });

  it('a retained command is refused once, with the reason, and never run', async () => {
    const s = await startSpeaker();
    try {
      const mark = s.watcher.mark();
      const posts = s.emulator.requests.length;
      await s.watcher.publish(`${s.topics.set}/action`, 'next', { retain: true });
      const a = await s.watcher.waitJson<{ ok: boolean; error: string }>(s.topics.response, (a) => !a.ok, 10_000, mark);
      assert.match(a.error, /^retained command on .*set\/action ignored: publish commands without retain/);
      // the same retained command again (as the broker sends it on every new subscription): not answered again
      await s.watcher.publish(`${s.topics.set}/action`, 'next', { retain: true });
      await s.watcher.publish(s.topics.get, '{"transaction":"after"}');
      await s.watcher.waitJson(s.topics.response, (a: { transaction?: string }) => a.transaction === 'after', 10_000, mark);
      const refusals = s.watcher.messages.slice(mark).filter((m) => m.topic === s.topics.response && m.text.includes('retained command'));
      assert.equal(refusals.length, 1, 'answered once');
      assert.deepEqual(s.emulator.requests.slice(posts).filter((r) => r.path === '/player/next'), [], 'never run');
    } finally {
      logs.push(...s.logs.lines);
      await s.close();
    }
    record({ section: 'security', check: 'retained command', result: 'refused once with the reason and how to clear it; never run' });
  });

  it('go-librespot reached over the network: a warning at start, none on loopback', async () => {
    for (const url of ['http://127.0.0.1:3678', 'http://localhost:3678', 'http://[::1]:3678']) assert.equal(exposureWarning(url), null, url);
    const s = await startSpeaker({ config: { librespot: { url: 'http://192.0.2.10:3678' } } });
    try {
      await until(() => s.logs.has(/^go-librespot is reached over the network \(librespot\.url http:\/\/192\.0\.2\.10:3678\): its API has no authentication/), 5000, 'the warning');
    } finally {
      logs.push(...s.logs.lines);
      await s.close();
    }
    record({ section: 'security', check: 'go-librespot over a non-loopback address (its API has no authentication)', result: 'warned at start and by check-config' });
  });

  it('least privilege: the OpenRC service runs as its own user, the add-on asks for nothing beyond the sound card', () => {
    const initd = readFileSync(repoFile('config/alpine/librespot2mqtt.initd'), 'utf8');
    assert.match(initd, /^: "\$\{command_user:=librespot2mqtt:audio\}"$/m, 'command_user: its own user, group audio');
    assert.doesNotMatch(initd, /command_user:=root|^\s*user root/m);
    const manifest = parse(readFileSync(repoFile('addon/config.yaml'), 'utf8')) as Record<string, unknown>;
    for (const key of ['privileged', 'full_access', 'host_network', 'host_pid', 'host_ipc', 'host_dbus', 'docker_api', 'hassio_api', 'auth_api', 'kernel_modules', 'uart', 'usb', 'gpio', 'video'])
      assert.ok(!manifest[key], `addon/config.yaml has no ${key}`);
    assert.notEqual(manifest.apparmor, false, 'AppArmor stays on');
    assert.ok((manifest.devices as string[]).every((d) => /^\/dev\/snd\/controlC\d$/.test(d)), 'devices: the mixer control nodes only');
    record({ section: 'security', check: 'least privilege', result: 'OpenRC: command_user librespot2mqtt:audio; add-on: /dev/snd/controlC* and the HA API only, no privileged/full_access/host_network' });
  });

  it('no secret in any log line of this file, at debug level', () => {
    assert.ok(logs.length > 20, `logs were collected (${logs.length} lines)`);
    const keys = readdirSync(dir).filter((f) => f.endsWith('.key')).map((f) => readFileSync(join(dir, f), 'utf8').split('\n')[1]!);
    for (const secret of [PASSWORD, 'Ha-Secret-2718', ...keys]) {
      const leaked = logs.filter((l) => JSON.stringify(l).includes(secret));
      assert.deepEqual(leaked, [], `a secret in the logs: ${secret.slice(0, 6)}…`);
    }
    record({ section: 'security', check: 'secrets in logs (every line at debug level grepped)', result: `${logs.length} lines, no password, no key` });
  });
});
