// Which controls to use when the config names none. Pure: it only looks at the element names.

export interface Detection {
  control: string;
  switch: string | null;
  /** Why, for the log. */
  reason: string;
}

const PLAYBACK_VOLUME = / Playback Volume$/;

export function detectControls(names: readonly string[]): Detection | null {
  const has = (n: string): boolean => names.includes(n);
  if (has('Digital Playback Volume')) {
    const sw = has('Digital Playback Switch') ? 'Digital Playback Switch' : null;
    return { control: 'Digital Playback Volume', switch: sw, reason: "found 'Digital Playback Volume': HifiBerry AMP2/AMP4/AMP100/DAC+ (PCM512x)" };
  }
  if (has('Master')) {
    return { control: 'Master', switch: null, reason: "found 'Master' without a switch: HifiBerry AMP/AMP+ (TAS5713); mute is not available" };
  }
  const volume = names.find((n) => PLAYBACK_VOLUME.test(n));
  if (volume === undefined) return null;
  const sw = volume.replace(PLAYBACK_VOLUME, ' Playback Switch');
  return {
    control: volume,
    switch: has(sw) ? sw : null,
    reason: `no HifiBerry controls; using the first playback volume '${volume}'${has(sw) ? ` and its switch '${sw}'` : ' (it has no switch)'}`,
  };
}
