// go-librespot as a source of state: events move the state, /status (read on connect and on
// session-changing events) corrects it, and one slow timer notices what no event reports
// (a remote logout, a hung daemon, a dead connection, a pairing code that appeared or expired).
import type { Logger } from '../log.js';
import type { Store } from '../state/store.js';
import type { PlayerState } from '../state/state.js';
import { ApiDeviceAuth, ApiRoot, ApiStatus, type ApiEvent, type ApiEventType } from './api.js';
import { LibrespotError, type LibrespotClient } from './client.js';
import { EventStream } from './events.js';
import { RESYNC_ON, stateFromEvent, stateFromStatus } from './reduce.js';

/** Events that end a load, whichever way it went. */
const LOAD_ENDS: ReadonlySet<ApiEventType> = new Set(['metadata', 'playback_error', 'playing', 'paused', 'stopped', 'inactive']);

export interface LibrespotSourceOptions {
  client: LibrespotClient;
  store: Store<PlayerState>;
  log: Logger;
  sessionCheckMs: number;
}

export class LibrespotSource {
  readonly events: EventStream;
  #timer: NodeJS.Timeout | null = null;
  #eventSeq = 0;
  #resync: Promise<void> | null = null;
  #resyncAgain = false;
  /** GET /auth/code answered 404 (go-librespot before v0.10): not asked again until a reconnect */
  #noPairing = false;
  #pairingRead: Promise<void> | null = null;
  /** the track of a will_play not yet followed by metadata or an error: a load in progress, or one
   * that failed silently (before v0.10 a refused audio key is reported by no event) */
  #loading: string | null = null;
  readonly #listeners = new Set<(ev: ApiEvent) => void>();

  constructor(private readonly opts: LibrespotSourceOptions) {
    const url = opts.client.baseUrl.replace(/^http/, 'ws').replace(/\/$/, '') + '/events';
    this.events = new EventStream(url, opts.log, {
      onOpen: () => {
        this.#noPairing = false;
        this.#apply({ librespot: true });
        void this.resync();
        void this.refreshPairing();
      },
      // nothing can be playing while go-librespot is unreachable
      onClose: () => this.#apply({ librespot: false, playback: 'off' }),
      onEvent: (ev) => this.#onEvent(ev),
    });
  }

  /** Controllers that react to what go-librespot reports (not to /status reads) listen here. */
  listen(listener: (ev: ApiEvent) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  start(): void {
    this.events.start();
    this.#timer = setInterval(() => void this.check(), this.opts.sessionCheckMs);
    this.#timer.unref();
  }

  stop(): void {
    if (this.#timer) clearInterval(this.#timer);
    this.events.stop();
  }

  /** Reads /status; calls that overlap are merged into one more read after the current one. */
  resync(): Promise<void> {
    if (this.#resync) {
      this.#resyncAgain = true;
      return this.#resync;
    }
    this.#resync = this.#readStatus().finally(() => {
      this.#resync = null;
      if (this.#resyncAgain) {
        this.#resyncAgain = false;
        void this.resync();
      }
    });
    return this.#resync;
  }

  /** The slow check: liveness of the event stream, the session that a remote logout ends silently,
   * a load that never finished (Playing would stay on over silence), and, without a session, a
   * device_auth pairing code. */
  async check(): Promise<void> {
    this.events.tick();
    if (!this.events.open) return;
    if (!this.opts.store.get().session) await this.refreshPairing();
    if (this.#loading !== null) await this.#unfinishedLoad(this.#loading);
    try {
      const root = await this.opts.client.get('/', ApiRoot);
      if (root?.playback_ready === undefined || root.playback_ready !== this.opts.store.get().session) await this.resync();
    } catch (err) {
      this.#failed('session check', err);
    }
  }

  /** A will_play that nothing followed since: /status says what became of it. A load that left
   * nothing loaded (not even still loading) failed: said plainly, without a reason, since only v0.10
   * gives one (playback_error), and a daemon that did would have ended the load already. */
  async #unfinishedLoad(uri: string): Promise<void> {
    // looked at once: a check that overlaps this one finds nothing pending
    this.#loading = null;
    await this.resync();
    const s = this.opts.store.get();
    if (this.#loading !== null || s.playback === 'playing' || s.track?.uri === uri) return;
    this.opts.log.info(
      { uri },
      "a track did not start, and go-librespot gave no reason (playback errors are reported from v0.10 on): its own log says why, e.g. 'audio key error' when Spotify refuses this account's audio keys",
    );
  }

  /** GET /auth/code (go-librespot v0.10, credentials.type device_auth): 200 while a login waits for
   * the user, 204 otherwise, 404 on older daemons. */
  refreshPairing(): Promise<void> {
    if (this.#noPairing) return Promise.resolve();
    // callers that overlap share one request
    this.#pairingRead ??= this.#readPairing().finally(() => (this.#pairingRead = null));
    return this.#pairingRead;
  }

  async #readPairing(): Promise<void> {
    try {
      const pairing = await this.opts.client.get('/auth/code', ApiDeviceAuth);
      this.#apply({ pairing });
    } catch (err) {
      const e = err as LibrespotError;
      if (e instanceof LibrespotError && e.status === 404) {
        this.#noPairing = true;
        this.opts.log.debug('go-librespot has no GET /auth/code (before v0.10): no pairing sensor');
        this.#apply({ pairing: null });
      } else this.opts.log.debug(`GET /auth/code failed: ${e.message}`);
    }
  }

  async #readStatus(): Promise<void> {
    const seq = this.#eventSeq;
    try {
      const status = await this.opts.client.get('/status', ApiStatus);
      // an event that arrived meanwhile may be newer than this answer: read again instead
      if (seq !== this.#eventSeq) this.#resyncAgain = true;
      else {
        this.#loading = null;
        this.#apply({ librespot: true, ...stateFromStatus(status, Date.now(), this.opts.store.get()) });
      }
      if (!status) await this.refreshPairing();
    } catch (err) {
      this.#failed('GET /status', err);
    }
  }

  #onEvent(ev: ApiEvent): void {
    this.#eventSeq++;
    this.opts.log.debug(`go-librespot event ${ev.type}`);
    if (ev.type === 'will_play') this.#loading = ev.data.uri;
    else if (LOAD_ENDS.has(ev.type)) this.#loading = null;
    this.#apply(stateFromEvent(this.opts.store.get(), ev, Date.now()));
    for (const l of this.#listeners) l(ev);
    if (RESYNC_ON.has(ev.type)) void this.resync();
  }

  /** Updates the store and says at info level what a person would want to know happened. */
  #apply(patch: Partial<PlayerState>): void {
    const before = this.opts.store.get();
    this.opts.store.update(patch);
    const after = this.opts.store.get();
    if (after === before) return;
    const log = this.opts.log;
    if (after.session !== before.session) log.info(after.session ? 'Spotify session started' : 'Spotify session ended');
    const t = after.track;
    if (t && t.uri !== before.track?.uri)
      log.info({ uri: t.uri, context: after.context_uri }, `track: ${t.name} – ${t.artists.join(', ')}`);
    const e = after.last_error;
    if (e && e !== before.last_error)
      log.info({ kind: e.kind, stage: e.stage, uri: e.uri }, `playback error (${e.kind}): ${e.summary}: ${e.message}. ${e.explanation}`);
    const p = after.pairing;
    // the code itself goes to the Pairing sensor only
    if (p && p.code !== before.pairing?.code) log.info({ expires_at: p.expires_at }, 'go-librespot waits for pairing: see the Pairing sensor');
  }

  #failed(what: string, err: unknown): void {
    const e = err as LibrespotError;
    this.opts.log.warn(`${what} failed: ${e.message}`);
    if (!(e instanceof LibrespotError)) return;
    // busy, or a device_auth login that holds go-librespot's player loop until the user pairs
    if (e.kind === 'busy' || (e.kind === 'timeout' && this.opts.store.get().pairing)) return void this.refreshPairing();
    // a daemon that stops answering while its socket stays open is hung: reconnect to find out
    if (e.kind === 'timeout' || e.kind === 'unreachable') {
      this.#apply({ librespot: false, playback: 'off' });
      this.events.restart();
    }
  }
}
