import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { exactPercent, makeScale, percentOf, rawAtMost, rawForPercent, rawToDb, type Scale } from '../bridge/mixer/scale.js';

// the two HifiBerry codecs, as their drivers declare them
const amp = makeScale(0, 248, { min: -100, max: -100 + 0.5 * 248, mute: true }); // TAS5713 'Master'
const amp2 = makeScale(0, 207, { min: -103.5, max: 0, mute: true }); // PCM512x 'Digital'

const arbScale: fc.Arbitrary<Scale> = fc
  .record({
    min: fc.integer({ min: -50, max: 50 }),
    steps: fc.integer({ min: 1, max: 400 }),
    db: fc.option(
      fc.record({
        lo: fc.integer({ min: -12000, max: 0 }),
        step: fc.integer({ min: 1, max: 300 }),
        mute: fc.boolean(),
      }),
    ),
  })
  .map(({ min, steps, db }) =>
    makeScale(min, min + steps, db && { min: db.lo / 100, max: (db.lo + db.step * steps) / 100, mute: db.mute }),
  );

const raws = (s: Scale): number[] => Array.from({ length: s.top - s.min + 1 }, (_, i) => s.min + i);

test('AMP: 100 % is 0 dB (raw 200), the +24 dB gain above it is left out', () => {
  assert.equal(amp.top, 200);
  assert.equal(rawToDb(amp, 200), 0);
  assert.equal(rawForPercent(amp, 100), 200);
  assert.equal(percentOf(amp, 200), 100);
  assert.equal(percentOf(amp, 248), 100);
  assert.equal(rawToDb(amp, 248), 24);
  assert.equal(rawToDb(amp, 0), -Infinity);
});

test('AMP2: 50 % is about -18 dB, endpoints are mute and 0 dB', () => {
  const db = rawToDb(amp2, rawForPercent(amp2, 50));
  assert.ok(db !== null && Math.abs(db - -18.06) <= 0.25, `50 % gave ${db} dB`);
  assert.equal(rawForPercent(amp2, 0), 0);
  assert.equal(rawToDb(amp2, 0), -Infinity);
  assert.equal(rawForPercent(amp2, 100), 207);
  assert.equal(percentOf(amp2, 1), 2); // the first audible step, -103 dB
});

test('small dB ranges map linearly in dB; no dB maps linearly in raw', () => {
  const small = makeScale(0, 40, { min: -20, max: 0, mute: false });
  assert.equal(percentOf(small, 20), 50);
  const plain = makeScale(0, 65536, null);
  assert.equal(rawForPercent(plain, 40), 26214);
  assert.equal(rawToDb(plain, 100), null);
});

test('property: percent is monotonic in raw, 0 at min and 100 at top', () => {
  fc.assert(
    fc.property(arbScale, (s) => {
      const ps = raws(s).map((r) => exactPercent(s, r));
      ps.slice(1).forEach((p, i) => assert.ok(p >= (ps[i] ?? 0) - 1e-9));
      assert.equal(percentOf(s, s.min), 0);
      assert.equal(percentOf(s, s.top), 100);
      assert.equal(rawForPercent(s, 0), s.min);
      assert.equal(rawForPercent(s, 100), s.top);
    }),
  );
});

test('property: rawForPercent is monotonic and stays in range', () => {
  fc.assert(
    fc.property(arbScale, fc.double({ min: -10, max: 110, noNaN: true }), fc.double({ min: -10, max: 110, noNaN: true }), (s, a, b) => {
      const [lo, hi] = a <= b ? [a, b] : [b, a];
      const rl = rawForPercent(s, lo);
      assert.ok(rl <= rawForPercent(s, hi));
      assert.ok(Number.isInteger(rl) && rl >= s.min && rl <= s.top);
    }),
  );
});

test('property: set then read gives p back when some raw step shows as p, else the nearest shown percent', () => {
  fc.assert(
    fc.property(arbScale, fc.integer({ min: 0, max: 100 }), (s, p) => {
      const shown = raws(s).map((r) => percentOf(s, r));
      const back = percentOf(s, rawForPercent(s, p));
      if (shown.includes(p)) assert.equal(back, p);
      else assert.equal(Math.abs(back - p), Math.min(...shown.map((q) => Math.abs(q - p))));
    }),
  );
});

test('property: rawAtMost is the loudest step that shows as at most p (a cap is never exceeded by rounding)', () => {
  fc.assert(
    fc.property(arbScale, fc.integer({ min: 0, max: 100 }), (s, p) => {
      const raw = rawAtMost(s, p);
      const under = raws(s).filter((r) => percentOf(s, r) <= p);
      assert.ok(percentOf(s, raw) <= p || raw === s.min);
      if (under.length) assert.equal(percentOf(s, raw), Math.max(...under.map((r) => percentOf(s, r))));
    }),
  );
  // the HifiBerry scales have such gaps near the top: 65 % shows as 66 %
  assert.equal(percentOf(amp2, rawForPercent(amp2, 65)), 66);
  assert.equal(percentOf(amp2, rawAtMost(amp2, 65)), 64);
});
