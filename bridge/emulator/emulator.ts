// A stand-in for a go-librespot daemon (v0.9.0 API, zeroconf mode) on a local port: the HTTP API,
// the /events WebSocket, and hooks for what the Spotify app would do. Used by `librespot2mqtt demo`
// and by tests.
import { createServer, type Server } from 'node:http';
import type { Socket } from 'node:net';
import type { ApiStatus } from '../librespot/api.js';
import { Catalogue } from './catalogue.js';
import { Daemon } from './daemon.js';
import { EventHub } from './events.js';
import { handle } from './http.js';

export interface EmulatorOptions {
  host?: string;
  port?: number;
  session?: boolean;
  loaded?: boolean;
  legacy?: boolean;
  autoAdvance?: boolean;
  trackDurationMs?: number;
  volumeEventDelayMs?: number;
}

export interface ReceivedRequest {
  method: string;
  path: string;
  /** Parsed JSON; the raw text if it is not JSON; undefined if empty. */
  body: unknown;
  at: number;
}

export class LibrespotEmulator {
  readonly requests: ReceivedRequest[] = [];
  private readonly sockets = new Set<Socket>();
  private hanging = false;
  private held: Array<() => void> = [];
  private url_ = '';

  private constructor(
    /** what the emulated Spotify account can play: tests and the demo pick URIs from it */
    readonly catalogue: Catalogue,
    private readonly server: Server,
    private readonly daemon: Daemon,
    private readonly hub: EventHub,
    private readonly legacy: boolean,
  ) {}

  static async start(opts: EmulatorOptions = {}): Promise<LibrespotEmulator> {
    const hub = new EventHub();
    const catalogue = new Catalogue(opts.trackDurationMs);
    const daemon = new Daemon(
      { legacy: opts.legacy ?? false, autoAdvance: opts.autoAdvance ?? false, volumeEventDelayMs: opts.volumeEventDelayMs ?? 100 },
      catalogue,
      (type, data) => hub.broadcast(type, data),
    );
    if (opts.session ?? true) {
      if (opts.loaded ?? true) daemon.preload();
      else daemon.connectSession(true);
    }
    const emu = new LibrespotEmulator(catalogue, createServer(), daemon, hub, opts.legacy ?? false);
    await emu.listen(opts.host ?? '127.0.0.1', opts.port ?? 0);
    return emu;
  }

  get url(): string {
    return this.url_;
  }

  status(): ApiStatus | null {
    return this.daemon.status();
  }

  connectSession(): void {
    this.daemon.connectSession();
  }

  /** Creates the session first if no phone is connected yet. */
  transferIn(opts: { paused?: boolean } = {}): void {
    this.daemon.transferIn(opts.paused ?? false);
  }

  logout(): void {
    this.daemon.endSession();
  }

  transferAway(): void {
    this.daemon.stopPlayback();
  }

  appVolume(percentOrSteps: number): void {
    if (this.daemon.player) this.daemon.volume.setSteps(Math.max(0, percentOrSteps), false);
  }

  appSkip(): void {
    this.daemon.player?.next();
  }

  appPause(): void {
    this.daemon.player?.pause();
  }

  appResume(): void {
    this.daemon.player?.resume();
  }

  appSeek(positionMs: number): void {
    this.daemon.player?.seek(positionMs);
  }

  appSetShuffle(on: boolean): void {
    this.daemon.player?.setShuffle(on);
  }

  /** Spotify's "repeat one" keeps repeating the context too. */
  appSetRepeat(mode: 'off' | 'context' | 'track'): void {
    this.daemon.player?.setRepeatContext(mode !== 'off');
    this.daemon.player?.setRepeatTrack(mode === 'track');
  }

  trackEnds(): void {
    this.daemon.player?.trackEnded();
  }

  outputFails(): void {
    this.daemon.player?.outputFailed();
  }

  /** While on, requests that reach the player loop wait; they are answered in order when it ends. */
  setHang(on: boolean): void {
    this.hanging = on;
    if (on) return;
    const held = this.held;
    this.held = [];
    for (const run of held) run();
  }

  dropConnections(): void {
    this.hub.drop();
    for (const s of this.sockets) s.destroy();
    this.held = [];
  }

  async close(): Promise<void> {
    this.daemon.dispose();
    this.held = [];
    await this.hub.close();
    const closed = new Promise<void>((resolve) => this.server.close(() => resolve()));
    for (const s of this.sockets) s.destroy();
    await closed;
  }

  private async listen(host: string, port: number): Promise<void> {
    const server = this.server;
    server.on('connection', (s) => {
      this.sockets.add(s);
      s.on('close', () => this.sockets.delete(s));
    });
    server.on('request', (req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const raw = Buffer.concat(chunks).toString('utf8');
        this.record(req.method ?? 'GET', req.url ?? '/', raw);
        const deps = { daemon: this.daemon, legacy: this.legacy, inLoop: (fn: () => void) => this.inLoop(fn) };
        try {
          handle(req, res, raw, deps);
        } catch {
          if (!res.headersSent) res.writeHead(500).end();
        }
      });
    });
    server.on('upgrade', (req, socket, head) => {
      this.record(req.method ?? 'GET', req.url ?? '/', '');
      const path = new URL(req.url ?? '/', 'http://x').pathname;
      if (path === '/events') return this.hub.upgrade(req, socket, head);
      socket.end('HTTP/1.1 404 Not Found\r\nContent-Type: text/plain; charset=utf-8\r\nConnection: close\r\n\r\n404 page not found\n');
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, host, () => resolve());
    });
    const addr = server.address();
    if (addr === null || typeof addr === 'string') throw new Error('emulator: no TCP address');
    const shownHost = addr.family === 'IPv6' ? `[${addr.address}]` : addr.address;
    this.url_ = `http://${shownHost}:${addr.port}`;
  }

  private inLoop(fn: () => void): void {
    if (this.hanging) this.held.push(fn);
    else fn();
  }

  private record(method: string, url: string, raw: string): void {
    let body: unknown;
    if (raw !== '') {
      try {
        body = JSON.parse(raw);
      } catch {
        body = raw;
      }
    }
    this.requests.push({ method, path: new URL(url, 'http://x').pathname, body, at: Date.now() });
  }
}
