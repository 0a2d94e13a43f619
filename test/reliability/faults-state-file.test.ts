// The state file fails: found corrupt at start, its folder unwritable, the disk full. The bridge
// says so once in the log, runs on (the cap still works and is published), and the next good
// write leaves a whole file with the newest values.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync } from 'node:fs';
import { mkdir, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { startBroker, type TestBroker } from '../helpers/broker.js';
import { startSpeaker, until, type Speaker } from '../helpers/setup.js';
import { repeatFault, type Outcome } from './fault.js';

const REPETITIONS = 3;
const dir = mkdtempSync(join(tmpdir(), 'l2m-state-faults-'));

const saved = (path: string): unknown => {
  try {
    return (JSON.parse(readFileSync(path, 'utf8')) as { max_volume?: number }).max_volume;
  } catch {
    return undefined;
  }
};

/** The cap set over MQTT: published at once whatever happens to the file. */
async function setCap(s: Speaker, cap: number): Promise<void> {
  const mark = s.watcher.mark();
  await s.watcher.publish(s.topics.set, JSON.stringify({ max_volume: cap }));
  await s.watcher.waitJson(s.topics.state, (v) => v.max_volume === cap, 10_000, mark);
}

/** The fault on, a change the file cannot take, the fault off, a change it takes: timed from the fix. */
async function failAndRepair(s: Speaker, rep: number, fault: { on(): Promise<void>; off(): Promise<void> }): Promise<Outcome> {
  const path = s.cfg.state_file;
  const logMark = s.logs.lines.length;
  await fault.on();
  await setCap(s, 50 + rep);
  await until(() => s.logs.lines.slice(logMark).some((l) => /^cannot save .*; the bridge runs on/.test(l.msg)), 10_000, 'the failed save logged').catch((e: Error) => {
    throw new Error(`${e.message}: ${JSON.stringify(s.logs.lines.slice(logMark).map((l) => l.msg))}`);
  });
  await fault.off();
  const t0 = Date.now();
  await setCap(s, 70 + rep);
  const lost: string[] = [];
  await until(() => saved(path) === 70 + rep, 10_000, 'the repaired file').catch(() => lost.push(`${path}: max_volume ${String(saved(path))}, not ${70 + rep}`));
  const recoveredMs = Date.now() - t0;
  assert.equal(s.logs.lines.slice(logMark).filter((l) => /^cannot save/.test(l.msg) && l.level >= 50).length, 1, 'one error line per failure');
  return { recoveredMs, lost };
}

describe('fault: the state file', () => {
  let broker: TestBroker;
  let s: Speaker;
  before(async () => {
    broker = await startBroker();
    s = await startSpeaker({ broker, config: { state_file: join(dir, 'run', 'state.json') } });
  });
  after(async () => {
    await s?.close();
    await broker?.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('corrupt at start: ignored with a log line, the bridge starts, the next write repairs it', () =>
    repeatFault('state file corrupt at start', REPETITIONS, async (rep) => {
      const path = join(dir, `corrupt-${rep}`, 'state.json');
      await mkdir(dirname(path));
      await writeFile(path, ['{"max_volume": 4', '\0\0\0\0', 'null'][rep]!);
      // a device of its own: with the same client id it would take the other bridge's place
      const c = await startSpeaker({ broker, config: { state_file: path, device: { id: `corrupt-${rep}`, name: 'Corrupt' } } });
      try {
        assert.ok(c.logs.has(/^ignoring .*state\.json: not a state file of this bridge/), JSON.stringify(c.logs.lines.map((l) => l.msg)));
        const t0 = Date.now();
        await setCap(c, 80);
        const lost: string[] = [];
        await until(() => saved(path) === 80, 10_000, 'the repaired file').catch(() => lost.push(`${path}: still corrupt`));
        return { recoveredMs: Date.now() - t0, lost };
      } finally {
        await c.close();
      }
    }));

  it('its folder unwritable (a file where the folder should be)', () =>
    repeatFault('state file unwritable', REPETITIONS, (rep) => {
      const folder = dirname(s.cfg.state_file);
      return failAndRepair(s, rep, {
        on: async () => {
          await rm(folder, { recursive: true, force: true });
          await writeFile(folder, '');
        },
        off: () => rm(folder, { force: true }),
      });
    }));

  it('the disk full (the temporary file is /dev/full: every write fails with ENOSPC)', () =>
    repeatFault('state file on a full disk', REPETITIONS, (rep) => {
      const tmp = `${s.cfg.state_file}.${process.pid}.tmp`;
      return failAndRepair(s, rep, {
        on: async () => {
          await mkdir(dirname(tmp), { recursive: true });
          await symlink('/dev/full', tmp);
        },
        // the bridge removes what it failed to write: that gives the space back
        off: () => rm(tmp, { force: true }),
      });
    }));
});
