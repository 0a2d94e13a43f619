// Raw ↔ dB ↔ percent, the way alsamixer maps them (alsa-utils alsamixer/volume_mapping.c), so that
// "50 %" means the same loudness here as on the Pi's own alsamixer.

/** A dB scale that is linear in raw steps (TLV DB_SCALE and DB_MINMAX both are). */
export interface DbRange {
  /** dB at the raw min and at the raw max. */
  min: number;
  max: number;
  /** The raw min is silence rather than `min` dB. */
  mute: boolean;
}

export interface Scale {
  min: number;
  max: number;
  /** The raw value shown as 100 %: the max, or the last step at or below the dB cap. */
  top: number;
  db: DbRange | null;
}

/** Ranges up to this wide map linearly in dB; wider ones use the 60 dB-per-decade curve. */
const LINEAR_DB_SPAN = 24;

/**
 * Builds a scale. capDb (default 0 dB) keeps digital gain above 0 dB out of the percent range
 * (when the cap lies inside the dB range; null = no cap):
 * the HifiBerry AMP goes to +24 dB (raw 248) and clips, so its 100 % is raw 200 (0 dB).
 */
export function makeScale(min: number, max: number, db: DbRange | null, capDb: number | null = 0): Scale {
  let top = max;
  if (db && capDb !== null && db.min < capDb && db.max > capDb) {
    const stepsToCap = Math.floor(((capDb - db.min) / (db.max - db.min)) * (max - min) + 1e-9);
    top = clamp(min + stepsToCap, min + 1, max); // a scale needs two steps, even if both are above the cap
  }
  return { min, max, top, db };
}

/** dB of a raw value: null without a dB scale, -Infinity at the mute point. */
export function rawToDb(s: Scale, raw: number): number | null {
  if (!s.db) return null;
  if (s.db.mute && raw <= s.min) return -Infinity;
  if (s.max === s.min) return s.db.min;
  return s.db.min + ((raw - s.min) * (s.db.max - s.db.min)) / (s.max - s.min);
}

/** The unrounded percent (0..100) of a raw value; values above `top` show as 100. */
export function exactPercent(s: Scale, raw: number): number {
  const r = clamp(raw, s.min, s.top);
  if (s.top === s.min) return 0;
  const db = rawToDb(s, r);
  const lo = rawToDb(s, s.min);
  const hi = rawToDb(s, s.top);
  if (db === null || lo === null || hi === null) return (100 * (r - s.min)) / (s.top - s.min);
  if (lo !== -Infinity && hi - lo <= LINEAR_DB_SPAN) return (100 * (db - lo)) / (hi - lo);
  let n = Math.pow(10, (db - hi) / 60);
  if (lo !== -Infinity) {
    const m = Math.pow(10, (lo - hi) / 60);
    n = (n - m) / (1 - m);
  }
  return 100 * n;
}

/** The percent a reading shows: exactPercent rounded to an integer. */
export function percentOf(s: Scale, raw: number): number {
  return Math.round(exactPercent(s, raw));
}

/**
 * The raw value for a percent: of the raw steps around the mapping's inverse, the one whose exact
 * percent is nearest. So percentOf(rawForPercent(p)) === p whenever some raw step shows as p; when
 * none does (near 100 % a 0.5 dB step is ~2 %, just above mute the first step is ~2 %), it is the
 * nearest percent that can be shown.
 */
export function rawForPercent(s: Scale, percent: number): number {
  const p = clamp(Number.isFinite(percent) ? percent : 0, 0, 100);
  const guess = clamp(inverse(s, p / 100), s.min, s.top);
  // the step below and above the guess; at the mute point the inverse is clamped to min, so
  // min + 1 (the first audible step) still gets its chance
  const candidates = [Math.floor(guess), Math.min(Math.floor(guess) + 1, s.top)];
  let best = s.min;
  let bestDistance = Infinity;
  for (const raw of candidates) {
    const distance = Math.abs(exactPercent(s, raw) - p);
    if (distance < bestDistance) [best, bestDistance] = [raw, distance];
  }
  return best;
}

/** The loudest raw value that shows as at most `percent`: a cap is never exceeded by rounding. */
export function rawAtMost(s: Scale, percent: number): number {
  let raw = rawForPercent(s, percent);
  while (raw > s.min && percentOf(s, raw) > percent) raw--;
  return raw;
}

/** Continuous inverse of exactPercent (v = percent / 100), as raw; may fall outside the range. */
function inverse(s: Scale, v: number): number {
  const lo = rawToDb(s, s.min);
  const hi = rawToDb(s, s.top);
  const db = s.db;
  if (!db || lo === null || hi === null || db.max === db.min) return s.min + v * (s.top - s.min);
  let target: number;
  if (lo !== -Infinity && hi - lo <= LINEAR_DB_SPAN) {
    target = lo + v * (hi - lo);
  } else {
    const m = lo === -Infinity ? 0 : Math.pow(10, (lo - hi) / 60);
    const n = v * (1 - m) + m;
    if (n <= 0) return s.min;
    target = 60 * Math.log10(n) + hi;
  }
  return s.min + ((target - db.min) * (s.max - s.min)) / (db.max - db.min);
}

function clamp(x: number, lo: number, hi: number): number {
  return Math.min(hi, Math.max(lo, x));
}
