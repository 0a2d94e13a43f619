// go-librespot's WebSocket /events: reconnects with backoff, and checks liveness itself
// because the server never pings and a hung daemon keeps the TCP connection open.
import WebSocket from 'ws';
import type { Logger } from '../log.js';
import { ApiEvent } from './api.js';

export interface EventStreamHandlers {
  onOpen(): void;
  onClose(): void;
  onEvent(event: ApiEvent): void;
}

const BACKOFF_MIN_MS = 500;
const BACKOFF_MAX_MS = 30_000;
/** go-librespot's largest event, metadata with a long track, is a few KB: a bigger frame is not read. */
const MAX_FRAME_BYTES = 256 * 1024;

export class EventStream {
  #ws: WebSocket | null = null;
  #timer: NodeJS.Timeout | null = null;
  #failures = 0;
  #alive = false;
  #stopped = true;

  constructor(
    readonly url: string,
    private readonly log: Logger,
    private readonly handlers: EventStreamHandlers,
  ) {}

  start(): void {
    this.#stopped = false;
    this.#connect();
  }

  stop(): void {
    this.#stopped = true;
    if (this.#timer) clearTimeout(this.#timer);
    this.#ws?.terminate();
  }

  get open(): boolean {
    return this.#ws?.readyState === WebSocket.OPEN;
  }

  /** Called by the slow session check: a connection that did not answer the last ping is dead. */
  tick(): void {
    const ws = this.#ws;
    if (!ws || ws.readyState !== WebSocket.OPEN) return;
    if (!this.#alive) {
      this.log.warn('go-librespot event stream did not answer a ping: reconnecting');
      ws.terminate();
      return;
    }
    this.#alive = false;
    ws.ping();
  }

  /** Drop the connection and connect again at once (a hung daemon, a failed check). */
  restart(): void {
    this.#ws?.terminate();
  }

  #connect(): void {
    const ws = new WebSocket(this.url, { handshakeTimeout: 5000, perMessageDeflate: false, maxPayload: MAX_FRAME_BYTES });
    this.#ws = ws;
    ws.on('open', () => {
      this.#failures = 0;
      this.#alive = true;
      this.log.info({ url: this.url }, 'connected to go-librespot');
      this.handlers.onOpen();
    });
    ws.on('pong', () => (this.#alive = true));
    ws.on('message', (data, isBinary) => {
      this.#alive = true;
      this.#receive(isBinary ? null : data.toString());
    });
    ws.on('error', (err: Error & { code?: string }) => {
      if (err.code === 'WS_ERR_UNSUPPORTED_MESSAGE_LENGTH')
        this.log.warn(`go-librespot sent an event frame over ${MAX_FRAME_BYTES} bytes: not read, reconnecting`);
      else this.log.debug({ err: err.message }, 'go-librespot event stream error');
    });
    let opened = false;
    ws.once('open', () => (opened = true));
    ws.on('close', () => {
      if (this.#ws !== ws) return;
      this.#ws = null;
      this.handlers.onClose();
      if (this.#stopped) return;
      const delay = Math.min(BACKOFF_MAX_MS, BACKOFF_MIN_MS * 2 ** this.#failures++);
      if (opened) this.log.warn(`lost the connection to go-librespot: retrying in ${delay} ms`);
      else (this.#failures === 1 ? this.log.warn : this.log.debug).call(this.log, `go-librespot is not reachable at ${this.url}: retrying in ${delay} ms`);
      this.#timer = setTimeout(() => this.#connect(), delay);
    });
  }

  #receive(text: string | null): void {
    this.log.trace(`go-librespot event: ${text ?? '<binary>'}`);
    let json: unknown;
    try {
      json = text === null ? undefined : JSON.parse(text);
    } catch {
      json = undefined;
    }
    const parsed = ApiEvent.safeParse(json);
    if (parsed.success) return this.handlers.onEvent(parsed.data);
    const type = (json as { type?: unknown } | undefined)?.type;
    if (typeof type === 'string' && !ApiEvent.options.some((o) => o.shape.type.value === type))
      this.log.debug({ type }, 'ignoring an event type this bridge does not know');
    else
      this.log.warn(
        { frame: (text ?? '<binary>').slice(0, 200), problem: parsed.error.issues[0]?.message },
        'ignoring a malformed event from go-librespot',
      );
  }
}
