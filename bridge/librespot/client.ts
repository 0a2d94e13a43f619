// go-librespot's HTTP API: a timeout on every call (its requests can hang forever while its
// player loop is busy), 204 as the normal "no Spotify session" answer, payloads checked by zod.
// v0.10 answers 503 when its player loop did not pick a request up within 10 s (retried here a few
// times) and 409 when a newer skip superseded this one (not an error: the newer one wins).
// node:http rather than fetch: fetch loads undici, about 12 MB of RSS on a 1 GB Pi.
import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { z } from 'zod';

export type LibrespotErrorKind = 'unreachable' | 'timeout' | 'no_session' | 'http' | 'busy' | 'bad_response';

export class LibrespotError extends Error {
  constructor(
    message: string,
    readonly kind: LibrespotErrorKind,
    /** the HTTP status, for kind http */
    readonly status?: number,
  ) {
    super(message);
  }
}

export interface BusyRetry {
  /** tries in all, the first included */
  attempts: number;
  /** the wait before the second try; doubled for each further one */
  firstDelayMs: number;
}

/** go-librespot's largest answer, /status with a track and the next one, is a few KB. */
const MAX_ANSWER_BYTES = 1024 * 1024;

export const NO_SESSION = 'no Spotify session: open Spotify on a phone or computer and pick this speaker';

export class LibrespotClient {
  constructor(
    readonly baseUrl: string,
    readonly timeoutMs: number,
    private readonly busyRetry: BusyRetry = { attempts: 3, firstDelayMs: 1000 },
    /** epoch ms after which a busy request is not sent again (its sender has given up) */
    private readonly deadline = Infinity,
  ) {}

  /** This client for one command whose sender waits until `deadline` (epoch ms): a request that
   * go-librespot did not take (503) is not sent again after it, so it never runs late. */
  until(deadline: number): LibrespotClient {
    return new LibrespotClient(this.baseUrl, this.timeoutMs, this.busyRetry, deadline);
  }

  /** Parsed body, or null when go-librespot answers 204 (no session). */
  async get<T>(path: string, schema: z.ZodType<T>, timeoutMs = this.timeoutMs): Promise<T | null> {
    const { status, text } = await this.#retryBusy('GET', path, undefined, timeoutMs);
    if (status === 204) return null;
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      throw new LibrespotError(`GET ${path}: answer is not JSON: ${JSON.stringify(text.slice(0, 80))}`, 'bad_response');
    }
    const parsed = schema.safeParse(json);
    if (!parsed.success) {
      const why = parsed.error.issues.map((i) => `${i.path.join('.') || '(body)'}: ${i.message}`).join('; ');
      throw new LibrespotError(`GET ${path}: unexpected answer: ${why}`, 'bad_response');
    }
    return parsed.data;
  }

  /** Sends a JSON body always: daemons before v0.4.0 answer 400 to an empty one. A 409 (a newer
   * skip replaced this one) resolves like a success: what the user asked for last happens. */
  async post(path: string, body: object = {}, timeoutMs = this.timeoutMs): Promise<void> {
    const { status } = await this.#retryBusy('POST', path, JSON.stringify(body), timeoutMs);
    if (status === 204) throw new LibrespotError(NO_SESSION, 'no_session');
  }

  /** A 503 means the request never reached the player loop, so sending it again is safe. */
  async #retryBusy(method: string, path: string, body: string | undefined, timeoutMs: number): Promise<{ status: number; text: string }> {
    const { attempts, firstDelayMs } = this.busyRetry;
    for (let attempt = 1; ; attempt++) {
      const answer = await this.#request(method, path, body, timeoutMs);
      if (answer.status !== 503) return answer;
      const busy = `${method} ${path}: go-librespot is busy (HTTP 503: its player did not take the request`;
      if (attempt >= attempts) throw new LibrespotError(`${busy}, ${attempts} tries; it may be logging in)`, 'busy', 503);
      const delay = firstDelayMs * 2 ** (attempt - 1);
      if (Date.now() + delay >= this.deadline) throw new LibrespotError(`${busy}) and the sender's deadline comes before another try: not run`, 'busy', 503);
      await new Promise((resolve) => setTimeout(resolve, delay));
    }
  }

  #request(method: string, path: string, body: string | undefined, timeoutMs: number): Promise<{ status: number; text: string }> {
    const url = new URL(path, this.baseUrl);
    const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
    return new Promise((resolve, reject) => {
      const fail = (err: LibrespotError) => {
        clearTimeout(timer);
        req.destroy();
        reject(err);
      };
      // a fresh connection per call: go-librespot restarts would leave kept-alive sockets dead
      const req = send(url, { method, agent: false, headers: body === undefined ? {} : { 'content-type': 'application/json' } }, (res: IncomingMessage) => {
        const chunks: Buffer[] = [];
        let size = 0;
        res.on('data', (c: Buffer) => {
          size += c.length;
          if (size <= MAX_ANSWER_BYTES) return void chunks.push(c);
          fail(new LibrespotError(`${method} ${path}: answer larger than ${MAX_ANSWER_BYTES} bytes: not read`, 'bad_response'));
        });
        res.on('error', (err) => fail(new LibrespotError(`${method} ${path}: ${err.message}`, 'unreachable')));
        res.on('end', () => {
          clearTimeout(timer);
          const status = res.statusCode ?? 0;
          if ((status < 200 || status >= 300) && status !== 409 && status !== 503) {
            const hint =
              status === 400 ? ' (go-librespot rejected the request)' : status === 500 ? " (see go-librespot's log)" : status < 400 ? ' (go-librespot never answers so)' : '';
            return reject(new LibrespotError(`${method} ${path}: HTTP ${status}${hint}`, 'http', status));
          }
          resolve({ status, text: Buffer.concat(chunks).toString('utf8') });
        });
      });
      const timer = setTimeout(
        () => fail(new LibrespotError(`${method} ${path}: go-librespot did not answer within ${timeoutMs} ms`, 'timeout')),
        timeoutMs,
      );
      req.on('error', (err: NodeJS.ErrnoException) =>
        fail(new LibrespotError(`go-librespot is not reachable at ${this.baseUrl} (${err.code ?? err.message})`, 'unreachable')),
      );
      req.end(body);
    });
  }
}
