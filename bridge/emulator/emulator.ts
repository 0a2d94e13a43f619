// A stand-in for a go-librespot daemon (zeroconf mode) on a local port: the HTTP API, the /events
// WebSocket, and hooks for what the Spotify app would do. Used by `librespot2mqtt demo` and by tests.
// It plays v0.10 by default and v0.9 or an older daemon on request (`version`); each v0.10
// behaviour names its source where it is implemented (notes §14).
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import type { ApiStatus } from '../librespot/api.js';
import { PICKUP_TIMEOUT_MS } from '../librespot/limits.js';
import { Catalogue } from './catalogue.js';
import { Daemon } from './daemon.js';
import { EventHub } from './events.js';
import { handle, type LoopRequest } from './http.js';
import type { PlaybackFailure } from './player.js';
import { LATEST, since, type ApiVersion } from './version.js';

export interface EmulatorOptions {
  host?: string;
  port?: number;
  session?: boolean;
  loaded?: boolean;
  /** the go-librespot release to behave like (default: the newest) */
  version?: ApiVersion;
  /** go-librespot's metadata.enabled (v0.10): /status carries next_track */
  metadataCache?: boolean;
  autoAdvance?: boolean;
  trackDurationMs?: number;
  volumeEventDelayMs?: number;
  /** v0.10 answers 503 when the player loop does not pick a request up in time (default PICKUP_TIMEOUT_MS) */
  pickupTimeoutMs?: number;
}

/** Kinds a failure can be given in; the message go-librespot would put in the event with it. */
const FAILURE_MESSAGES: Record<string, string> = {
  // the audio-key refusal of notes §15.1, as users report it
  restricted: 'failed getting audio key: audio key error 0 1',
  unsupported: 'no supported formats',
  rate_limited: 'rate limited',
  network: 'lost the connection to Spotify',
};

export type HostileAnswer = (req: IncomingMessage, res: ServerResponse) => boolean;

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
  private held: LoopRequest[] = [];
  private url_ = '';
  private hostile: HostileAnswer | null = null;

  private constructor(
    /** what the emulated Spotify account can play: tests and the demo pick URIs from it */
    readonly catalogue: Catalogue,
    private readonly server: Server,
    private readonly daemon: Daemon,
    private readonly hub: EventHub,
    readonly version: ApiVersion,
    private readonly pickupTimeoutMs: number,
  ) {}

  static async start(opts: EmulatorOptions = {}): Promise<LibrespotEmulator> {
    const hub = new EventHub();
    const catalogue = new Catalogue(opts.trackDurationMs);
    const version = opts.version ?? LATEST;
    const daemon = new Daemon(
      {
        version,
        autoAdvance: opts.autoAdvance ?? false,
        volumeEventDelayMs: opts.volumeEventDelayMs ?? 100,
        metadataCache: opts.metadataCache ?? false,
      },
      catalogue,
      (type, data) => hub.broadcast(type, data),
    );
    if (opts.session ?? true) {
      if (opts.loaded ?? true) daemon.preload();
      else daemon.connectSession(true);
    }
    const emu = new LibrespotEmulator(catalogue, createServer(), daemon, hub, version, opts.pickupTimeoutMs ?? PICKUP_TIMEOUT_MS);
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

  outputFails(message?: string): void {
    this.daemon.player?.outputFailed(message);
  }

  /** From now on every track fails to load this way (null: tracks load again). `restricted` is
   * Spotify refusing the account's audio keys (notes §15.1). */
  failPlayback(kind: string | null, o: Partial<PlaybackFailure> = {}): void {
    this.daemon.failure = kind === null ? null : { kind, unplayable: o.unplayable ?? false, message: o.message ?? FAILURE_MESSAGES[kind] ?? `${kind} failure` };
  }

  /** A `credentials.type: device_auth` login waits for the user (9c45328): no session, the player
   * loop is not serving requests, and v0.10 shows the code on GET /auth/code. */
  startPairing(expiresInS = 600): { code: string; url: string; expires_at: string } {
    this.daemon.endSession();
    const code = 'KXQT-7WPM';
    // the URL and code format are invented; the keys and the RFC 3339 expiry are notes §14.3
    this.daemon.pairing = { code, url: `https://www.spotify.com/pair?code=${code}`, expires_at: new Date(Date.now() + expiresInS * 1000).toISOString().replace(/\.\d+Z$/, 'Z') };
    this.setHang(true);
    return this.daemon.pairing;
  }

  /** The user entered the code: the login completes, the session starts. */
  completePairing(): void {
    this.daemon.pairing = null;
    this.daemon.connectSession();
    this.setHang(false);
  }

  /** While on, requests that reach the player loop wait; they are answered in order when it ends.
   * v0.10 answers 503 to one not picked up in time, and 409 to a skip a newer skip superseded. */
  setHang(on: boolean): void {
    this.hanging = on;
    if (on) return;
    const held = this.held;
    this.held = [];
    for (const req of held) req.run();
  }

  /** A broken or hostile daemon: `answer` may answer any request its own way (return true), or
   * leave it to the emulator (false); null ends it. */
  answerWith(answer: HostileAnswer | null): void {
    this.hostile = answer;
  }

  /** Sends any frame on /events, as it is (binary when asked). */
  sendFrame(frame: string | Buffer, binary = false): void {
    this.hub.send(frame, binary);
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
        if (this.hostile?.(req, res)) return;
        const deps = { daemon: this.daemon, version: this.version, inLoop: (r: LoopRequest) => this.inLoop(r) };
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

  private inLoop(req: LoopRequest): void {
    if (!this.hanging) return req.run();
    const v10 = since(this.version, '0.10');
    const drop = (r: LoopRequest, status: number) => {
      this.held = this.held.filter((h) => h !== r);
      r.answer(status);
    };
    // [post-0.9] daemon/api_server.go handleRequest: ErrSuperseded → 409 (PR #350's skip debounce)
    if (v10 && req.skip) for (const older of this.held.filter((h) => h.skip)) drop(older, 409);
    this.held.push(req);
    // [post-0.9] daemon/api_server.go handleRequest: not picked up within 10 s → 503 (v0.9 waits forever)
    if (v10) setTimeout(() => this.held.includes(req) && drop(req, 503), this.pickupTimeoutMs).unref();
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
