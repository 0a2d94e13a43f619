// No secret is ever printed (issue 13): the bridge, the demo and ctl, run as a user runs them, through
// success and failure with a known password (in the URL, in mqtt.password_file), never show it; they
// name the user and the key to check instead. Also: demo --device-id, and the generic device.id warning.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, startBroker, type TestBroker } from './helpers/broker.js';
import { until } from './helpers/setup.js';
import { Watcher } from './helpers/mqtt.js';
import { shell } from './helpers/shell.js';
import { CLI, cleanEnv, cli, killAll, start, type Proc } from './helpers/process.js';
import { LibrespotEmulator } from '../bridge/emulator/emulator.js';
import { WAIT_MS } from './helpers/patience.js';

const SECRET = 'Known-Secret-4711';
const WRONG = 'Wrong-Secret-0815';

let broker: TestBroker;
let emu: LibrespotEmulator;
let dir: string;
/** every output of every process this file ran: none may hold a password */
const outputs: Array<{ what: string; text: string }> = [];
const url = (password: string, port = broker.port) => `mqtt://speaker:${password}@127.0.0.1:${port}`;

before(async () => {
  broker = await startBroker({ users: { speaker: SECRET } });
  emu = await LibrespotEmulator.start();
  dir = await mkdtemp(join(tmpdir(), 'l2m-secrets-'));
});
after(async () => {
  killAll();
  await emu?.close();
  await broker?.close();
  await rm(dir, { recursive: true, force: true });
});

/** Runs until its output matches `until`, then SIGTERM; returns stdout + stderr. */
async function runUntil(what: string, args: string[], expect: RegExp, env = cleanEnv()): Promise<string> {
  const p = start(process.execPath, [CLI, ...args], env);
  const text = () => p.out() + p.err();
  try {
    await until(() => expect.test(text()) || p.child.exitCode !== null, WAIT_MS, `${what}: ${expect}`);
    assert.match(text(), expect, `${what}:\n${text()}`);
  } finally {
    await stop(p);
    outputs.push({ what, text: text() });
  }
  return text();
}

async function stop(p: Proc): Promise<void> {
  if (p.child.exitCode === null) p.child.kill('SIGTERM');
  await p.exited;
}

const bridgeArgs = (mqttUrl: string) => ['run', '--mqtt-url', mqttUrl, '--librespot-url', emu.url, '--device-id', 'secrets', '--log-level', 'debug'];

describe('secrets are never printed', () => {
  it('the bridge: connected, refused, broker down — with the password in mqtt.url', async () => {
    const ok = await runUntil('run, right password', bridgeArgs(url(SECRET)), /connected to the MQTT broker/);
    assert.match(ok, /mqtt:\/\/speaker:\*\*\*@127\.0\.0\.1:\d+/, 'the URL is shown, masked');
    const refused = await runUntil('run, wrong password', bridgeArgs(url(WRONG)), /the broker refused user/);
    assert.match(refused, /the broker refused user \\?"speaker\\?": check the user and password in mqtt\.url/);
    await runUntil('run, broker down', bridgeArgs(url(SECRET, await freePort())), /cannot reach the MQTT broker at mqtt:\/\/speaker:\*\*\*@/);
  });

  it('the bridge: mqtt.password_file from the environment (LIBRESPOT2MQTT_MQTT_PASSWORD_FILE)', async () => {
    const right = join(dir, 'right');
    const wrong = join(dir, 'wrong');
    await writeFile(right, `${SECRET}\n`);
    await writeFile(wrong, `${WRONG}\n`);
    const env = (file: string) => cleanEnv({ LIBRESPOT2MQTT_MQTT_USERNAME: 'speaker', LIBRESPOT2MQTT_MQTT_PASSWORD_FILE: file });
    await runUntil('run, password file', bridgeArgs(broker.url), /connected to the MQTT broker/, env(right));
    const refused = await runUntil('run, wrong password file', bridgeArgs(broker.url), /the broker refused user/, env(wrong));
    assert.match(refused, /check mqtt\.username \/ mqtt\.password_file/);
    const checked = await cli(['check-config'], env(right));
    outputs.push({ what: 'check-config, password file', text: checked.stdout + checked.stderr });
    assert.equal(checked.code, 0, checked.stderr);
  });

  it('the demo with --device-id: its banner masks the password, its printed lines work with $MQTT_PASSWORD; ctl too', async () => {
    const p = start(process.execPath, [CLI, 'demo', '--mqtt-url', url(SECRET), '--device-id', 'kitchen-demo']);
    try {
      await until(() => p.out().includes('Stop with Ctrl-C.') || p.child.exitCode !== null, WAIT_MS, 'the demo banner');
      assert.match(p.out(), /-t 'librespot2mqtt\/kitchen-demo\/#'/);
      assert.match(p.out(), /your MQTT broker at mqtt:\/\/speaker:\*\*\*@127\.0\.0\.1:\d+/);
      const w = await Watcher.connect(url(SECRET), ['librespot2mqtt/kitchen-demo/#']);
      try {
        await w.waitJson<any>('librespot2mqtt/kitchen-demo/state', (v) => v.playback === 'playing');
        const pause = p.out().split('\n').map((l) => l.trim()).find((l) => l.startsWith('mosquitto_pub ') && / -m pause$/.test(l));
        assert.ok(pause?.includes(`-u 'speaker' -P "$MQTT_PASSWORD"`), p.out());
        const r = await shell(pause!, { ...process.env, MQTT_PASSWORD: SECRET });
        assert.equal(r.code, 0, r.stderr);
        await w.waitJson<any>('librespot2mqtt/kitchen-demo/state', (v) => v.playback === 'paused');
      } finally {
        await w.close();
      }
      const ctl = (password: string, port?: number) => cli(['ctl', '--mqtt-url', url(password, port), '--device', 'kitchen-demo', '--timeout', '20', 'status']);
      const ok = await ctl(SECRET);
      const refused = await ctl(WRONG);
      const down = await ctl(SECRET, await freePort());
      for (const [what, r] of [['ctl status', ok], ['ctl, wrong password', refused], ['ctl, broker down', down]] as const)
        outputs.push({ what, text: r.stdout + r.stderr });
      assert.equal(ok.code, 0, ok.stderr);
      assert.equal(refused.code, 5);
      assert.match(refused.stderr, /the broker refused user "speaker": check the user and password in mqtt\.url/);
      assert.equal(down.code, 5);
      assert.match(down.stderr, /cannot reach the MQTT broker at mqtt:\/\/speaker:\*\*\*@127\.0\.0\.1:\d+/);
    } finally {
      await stop(p);
      outputs.push({ what: 'demo', text: p.out() + p.err() });
    }
    await runUntil('demo, wrong password', ['demo', '--mqtt-url', url(WRONG)], /the broker refused user/);
  });

  it('none of the outputs above holds a password', () => {
    assert.ok(outputs.length >= 10, `${outputs.length} outputs`);
    for (const { what, text } of outputs) {
      assert.ok(text.length > 0, `${what}: no output`);
      for (const secret of [SECRET, WRONG]) assert.ok(!text.includes(secret), `${what} printed a password:\n${text}`);
    }
  });
});

describe('device.id from a generic host name', () => {
  it('check-config and the start-up log warn; a name of its own passes quietly', async () => {
    const generic = await cli(['check-config', '--device-id', 'raspberrypi']);
    assert.equal(generic.code, 0, generic.stderr);
    assert.match(generic.stderr, /^warning: device\.id is "raspberrypi", a host name that many machines share: .*Give each speaker its own device\.id/m);
    const own = await cli(['check-config', '--device-id', 'kitchen']);
    assert.equal(own.stderr, '');
    await runUntil('run as raspberrypi', ['run', '--mqtt-url', url(SECRET), '--librespot-url', emu.url, '--device-id', 'raspberrypi'], /device\.id is \\?"raspberrypi\\?", a host name that many machines share/);
  });
});
