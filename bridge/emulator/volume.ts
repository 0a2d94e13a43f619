// go-librespot keeps volume as a 0..65535 Connect value and converts to API steps at the edges
// (notes section 7). The value outlives sessions, like `last_volume` in state.json.
export const MAX_RAW = 65535;

/** Absolute API value → raw: uint32 arithmetic, so absurd values wrap before the clamp. */
export function stepsToRaw(steps: number, volumeSteps: number): number {
  const product = (steps * MAX_RAW) % 2 ** 32;
  return Math.min(MAX_RAW, Math.floor(product / volumeSteps));
}

export function rawToSteps(raw: number, volumeSteps: number): number {
  return Math.round((raw * volumeSteps) / MAX_RAW);
}

export class Volume {
  private timer: NodeJS.Timeout | undefined;

  constructor(
    public raw: number,
    readonly steps: number,
    private readonly delayMs: number,
    private readonly emit: (value: { value: number; max: number }) => void,
  ) {}

  get value(): number {
    return rawToSteps(this.raw, this.steps);
  }

  setSteps(steps: number, relative: boolean): void {
    const target = relative ? Math.max(0, Math.min(this.steps, this.value + steps)) : steps;
    this.setRaw(stepsToRaw(target, this.steps));
  }

  /** Each change restarts the debounce, so a burst yields one event with the final value. */
  setRaw(raw: number): void {
    this.raw = raw;
    this.announce();
  }

  announce(): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.emit({ value: this.value, max: this.steps });
    }, this.delayMs);
    this.timer.unref();
  }

  dispose(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
  }
}
