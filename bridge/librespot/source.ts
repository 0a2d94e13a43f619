// go-librespot as a source of state: events move the state, /status (read on connect and on
// session-changing events) corrects it, and one slow timer notices what no event reports
// (a remote logout, a hung daemon, a dead connection).
import type { Logger } from '../log.js';
import type { Store } from '../state/store.js';
import type { PlayerState } from '../state/state.js';
import { ApiRoot, ApiStatus, type ApiEvent } from './api.js';
import { LibrespotError, type LibrespotClient } from './client.js';
import { EventStream } from './events.js';
import { RESYNC_ON, stateFromEvent, stateFromStatus } from './reduce.js';

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
  readonly #listeners = new Set<(ev: ApiEvent) => void>();

  constructor(private readonly opts: LibrespotSourceOptions) {
    const url = opts.client.baseUrl.replace(/^http/, 'ws').replace(/\/$/, '') + '/events';
    this.events = new EventStream(url, opts.log, {
      onOpen: () => {
        opts.store.update({ librespot: true });
        void this.resync();
      },
      onClose: () => opts.store.update({ librespot: false }),
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

  /** The slow check: liveness of the event stream, and the session that a remote logout ends silently. */
  async check(): Promise<void> {
    this.events.tick();
    if (!this.events.open) return;
    try {
      const root = await this.opts.client.get('/', ApiRoot);
      if (root?.playback_ready === undefined || root.playback_ready !== this.opts.store.get().session) await this.resync();
    } catch (err) {
      this.#failed('session check', err);
    }
  }

  async #readStatus(): Promise<void> {
    const seq = this.#eventSeq;
    try {
      const status = await this.opts.client.get('/status', ApiStatus);
      // an event that arrived meanwhile may be newer than this answer: read again instead
      if (seq !== this.#eventSeq) this.#resyncAgain = true;
      else this.opts.store.update({ librespot: true, ...stateFromStatus(status, Date.now()) });
    } catch (err) {
      this.#failed('GET /status', err);
    }
  }

  #onEvent(ev: ApiEvent): void {
    this.#eventSeq++;
    this.opts.log.debug(`go-librespot event ${ev.type}`);
    this.opts.store.update(stateFromEvent(this.opts.store.get(), ev, Date.now()));
    for (const l of this.#listeners) l(ev);
    if (RESYNC_ON.has(ev.type)) void this.resync();
  }

  #failed(what: string, err: unknown): void {
    const e = err as LibrespotError;
    this.opts.log.warn(`${what} failed: ${e.message}`);
    // a daemon that stops answering while its socket stays open is hung: reconnect to find out
    if (e instanceof LibrespotError && (e.kind === 'timeout' || e.kind === 'unreachable')) {
      this.opts.store.update({ librespot: false });
      this.events.restart();
    }
  }
}
