// The only publisher: turns state changes into retained topics (only what changed), and
// republishes discovery then state whenever Home Assistant or the broker may have lost them.
import type { Logger } from '../log.js';
import type { Store } from '../state/store.js';
import type { PlayerState } from '../state/state.js';
import { NEEDS, type Topics } from '../ha/topics.js';
import type { Connection } from './connection.js';
import { availabilityPayload, playbackErrorPayload, statePayload, trackChangedPayload } from './payloads.js';

export interface PublisherOptions {
  connection: Connection;
  store: Store<PlayerState>;
  topics: Topics;
  /** the discovery message, or null when discovery is off */
  discovery: object | null;
  /** <base>/<id>/info, built anew on every change: the connection sends it only when it differs */
  info(): object;
  log: Logger;
}

export class Publisher {
  #announcedUri: string | null | undefined = undefined;
  readonly #unsubscribe: () => void;
  readonly #changed = new Set<keyof PlayerState>();
  #flush: NodeJS.Immediate | undefined;

  constructor(private readonly opts: PublisherOptions) {
    // one message for the changes of one moment: a go-librespot event and what the bridge
    // derives from it at once (the volume that follows it) are one state, not two
    this.#unsubscribe = opts.store.subscribe((_s, changed) => {
      for (const k of changed) this.#changed.add(k);
      this.#flush ??= setImmediate(() => this.#publishChanges());
    });
  }

  /** Everything, in the order Home Assistant needs: discovery before the states it refers to. */
  publishAll(): void {
    const { connection: c, topics: t, store } = this.opts;
    const s = store.get();
    c.publish(t.availability, availabilityPayload(true), { retain: true, force: true });
    if (this.opts.discovery) c.publish(t.discovery, JSON.stringify(this.opts.discovery), { retain: true, force: true });
    for (const n of NEEDS) c.publish(t.needs[n], availabilityPayload(s[n]), { retain: true, force: true });
    c.publish(t.state, JSON.stringify(statePayload(s)), { retain: true, force: true });
    c.publish(t.cover, s.track?.cover_url ?? '', { retain: true, force: true });
    c.publish(t.info, JSON.stringify(this.opts.info()), { retain: true, force: true });
    this.#announcedUri ??= s.track?.uri ?? null;
  }

  /** The state again, now: the answer to <base>/<id>/get. */
  publishState(): void {
    const { connection: c, topics: t, store } = this.opts;
    c.publish(t.state, JSON.stringify(statePayload(store.get())), { retain: true, force: true });
    this.publishInfo();
  }

  /** The info, if it changed. */
  publishInfo(): void {
    this.opts.connection.publish(this.opts.topics.info, JSON.stringify(this.opts.info()));
  }

  stop(): void {
    this.#unsubscribe();
    this.#publishChanges();
  }

  #publishChanges(): void {
    clearImmediate(this.#flush);
    this.#flush = undefined;
    if (this.#changed.size === 0) return;
    const keys = new Set(this.#changed);
    this.#changed.clear();
    this.#onChange(this.opts.store.get(), keys);
  }

  #onChange(s: Readonly<PlayerState>, changed: ReadonlySet<keyof PlayerState>): void {
    const { connection: c, topics: t } = this.opts;
    for (const n of NEEDS) if (changed.has(n)) c.publish(t.needs[n], availabilityPayload(s[n]));
    c.publish(t.state, JSON.stringify(statePayload(s)));
    this.publishInfo();
    if (changed.has('track')) {
      c.publish(t.cover, s.track?.cover_url ?? '');
      this.#announceTrack(s);
    }
    if (changed.has('last_error') && s.last_error) c.publish(t.error, JSON.stringify(playbackErrorPayload(s.last_error)), { retain: false });
  }

  #announceTrack(s: Readonly<PlayerState>): void {
    const uri = s.track?.uri ?? null;
    const first = this.#announcedUri === undefined;
    if (uri === this.#announcedUri) return;
    this.#announcedUri = uri;
    // the track found at start-up is not a change; event entities ignore retained messages anyway
    const event = trackChangedPayload(s);
    if (event && !first) this.opts.connection.publish(this.opts.topics.event, JSON.stringify(event), { retain: false });
  }
}
