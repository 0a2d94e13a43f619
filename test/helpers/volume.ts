// What the volume tests share: the rig's raw values, waiting for a condition, a speaker on a rig
// device, and "do the mixer, go-librespot and the published state agree".
import { readFileSync } from 'node:fs';
import type { AlsaBackendName, Rig, RigDevice } from './alsa-rig.js';
import { startSpeaker, sleep, type Speaker } from './setup.js';
import type { TestBroker } from './broker.js';
import { WAIT_MS } from './patience.js';

export const VOLUME = { amp: 'Master', amp2: 'Digital Playback Volume' } as const;
export const SWITCH = { amp: null, amp2: 'Digital Playback Switch' } as const;

export async function until<T>(what: string, probe: () => T | Promise<T>, ok: (v: T) => boolean, timeoutMs = WAIT_MS): Promise<{ value: T; ms: number }> {
  const t0 = Date.now();
  let last: T | undefined;
  while (Date.now() - t0 < timeoutMs) {
    last = await probe();
    if (ok(last)) return { value: last, ms: Date.now() - t0 };
    await sleep(5);
  }
  throw new Error(`${what}: still ${JSON.stringify(last)} after ${timeoutMs} ms`);
}

export function volumeRig(rig: Rig) {
  const values = async (device: RigDevice, element: string) => {
    const out = await rig.amixer(['-D', device, 'cget', `name=${element}`]);
    return /: values=([\w,]+)/.exec(out)![1]!.split(',').map((v) => (v === 'on' ? 1 : v === 'off' ? 0 : Number(v)));
  };
  return {
    rawOf: (device: RigDevice) => values(device, VOLUME[device]),
    /** the switch is off on some channel; false on the AMP, which has none */
    mutedOf: async (device: RigDevice) => SWITCH[device] !== null && (await values(device, SWITCH[device])).some((v) => v === 0),
    setRaw: (device: RigDevice, raw: number) =>
      rig.amixer(['-q', '-D', device, 'cset', `name=${VOLUME[device]}`, device === 'amp2' ? `${raw},${raw}` : String(raw)]),
  };
}

/** A speaker on a rig device; it returns once the start-up is over: the mixer read, the session
 * seen and Spotify following the mixer (the native mixer is up long before go-librespot's event
 * stream, so a test's first step would otherwise race the start-up's own POST). */
export async function speakerOn(device: RigDevice, backend: AlsaBackendName, config: Record<string, unknown> = {}, broker?: TestBroker): Promise<Speaker> {
  const s = await startSpeaker({ broker, config: { mixer: { backend, device, check_s: 1 }, ...config } });
  try {
    await until(
      'start-up over',
      () => ({ ...s.bridge.store.get(), spotify: s.emulator.status()?.volume }),
      (st) => st.mixer && st.librespot && st.session && st.spotify === st.volume,
      10_000,
    );
  } catch (err) {
    await s.close(); // a speaker left running keeps the test process alive
    throw err;
  }
  return s;
}

/** The level to restore on unmute (AMP: no switch), as the bridge keeps it across restarts. */
export function savedMuteLevel(s: Speaker): number | null {
  try {
    return (JSON.parse(readFileSync(s.cfg.state_file, 'utf8')) as { muted_level?: number | null }).muted_level ?? null;
  } catch {
    return null;
  }
}
