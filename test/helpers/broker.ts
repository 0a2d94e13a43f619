// A private MQTT broker per test file: the real mosquitto on a free port (aedes only when
// mosquitto is not installed and L2M_REQUIRE_MOSQUITTO is unset, and then it says so).
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer, connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface TestBroker {
  url: string;
  port: number;
  kind: 'mosquitto' | 'aedes';
  /** the mosquitto process (to stall it with SIGSTOP); undefined for aedes */
  readonly pid?: number;
  /** stop (as a crash would: no persistence, retained messages are gone) */
  stop(): Promise<void>;
  /** start again on the same port */
  start(): Promise<void>;
  close(): Promise<void>;
  /** mosquitto only: replace the password file's users (read at the next start) */
  setUsers(users: Record<string, string>): void;
  /** mosquitto only: what it logged (with `verbose`: every connection) */
  log(): string;
}

export interface BrokerOptions {
  /** a password file with these users, and no anonymous clients */
  users?: Record<string, string>;
  /** log every connection and CONNACK (log() returns them) */
  verbose?: boolean;
  /** a TLS listener with this certificate and key (PEM files); with `ca`, clients must show a
   * certificate that CA signed */
  tls?: { cert: string; key: string; ca?: string };
  /** an ACL file with this text (with `users`) */
  acl?: string;
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject).listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

const hasMosquitto = () => spawnSync('mosquitto', ['-h'], { stdio: 'ignore' }).error === undefined;

export async function startBroker(opts: BrokerOptions = {}): Promise<TestBroker> {
  const port = await freePort();
  if (hasMosquitto()) return mosquitto(port, opts);
  if (opts.users || opts.verbose || opts.tls || opts.acl !== undefined) throw new Error('a password file or a broker log needs mosquitto (apt-get install mosquitto)');
  if (process.env.L2M_REQUIRE_MOSQUITTO) throw new Error('mosquitto is not installed (apt-get install mosquitto mosquitto-clients) and L2M_REQUIRE_MOSQUITTO is set');
  console.warn('# mosquitto is not installed: testing against aedes instead (apt-get install mosquitto mosquitto-clients)');
  return aedes(port);
}

async function mosquitto(port: number, opts: BrokerOptions): Promise<TestBroker> {
  const dir = mkdtempSync(join(tmpdir(), 'l2m-mosquitto-'));
  const conf = join(dir, 'mosquitto.conf');
  const passwords = join(dir, 'passwords');
  const setUsers = (users: Record<string, string>) => {
    writeFileSync(passwords, Object.entries(users).map(([u, p]) => `${u}:${p}\n`).join(''), { mode: 0o600 });
    // hashes the plain "user:password" lines in place
    const r = spawnSync('mosquitto_passwd', ['-U', passwords], { encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`mosquitto_passwd -U failed: ${r.stderr || r.error?.message}`);
  };
  // run as root (CI), mosquitto would switch to the user "mosquitto", which cannot read a private temp folder
  const lines = [`listener ${port} 127.0.0.1`, 'persistence false', 'set_tcp_nodelay true', 'log_dest stderr', 'user root'];
  if (opts.tls) lines.push(`certfile ${opts.tls.cert}`, `keyfile ${opts.tls.key}`);
  if (opts.tls?.ca) lines.push(`cafile ${opts.tls.ca}`, 'require_certificate true');
  if (opts.acl !== undefined) {
    writeFileSync(join(dir, 'acl'), opts.acl);
    lines.push(`acl_file ${join(dir, 'acl')}`);
  }
  if (opts.users) {
    setUsers(opts.users);
    lines.push('allow_anonymous false', `password_file ${passwords}`);
  } else lines.push('allow_anonymous true');
  if (opts.verbose) lines.push('log_type all', 'connection_messages true');
  writeFileSync(conf, lines.join('\n') + '\n');
  let child: ChildProcess | null = null;
  let log = '';
  const start = async () => {
    child = spawn('mosquitto', ['-c', conf], { stdio: ['ignore', 'ignore', 'pipe'] });
    let err = '';
    child.stderr!.on('data', (d) => ((err += d), (log += d)));
    child.unref();
    await waitForPort(port, () => (child?.exitCode !== null ? `mosquitto exited: ${err}` : null));
  };
  const stop = async () => {
    const c = child;
    child = null;
    if (!c || c.exitCode !== null) return;
    await new Promise<void>((resolve) => {
      c.once('exit', () => resolve());
      // unref'd so a forgotten broker never holds the test runner; waiting for its exit needs a ref
      c.ref();
      c.kill('SIGKILL');
    });
  };
  await start();
  return {
    url: `mqtt://127.0.0.1:${port}`,
    port,
    kind: 'mosquitto',
    get pid() {
      return child?.pid;
    },
    start,
    stop,
    close: stop,
    setUsers,
    log: () => log,
  };
}

/** aedes in this process: an MQTT 3.1.1-only broker. */
export async function aedes(port: number): Promise<TestBroker> {
  const { startEmbeddedBroker } = await import('../../bridge/demo/broker.js');
  let broker: Awaited<ReturnType<typeof startEmbeddedBroker>> | null = null;
  const start = async () => {
    broker = await startEmbeddedBroker('127.0.0.1', port, 1);
  };
  const stop = async () => {
    await broker?.close();
    broker = null;
  };
  await start();
  const mosquittoOnly = () => {
    throw new Error('aedes: a password file and a broker log need mosquitto');
  };
  return { url: `mqtt://127.0.0.1:${port}`, port, kind: 'aedes', start, stop, close: stop, setUsers: mosquittoOnly, log: mosquittoOnly };
}

async function waitForPort(port: number, failed: () => string | null): Promise<void> {
  for (let i = 0; i < 200; i++) {
    const why = failed();
    if (why) throw new Error(why);
    const ok = await new Promise<boolean>((resolve) => {
      const s = connect(port, '127.0.0.1');
      s.once('connect', () => (s.destroy(), resolve(true)));
      s.once('error', () => resolve(false));
    });
    if (ok) return;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error(`nothing listens on 127.0.0.1:${port}`);
}
