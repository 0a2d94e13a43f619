// The bridge as a process, stopped: SIGTERM and SIGINT in the middle of a flood of commands end it
// with "offline" (retained) and exit code 0 (the CLI exits 1 if stopping outlasts its limit, under
// the 2 s a supervisor waits); SIGKILL leaves the broker's last will to say "offline".
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import mqtt from 'mqtt';
import { LibrespotEmulator } from '../../bridge/emulator/emulator.js';
import { startBroker } from '../helpers/broker.js';
import { retained, Watcher } from '../helpers/mqtt.js';
import { CLI, killAll, start, terminate, type Proc } from '../helpers/process.js';
import { until } from '../helpers/setup.js';
import { repeatFault, type Outcome } from './fault.js';

const REPETITIONS = 3;
/** as many as the fuzzing run that once held a stop for 5 s */
const FLOOD = 2300;
/** commands good and bad, on the device's and the group's topics */
const PAYLOADS = ['{"volume": 30}', 'garbage', '{"volume": "NaN"}', '-5', '{"action": "next"}', `${'{"a":'.repeat(60)}1`, 'null', '{"volume": 1e309}', '[]', '{"mute": true}', '{"play_uri": "spotify:track:nope"}', 'é'.repeat(3000)];

const broker = await startBroker();
const emu = await LibrespotEmulator.start();
after(async () => {
  killAll();
  await Promise.all([emu.close(), broker.close()]);
});

/** A bridge process, online, and a subscriber to its availability. */
async function running(id: string): Promise<{ p: Proc; w: Watcher; availability: string }> {
  const availability = `librespot2mqtt/${id}/availability`;
  const w = await Watcher.connect(broker.url, [availability]);
  const p = start(process.execPath, [CLI, 'run', '--mqtt-url', broker.url, '--librespot-url', emu.url, '--device-id', id]);
  await w.wait(availability, (m) => m.text === 'online', 15_000).catch((e: Error) => {
    throw new Error(`${e.message}\nstderr: ${p.err()}`);
  });
  return { p, w, availability };
}

/** What a subscriber arriving now finds: "offline" retained, else one lost message. */
async function offlineRetained(availability: string): Promise<string[]> {
  const seen = (await retained(broker.url, [availability])).map((m) => `${m.text}${m.retain ? ' (retained)' : ''}`);
  return seen.join() === 'offline (retained)' ? [] : [`${availability}: ${seen.join() || 'nothing'} retained`];
}

/** Commands sent as fast as the client can, QoS 0 and 1 mixed; resolves once the bridge is busy with them. */
async function flood(id: string, p: Proc): Promise<void> {
  const c = await mqtt.connectAsync(broker.url);
  const topics = [`librespot2mqtt/${id}/set`, `librespot2mqtt/${id}/set/volume`, 'librespot2mqtt/all/set', `librespot2mqtt/${id}/get`];
  for (let i = 0; i < FLOOD; i++) c.publish(topics[i % topics.length]!, PAYLOADS[i % PAYLOADS.length]!, { qos: i % 2 === 0 ? 0 : 1 });
  await until(() => p.err().includes('rejected command'), 15_000, 'the bridge refusing the flood');
  await c.endAsync(true);
}

async function stopUnderLoad(signal: 'SIGTERM' | 'SIGINT', rep: number): Promise<Outcome> {
  const { p, w, availability } = await running(`${signal.toLowerCase()}-${rep}`);
  try {
    await flood(`${signal.toLowerCase()}-${rep}`, p);
    const mark = w.mark();
    const { exit, ms } = await terminate(p, signal);
    assert.deepEqual(exit, { code: 0, signal: null }, p.err().slice(-2000));
    const said = await w.wait(availability, (m) => m.text === 'offline', 10_000, mark).then(() => [], () => ['no "offline" after the signal']);
    return { recoveredMs: ms, lost: [...said, ...(await offlineRetained(availability))] };
  } finally {
    await w.close();
  }
}

async function killed(rep: number): Promise<Outcome> {
  const { p, w, availability } = await running(`sigkill-${rep}`);
  try {
    const mark = w.mark();
    const t0 = Date.now();
    p.child.kill('SIGKILL');
    assert.equal((await p.exited).signal, 'SIGKILL');
    const will = await w.wait(availability, (m) => m.text === 'offline', 10_000, mark);
    return { recoveredMs: will.at - t0, lost: await offlineRetained(availability) };
  } finally {
    await w.close();
  }
}

describe('fault: the bridge is stopped', () => {
  it(`SIGTERM after a flood of ${FLOOD} commands: "offline", exit 0`, () =>
    repeatFault(`SIGTERM after a flood of ${FLOOD} commands (time to exit 0)`, REPETITIONS, (rep) => stopUnderLoad('SIGTERM', rep)));
  it(`SIGINT after a flood of ${FLOOD} commands: "offline", exit 0`, () =>
    repeatFault(`SIGINT after a flood of ${FLOOD} commands (time to exit 0)`, REPETITIONS, (rep) => stopUnderLoad('SIGINT', rep)));
  it('SIGKILL: the last will says "offline"', () => repeatFault('bridge killed (SIGKILL): last will (time to "offline")', REPETITIONS, killed));
});
