// The HACS media_player (homeassistant.media_player): its discovery and feeds from the one store,
// and its commands translated onto our one command path (<base>/<id>/set/<field>).
import type { IPublishPacket } from 'mqtt';
import type { Logger } from '../../log.js';
import type { Connection } from '../../mqtt/connection.js';
import type { Store } from '../../state/store.js';
import type { PlayerState } from '../../state/state.js';
import type { Topics } from '../topics.js';
import { fetchCover } from './cover.js';
import { FLAVOURS, mediaPlayerDiscovery, type Flavour, type FlavourName } from './flavours.js';

export interface MediaPlayerOptions {
  flavour: FlavourName;
  connection: Connection;
  store: Store<PlayerState>;
  topics: Topics;
  device: { id: string; name: string };
  log: Logger;
  /** hands a translated command to the command handler, with the packet it came in (retain, MQTT 5 response topic) */
  forward(field: string, value: string, packet: IPublishPacket): void;
}

/** its command topics: known before the connection exists, which subscribes to them */
export const mediaPlayerSubscriptions = (t: Topics) => [`${t.mediaPlayer}/set/+`];

export class MediaPlayerPublisher {
  readonly #unsubscribe: () => void;
  readonly #flavour: Flavour;
  #art = '';
  #artFor: string | null = null;
  #artAbort: AbortController | undefined;

  constructor(private readonly opts: MediaPlayerOptions) {
    this.#flavour = FLAVOURS[opts.flavour];
    this.#unsubscribe = opts.store.subscribe((s, changed) => this.#onChange(s, changed));
  }

  handles(topic: string): boolean {
    return topic.startsWith(`${this.opts.topics.mediaPlayer}/set/`);
  }

  publishAll(): void {
    const { connection: c, topics: t, device, store } = this.opts;
    const flavour = this.#flavour;
    const discovery = mediaPlayerDiscovery(flavour, { ...device, availability: t.availability, root: t.mediaPlayer });
    c.publish(t.mediaPlayerDiscovery, JSON.stringify(discovery), { retain: true, force: true });
    const s = store.get();
    for (const f of flavour.feeds) c.publish(`${t.mediaPlayer}/${f.name}`, f.value(s, this.#art), { retain: true, force: true });
    this.#followCover(s);
  }

  handle(topic: string, payload: Buffer, packet: IPublishPacket): void {
    const { topics: t, log, connection } = this.opts;
    const flavour = this.#flavour;
    const name = topic.slice(`${t.mediaPlayer}/set/`.length);
    const command = flavour.commands.find((c) => c.name === name);
    const result = command ? command.translate(payload.toString()) : { error: `unknown media_player command "${name}"` };
    if ('error' in result) {
      log.warn(`rejected media_player command on ${topic}: ${result.error}`);
      connection.reply(t.response, JSON.stringify({ ok: false, error: result.error }));
      return;
    }
    this.opts.forward(result.field, result.value, packet);
  }

  stop(): void {
    this.#unsubscribe();
    this.#artAbort?.abort();
  }

  #onChange(s: Readonly<PlayerState>, changed: ReadonlySet<keyof PlayerState>): void {
    const { connection: c, topics: t } = this.opts;
    const flavour = this.#flavour;
    for (const f of flavour.feeds) if (f.from.some((k) => changed.has(k))) c.publish(`${t.mediaPlayer}/${f.name}`, f.value(s, this.#art));
    if (changed.has('track')) this.#followCover(s);
  }

  #publishArt(art: string): void {
    this.#art = art;
    const f = this.#flavour.feeds.find((x) => x.name === 'albumart');
    if (f) this.opts.connection.publish(`${this.opts.topics.mediaPlayer}/${f.name}`, f.value(this.opts.store.get(), art));
  }

  /** the art feed: the URL itself, or its bytes fetched once per cover */
  #followCover(s: Readonly<PlayerState>): void {
    const url = s.track?.cover_url ?? null;
    if (url === this.#artFor) return;
    this.#artFor = url;
    this.#artAbort?.abort();
    if (!this.#flavour.artAsBytes || !url) return this.#publishArt(url ?? '');
    const abort = (this.#artAbort = new AbortController());
    fetchCover(url, undefined, abort.signal).then(
      (bytes) => {
        if (this.#artFor === url) this.#publishArt(bytes.toString('base64'));
      },
      (err: Error) => {
        if (abort.signal.aborted) return;
        this.opts.log.warn(`media_player cover: ${err.message} (the media card shows no art for this track)`);
        if (this.#artFor === url) this.#publishArt('');
      },
    );
  }
}
