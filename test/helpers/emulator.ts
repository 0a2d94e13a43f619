// Small clients for tests that talk to LibrespotEmulator (or a real go-librespot) over the wire.
import { WebSocket } from 'ws';
import { WAIT_MS } from './patience.js';

export interface Reply {
  status: number;
  headers: Headers;
  text: string;
}

/** One HTTP call; `body` is sent verbatim when it is a string, else as JSON. */
export async function call(base: string, method: string, path: string, body?: unknown, timeoutMs = WAIT_MS): Promise<Reply> {
  const init: RequestInit = { method, signal: AbortSignal.timeout(timeoutMs) };
  if (body !== undefined) init.body = typeof body === 'string' ? body : JSON.stringify(body);
  const res = await fetch(base + path, init);
  return { status: res.status, headers: res.headers, text: await res.text() };
}

export interface EventTap {
  /** Raw text frames, in arrival order. */
  frames: string[];
  /** Frames parsed as `{type, data}`. */
  events: Array<{ type: string; data: unknown }>;
  /** When each event arrived (Date.now()), by index. */
  times: number[];
  /** Resolves once at least `n` events arrived; rejects after `timeoutMs`. */
  waitFor(n: number, timeoutMs?: number): Promise<void>;
  /** Resolves with the close code when the server closes or the connection drops. */
  closed: Promise<number>;
  close(): Promise<void>;
}

export async function tapEvents(base: string): Promise<EventTap> {
  const ws = new WebSocket(`${base.replace(/^http/, 'ws')}/events`);
  const frames: string[] = [];
  const events: EventTap['events'] = [];
  const times: number[] = [];
  let wake = (): void => {};
  ws.on('message', (data, isBinary) => {
    const text = isBinary ? `<binary>` : data.toString();
    frames.push(text);
    times.push(Date.now());
    events.push(JSON.parse(text) as { type: string; data: unknown });
    wake();
  });
  const closed = new Promise<number>((resolve) => ws.on('close', (code) => resolve(code)));
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('error', reject);
  });
  return {
    frames,
    events,
    times,
    closed,
    async waitFor(n, timeoutMs = WAIT_MS) {
      const deadline = Date.now() + timeoutMs;
      while (events.length < n) {
        const left = deadline - Date.now();
        if (left <= 0) throw new Error(`expected ${n} events, got ${events.map((e) => e.type).join(',')}`);
        await new Promise<void>((resolve) => {
          const t = setTimeout(resolve, left);
          wake = () => {
            clearTimeout(t);
            resolve();
          };
        });
      }
    },
    async close() {
      if (ws.readyState === ws.CLOSED) return;
      ws.close();
      await closed;
    },
  };
}

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
