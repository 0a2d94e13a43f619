// go-librespot's HTTP API: a timeout on every call (its requests can hang forever while its
// player loop is busy), 204 as the normal "no Spotify session" answer, payloads checked by zod.
import type { z } from 'zod';

export type LibrespotErrorKind = 'unreachable' | 'timeout' | 'no_session' | 'http' | 'bad_response';

export class LibrespotError extends Error {
  constructor(
    message: string,
    readonly kind: LibrespotErrorKind,
  ) {
    super(message);
  }
}

export const NO_SESSION = 'no Spotify session: open Spotify on a phone or computer and pick this speaker';

export class LibrespotClient {
  constructor(
    readonly baseUrl: string,
    readonly timeoutMs: number,
  ) {}

  /** Parsed body, or null when go-librespot answers 204 (no session). */
  async get<T>(path: string, schema: z.ZodType<T>, timeoutMs = this.timeoutMs): Promise<T | null> {
    const res = await this.#request('GET', path, undefined, timeoutMs);
    if (res.status === 204) return null;
    const text = await res.text();
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

  /** Sends a JSON body always: daemons before v0.4.0 answer 400 to an empty one. */
  async post(path: string, body: object = {}, timeoutMs = this.timeoutMs): Promise<void> {
    const res = await this.#request('POST', path, JSON.stringify(body), timeoutMs);
    await res.arrayBuffer();
    if (res.status === 204) throw new LibrespotError(NO_SESSION, 'no_session');
  }

  async #request(method: string, path: string, body: string | undefined, timeoutMs: number): Promise<Response> {
    let res: Response;
    try {
      res = await fetch(this.baseUrl.replace(/\/$/, '') + path, {
        method,
        body,
        headers: body === undefined ? undefined : { 'content-type': 'application/json' },
        signal: AbortSignal.timeout(timeoutMs),
      });
    } catch (err) {
      const e = err as Error & { cause?: { code?: string; message?: string } };
      if (e.name === 'TimeoutError' || e.name === 'AbortError')
        throw new LibrespotError(`${method} ${path}: go-librespot did not answer within ${timeoutMs} ms`, 'timeout');
      const why = e.cause?.code ?? e.cause?.message ?? e.message;
      throw new LibrespotError(`go-librespot is not reachable at ${this.baseUrl} (${why})`, 'unreachable');
    }
    if (res.status >= 400) {
      await res.arrayBuffer();
      const hint = res.status === 400 ? ' (go-librespot rejected the request)' : res.status === 500 ? ' (see go-librespot\'s log)' : '';
      throw new LibrespotError(`${method} ${path}: HTTP ${res.status}${hint}`, 'http');
    }
    return res;
  }
}
