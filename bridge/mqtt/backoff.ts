// When to try the broker again: jittered exponential backoff, and a long pause when another client
// with our client id keeps taking our place (two bridges that kick each other would never settle).

export interface Schedule {
  /** the first retry */
  firstMs: number;
  /** retries never wait longer than this (before jitter) */
  capMs: number;
  /** the pause after another client took our client id */
  takeoverMs: number;
  /** a connection that lasted this long was not kicked: the backoff starts over */
  stableMs: number;
}

export const SCHEDULE: Schedule = { firstMs: 1000, capMs: 30_000, takeoverMs: 5 * 60_000, stableMs: 30_000 };

/** ±25 %: bridges that lost the broker together do not all knock again at the same moment. */
export const jitter = (ms: number, random: () => number = Math.random): number => Math.round(ms * (0.75 + random() * 0.5));

export class Backoff {
  #attempt = 0;

  constructor(
    private readonly schedule: Schedule = SCHEDULE,
    private readonly random: () => number = Math.random,
  ) {}

  /** The wait before the next retry: 1 s, 2 s, 4 s … up to the cap, each jittered. */
  next(): number {
    const ms = Math.min(this.schedule.capMs, this.schedule.firstMs * 2 ** Math.min(this.#attempt, 30));
    this.#attempt++;
    return jitter(ms, this.random);
  }

  reset(): void {
    this.#attempt = 0;
  }
}
