// The sound card and the ALSA tools fail under the bridge (the real ALSA rig): the card vanishes
// (both mixer backends), amixer hangs or dies, alsactl monitor dies (the alsa-utils backend). The volume entities go unavailable while the mixer
// cannot be used, the bridge stays online, and once the mixer answers the state is its own again.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { chmodSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ALSA_BACKENDS, backendSkip, startRig } from '../helpers/alsa-rig.js';
import { on } from '../helpers/mqtt.js';
import type { Speaker } from '../helpers/setup.js';
import { speakerOn, until, volumeRig } from '../helpers/volume.js';
import { repeatFault, wrongRetained, type Outcome } from './fault.js';

const REPETITIONS = 3;
const WAIT_MS = 30_000;

const rig = await startRig();
if (rig) process.env.ALSA_CONFIG_PATH = rig.env.ALSA_CONFIG_PATH;

// A test fixture, not a mock: the real amixer, behind a script that hangs or dies while a file
// says so. First on PATH, so that the bridge (in this process) runs it.
const tools = mkdtempSync(join(tmpdir(), 'l2m-tools-'));
const realAmixer = execFileSync('sh', ['-c', 'command -v amixer'], { encoding: 'utf8' }).trim();
writeFileSync(
  join(tools, 'amixer'),
  `#!/bin/sh\n[ -e '${tools}/hang' ] && exec sleep 3600\n[ -e '${tools}/die' ] && kill -9 $$\nexec '${realAmixer}' "$@"\n`,
);
chmodSync(join(tools, 'amixer'), 0o755);
process.env.PATH = `${tools}:${process.env.PATH}`;
/** The alsactl processes that are children of this one (the bridge's monitor): never any other. */
function monitors(): number[] {
  return readdirSync('/proc')
    .filter((d) => /^\d+$/.test(d))
    .filter((d) => {
      try {
        const m = /^\d+ \((.*)\) \S+ (\d+)/.exec(readFileSync(`/proc/${d}/stat`, 'utf8'));
        return m?.[1] === 'alsactl' && Number(m[2]) === process.pid;
      } catch {
        return false; // gone meanwhile
      }
    })
    .map(Number);
}

const flag = (name: 'hang' | 'die') => ({ on: () => writeFile(join(tools, name), ''), off: () => rm(join(tools, name), { force: true }) });

after(() => rmSync(tools, { recursive: true, force: true }));

/** While `fault` lasts the volume entities go unavailable; once it ends they come back with the mixer's level. */
async function unusable(s: Speaker, fault: { on(): Promise<void>; off(): Promise<void> }): Promise<Outcome> {
  const t = s.topics;
  const mark = s.watcher.mark();
  await fault.on();
  const lost: string[] = [];
  await s.watcher.wait(t.needs.mixer, (m) => m.text === 'offline', WAIT_MS, mark).catch(() => lost.push(`${t.needs.mixer}: no "offline"`));
  const back = s.watcher.mark();
  await fault.off();
  const t0 = Date.now();
  const up = await s.watcher.wait(t.needs.mixer, (m) => m.text === 'online', WAIT_MS, back);
  const { rawOf } = volumeRig(rig!);
  const raw = await until('the state holding the mixer level', () => rawOf('amp2'), (r) => JSON.stringify(r) === JSON.stringify(s.state().mixer_detail?.raw), WAIT_MS);
  assert.deepEqual(on(s.watcher, t.availability, mark), [], 'the bridge itself stays online');
  return { recoveredMs: Math.max(up.at - t0, raw.ms), lost: [...lost, ...(await wrongRetained(s))] };
}

for (const backend of ALSA_BACKENDS) {
  describe(`fault: the sound card and the ALSA tools (${backend})`, { skip: backendSkip(rig, backend) }, () => {
    let s: Speaker;
    before(async () => {
      await rig!.reset();
      s = await speakerOn('amp2', backend);
    });
    after(() => s?.close());

    it('the card vanishes and comes back', () =>
      repeatFault(`sound card vanished, back (${backend})`, REPETITIONS, () => unusable(s, { on: () => rig!.setGone('amp2', true), off: () => rig!.setGone('amp2', false) })));

    // the native mixer runs neither amixer nor alsactl
    if (backend !== 'alsa-utils') return;

    it('amixer hangs', () => repeatFault('amixer hangs (killed after its timeout)', REPETITIONS, () => unusable(s, flag('hang'))));

    it('amixer dies', () => repeatFault('amixer dies (SIGKILL)', REPETITIONS, () => unusable(s, flag('die'))));

    it('alsactl monitor dies: restarted, changes made meanwhile are still seen', () =>
      repeatFault('alsactl monitor dies (SIGKILL)', REPETITIONS, async (rep) => {
        const { setRaw, rawOf } = volumeRig(rig!);
        const [pid] = monitors();
        assert.ok(pid, 'an alsactl monitor');
        const t0 = Date.now();
        process.kill(pid, 'SIGKILL');
        // a knob turned while nothing watches
        await setRaw('amp2', 120 + rep * 10);
        const seen = await until('the change in the state', () => rawOf('amp2'), (r) => JSON.stringify(r) === JSON.stringify(s.state().mixer_detail?.raw) && r[0] === 120 + rep * 10, WAIT_MS).catch(() => null);
        await until('a new alsactl monitor', monitors, (p) => p.length === 1 && p[0] !== pid, WAIT_MS);
        return { recoveredMs: seen ? Date.now() - t0 : WAIT_MS, lost: seen ? await wrongRetained(s) : ['the volume changed while alsactl was down: not in the state'] };
      }));
  });
}
