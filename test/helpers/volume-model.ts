// What the speaker's volume must end at after a sequence of inputs: the bridge's rules as a
// plain model (cap, mute with or without a switch, the mixer's steps), used by the property test.
import { makeScale, percentOf, rawAtMost, rawForPercent, type Scale } from '../../bridge/mixer/scale.js';
import type { RigDevice } from './alsa-rig.js';

export type Input =
  | { kind: 'ha'; value: number }
  | { kind: 'ha_step'; step: number }
  | { kind: 'app'; value: number }
  | { kind: 'amixer'; raw: number }
  | { kind: 'mute'; value: 'ON' | 'OFF' | 'toggle' }
  | { kind: 'cap'; value: number };

/** Inputs of one class reach the bridge in the order they were made (one MQTT client, one app, one shell). */
export const classOf = (i: Input) => (i.kind === 'app' ? 'app' : i.kind === 'amixer' ? 'amixer' : 'mqtt');

export interface Model {
  level: number;
  cap: number;
  /** the switch (AMP2) */
  muted: boolean;
  /** no switch (AMP): the level to restore while muted, else null */
  restore: number | null;
}

/** The rig's scales, as `amixer cget` shows them (alsa-mixer notes §1). */
export const SCALES: Record<RigDevice, { scale: Scale; top: number; hasSwitch: boolean }> = {
  amp: { scale: makeScale(0, 248, { min: -100, max: 24, mute: true }), top: 200, hasSwitch: false },
  amp2: { scale: makeScale(0, 207, { min: -103.5, max: 0, mute: true }), top: 207, hasSwitch: true },
};

export function apply(device: RigDevice, m: Model, input: Input): Model {
  const { scale, hasSwitch } = SCALES[device];
  const shown = (p: number) => percentOf(scale, rawForPercent(scale, p));
  /** what the mixer lands on for a level asked for: its nearest step, never above the cap */
  const settle = (p: number, cap: number) => {
    const level = shown(Math.min(p, cap));
    return level > cap ? percentOf(scale, rawAtMost(scale, cap)) : level;
  };
  const set = (wanted: number): Model => {
    const level = settle(wanted, m.cap);
    if (!hasSwitch && m.restore !== null) return level > 0 ? { ...m, level, restore: null } : m;
    return { ...m, level };
  };
  switch (input.kind) {
    case 'ha':
    case 'app':
      return set(input.value);
    case 'ha_step':
      return set(Math.max(0, Math.min(100, m.level + input.step)));
    case 'amixer': {
      const p = percentOf(scale, input.raw);
      const level = p > m.cap ? settle(m.cap, m.cap) : p;
      return { ...m, level, restore: level > 0 ? null : m.restore };
    }
    case 'cap': {
      const cap = input.value;
      return { ...m, cap, level: m.level > cap ? settle(cap, cap) : m.level };
    }
    case 'mute': {
      const isMuted = hasSwitch ? m.muted : m.restore !== null;
      const muted = input.value === 'toggle' ? !isMuted : input.value === 'ON';
      if (hasSwitch) return { ...m, muted };
      if (muted === isMuted) return m;
      return muted ? { ...m, restore: m.level, level: 0 } : { ...m, restore: null, level: settle(m.restore ?? 0, m.cap) };
    }
  }
}

/**
 * Every end state the inputs may lead to. Inputs made without waiting for the speaker to settle
 * race: they may reach it in either order (go-librespot reports the app ~100 ms late, a shell
 * command takes its time to start), except that inputs of one class keep theirs. And an app move
 * or a knob turn the bridge has not heard of yet may be overwritten by the bridge's own write (a
 * relative step, a mute taken from the level it knew): in a race it may count as never made.
 * An input made after everything agreed again starts a new race.
 */
export function outcomes(device: RigDevice, start: Model, inputs: Array<{ input: Input; settled: boolean }>): Model[] {
  const clusters: Input[][] = [];
  for (const { input, settled } of inputs) {
    if (settled || clusters.length === 0) clusters.push([]);
    clusters.at(-1)!.push(input);
  }
  let states = [start];
  for (const cluster of clusters) {
    const next: Model[] = [];
    for (const kept of survivors(cluster))
      for (const order of orders(kept)) for (const s of states) next.push(order.reduce((m, i) => apply(device, m, i), s));
    states = unique(next);
  }
  return states;
}

/** The cluster without any choice of its outside inputs (app, amixer); the last effect always stays. */
function survivors(cluster: Input[]): Input[][] {
  if (cluster.length <= 1) return [cluster];
  const outside = cluster.map((i, k) => (classOf(i) === 'mqtt' ? -1 : k)).filter((k) => k >= 0);
  const out: Input[][] = [];
  for (let mask = 0; mask < 1 << outside.length; mask++) {
    const dropped = new Set(outside.filter((_, b) => mask & (1 << b)));
    const kept = cluster.filter((_, k) => !dropped.has(k));
    if (kept.length > 0) out.push(kept);
  }
  return out;
}

/** The orders of a cluster that keep each class's own order. */
function orders(cluster: Input[]): Input[][] {
  if (cluster.length <= 1) return [cluster];
  const out: Input[][] = [];
  const seen = new Set<string>();
  for (let k = 0; k < cluster.length; k++) {
    const first = cluster[k]!;
    // only the first remaining input of its class may go first
    if (cluster.slice(0, k).some((i) => classOf(i) === classOf(first))) continue;
    const key = classOf(first);
    if (seen.has(key)) continue;
    seen.add(key);
    for (const rest of orders([...cluster.slice(0, k), ...cluster.slice(k + 1)])) out.push([first, ...rest]);
  }
  return out;
}

function unique(states: Model[]): Model[] {
  const byKey = new Map(states.map((s) => [JSON.stringify(s), s]));
  return [...byKey.values()];
}
