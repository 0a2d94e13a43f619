// Runs jobs one at a time, in the order they came. A job given the same key as the one waiting
// last in line replaces it, and the callers of both share its result: a dragged slider's many
// writes become a few and the last value always wins, without ever overtaking another job.

interface Waiting<T> {
  key: string | undefined;
  job: () => Promise<T>;
  waiters: Array<(r: Promise<T>) => void>;
}

export class Coalescer<T> {
  private running = false;
  private readonly queue: Array<Waiting<T>> = [];

  /** Without a key the job never merges with another. */
  run(key: string | undefined, job: () => Promise<T>): Promise<T> {
    return new Promise<T>((resolve) => {
      const last = this.queue.at(-1);
      if (key !== undefined && last?.key === key) {
        last.job = job;
        last.waiters.push(resolve);
      } else {
        this.queue.push({ key, job, waiters: [resolve] });
      }
      if (!this.running) void this.drain();
    });
  }

  private async drain(): Promise<void> {
    this.running = true;
    for (let next = this.queue.shift(); next; next = this.queue.shift()) {
      const result = next.job();
      await result.catch(() => undefined);
      for (const resolve of next.waiters) resolve(result);
    }
    this.running = false;
  }
}
