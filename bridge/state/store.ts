// The one state store: sources write patches, publishers subscribe. A patch that changes
// nothing notifies nobody, so publishers publish only on change.
import { isDeepStrictEqual } from 'node:util';

export type Listener<T> = (state: Readonly<T>, changed: ReadonlySet<keyof T>) => void;

export class Store<T extends object> {
  #state: T;
  readonly #listeners = new Set<Listener<T>>();

  constructor(initial: T) {
    this.#state = initial;
  }

  get(): Readonly<T> {
    return this.#state;
  }

  update(patch: Partial<T>): void {
    const changed = new Set<keyof T>();
    for (const key of Object.keys(patch) as (keyof T)[])
      if (!isDeepStrictEqual(this.#state[key], patch[key])) changed.add(key);
    if (changed.size === 0) return;
    this.#state = { ...this.#state, ...patch };
    for (const l of this.#listeners) l(this.#state, changed);
  }

  subscribe(listener: Listener<T>): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }
}
