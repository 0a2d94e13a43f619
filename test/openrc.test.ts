// The OpenRC service for real: Debian's openrc-run and supervise-daemon run the packaged init script
// (from the APKBUILD's $pkgdir, its paths moved under a temporary folder) against a private mosquitto
// and the go-librespot emulator. It comes online as nobody:nogroup (librespot2mqtt:audio on Alpine,
// a user in its own primary group either way); a SIGKILLed node is started again by
// supervise-daemon and comes back online; stop leaves the retained "offline"; a broken configuration
// refuses to start with its message on screen.
// Debian 12 has OpenRC 0.45, Alpine 3.24 0.63. Differences that matter here: 0.45's supervise-daemon
// has no output_logger (0.51), so this test logs to a file (output_log); 0.45 reads conf.d beside
// the script's init.d, 0.63 only from /etc/conf.d, so on Alpine a script outside /etc/init.d would
// not see this test's settings.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { chmod, chown, mkdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { buildPackage, run, serviceNodeFlags, type Package } from './helpers/alpine.js';
import { startBroker, type TestBroker } from './helpers/broker.js';
import { retained, Watcher } from './helpers/mqtt.js';
import { until } from './helpers/setup.js';
import { LibrespotEmulator } from '../bridge/emulator/emulator.js';
import { WAIT_MS } from './helpers/patience.js';

const OPENRC = ['/sbin/openrc-run', '/usr/sbin/supervise-daemon'];
const SOFTLEVEL = '/run/openrc/softlevel';
const missing = [
  ...OPENRC.filter((p) => !existsSync(p)).map((p) => `${p} (apt-get install openrc)`),
  ...(process.getuid?.() === 0 ? [] : ['root (supervise-daemon changes user)']),
];
if (missing.length && process.env.L2M_REQUIRE_OPENRC) throw new Error(`the OpenRC test needs ${missing.join(', ')} and L2M_REQUIRE_OPENRC is set`);

const gid = async (group: string) => {
  const line = (await readFile('/etc/group', 'utf8')).split('\n').find((l) => l.startsWith(`${group}:`));
  if (!line) throw new Error(`no group ${group}`);
  return Number(line.split(':')[2]);
};

describe('the OpenRC service under supervise-daemon', { skip: missing.length ? `needs ${missing.join(', ')}` : false }, () => {
  const svc = `l2m-test-${process.pid}`;
  const id = 'openrc';
  const availability = `librespot2mqtt/${id}/availability`;
  let pkg: Package;
  let broker: TestBroker;
  let emu: LibrespotEmulator;
  let w: Watcher;
  let initd: string;
  let cfg: string;
  let log: string;
  let ownSoftlevel = false;

  const rc = (command: string) => run(initd, [command], { timeoutMs: 60_000 });
  const childPid = async () => Number((await readFile(`/run/openrc/options/${svc}/child_pid`, 'utf8').catch(() => '')).trim()) || undefined;
  const goodConfig = () => `mqtt: {url: "${broker.url}"}\nlibrespot: {url: "${emu.url}"}\ndevice: {id: ${id}}\nmixer: {backend: none}\nlog: {level: info}\n`;

  before(async () => {
    [pkg, broker, emu] = await Promise.all([buildPackage(), startBroker(), LibrespotEmulator.start()]);
    // the service's user must reach the launcher, its configuration and its state
    await chmod(pkg.dir, 0o755);
    const root = join(pkg.dir, 'openrc');
    await mkdir(join(root, 'init.d'), { recursive: true });
    await mkdir(join(root, 'conf.d'));
    await mkdir(join(root, 'log'));
    await mkdir(join(root, 'var/lib'), { recursive: true });
    const rebase: [string, string][] = [
      ['/usr/bin/librespot2mqtt', join(pkg.pkgdir, 'usr/bin/librespot2mqtt')],
      ['/usr/lib/librespot2mqtt/librespot2mqtt.mjs', join(pkg.pkgdir, 'usr/lib/librespot2mqtt/librespot2mqtt.mjs')],
      ['/usr/bin/node', process.execPath],
      ['/var/lib', join(root, 'var/lib')],
    ];
    let script = await readFile(join(pkg.pkgdir, 'etc/init.d/librespot2mqtt'), 'utf8');
    for (const [from, to] of rebase) {
      assert.ok(script.includes(from), `the init script names ${from}`);
      script = script.replaceAll(from, to);
    }
    initd = join(root, 'init.d', svc);
    await writeFile(initd, script, { mode: 0o755 });
    cfg = join(root, 'librespot2mqtt.yaml');
    await writeFile(cfg, goodConfig(), { mode: 0o640 });
    await chown(cfg, 0, await gid('nogroup'));
    log = join(root, 'log', 'librespot2mqtt.log');
    await writeFile(
      join(root, 'conf.d', svc),
      `cfgfile="${cfg}"\ncommand_user="nobody:nogroup"\nrespawn_delay=1\noutput_log="${log}"\nerror_log="${log}"\n`,
    );
    // Debian was not booted by OpenRC: openrc-run refuses services until this exists
    if (!existsSync(SOFTLEVEL)) {
      await writeFile(SOFTLEVEL, '');
      ownSoftlevel = true;
    }
    w = await Watcher.connect(broker.url, [availability]);
  });

  after(async () => {
    if (initd) {
      await rc('stop');
      await rc('zap');
    }
    if (ownSoftlevel) await rm(SOFTLEVEL, { force: true });
    await w?.close();
    await emu?.close();
    await broker?.close();
    if (pkg) await rm(pkg.dir, { recursive: true, force: true });
  });

  it('start: online, running as its user, with its state in its own folder', async () => {
    const start = await rc('start');
    assert.equal(start.code, 0, `${start.stdout}${start.stderr}`);
    await w.wait(availability, (m) => m.text === 'online').catch(async (e: Error) => {
      throw new Error(`${e.message}\nlog: ${await readFile(log, 'utf8').catch(() => '')}`);
    });
    const pid = await childPid();
    assert.ok(pid, 'supervise-daemon records its child');
    const status = await readFile(`/proc/${pid}/status`, 'utf8');
    assert.match(status, /^Uid:\s+65534\s/m);
    assert.match(status, new RegExp(`^Gid:\\s+${await gid('nogroup')}\\s`, 'm'));
    // node itself with the service's V8 flags, then the packaged bundle
    const cmdline = (await readFile(`/proc/${pid}/cmdline`, 'utf8')).split('\0');
    assert.deepEqual(cmdline.slice(0, serviceNodeFlags().length + 2), [process.execPath, ...serviceNodeFlags(), join(pkg.pkgdir, 'usr/lib/librespot2mqtt/librespot2mqtt.mjs')]);
    const state = await stat(join(pkg.dir, 'openrc/var/lib/librespot2mqtt'));
    assert.deepEqual([state.uid, (state.mode & 0o777).toString(8)], [65534, '750']);
    assert.match(await readFile(log, 'utf8'), /librespot2mqtt starting/);
  });

  it('SIGKILL of node: the last will says offline, supervise-daemon starts it again, online again', async (t) => {
    const before = await childPid();
    assert.ok(before);
    const mark = w.mark();
    const t0 = Date.now();
    process.kill(before, 'SIGKILL');
    await w.wait(availability, (m) => m.text === 'offline', WAIT_MS, mark);
    const offlineAt = w.mark();
    await w.wait(availability, (m) => m.text === 'online', 2 * WAIT_MS, offlineAt);
    t.diagnostic(`SIGKILL → online again in ${Date.now() - t0} ms (respawn_delay=1)`);
    const after = await childPid();
    assert.ok(after && after !== before, `a new process (${before} → ${after})`);
  });

  it('restart with a broken configuration: refused, and the running bridge is left alone', async () => {
    const pid = await childPid();
    await writeFile(cfg, 'mqtt: {url: http://nope}\n');
    try {
      const restart = await rc('restart');
      assert.notEqual(restart.code, 0, `${restart.stdout}${restart.stderr}`);
      assert.match(`${restart.stdout}${restart.stderr}`, /mqtt\.url: must start with mqtt:\/\//);
      assert.equal(await childPid(), pid);
      assert.ok(existsSync(`/proc/${pid}`), 'still running');
    } finally {
      await writeFile(cfg, goodConfig());
    }
  });

  it('stop: exits, and the retained availability is "offline"', async (t) => {
    const pid = await childPid();
    const t0 = Date.now();
    const stop = await rc('stop');
    t.diagnostic(`rc stop took ${Date.now() - t0} ms`);
    assert.equal(stop.code, 0, `${stop.stdout}${stop.stderr}`);
    await until(() => !existsSync(`/proc/${pid}`), WAIT_MS, `process ${pid} to end`);
    const seen = (await retained(broker.url, [availability])).filter((m) => m.topic === availability);
    assert.deepEqual(seen.map((m) => [m.text, m.retain]), [['offline', true]]);
  });

  it('a broken configuration: start refuses, with the problem on screen', async () => {
    await writeFile(cfg, 'mqtt: {url: http://nope}\n');
    const start = await rc('start');
    const screen = `${start.stdout}${start.stderr}`;
    assert.notEqual(start.code, 0, screen);
    assert.match(screen, /mqtt\.url: must start with mqtt:\/\//);
    assert.match(screen, /is not usable/);
    assert.notEqual((await rc('status')).code, 0, 'not started');
    await writeFile(cfg, goodConfig());
  });
});
