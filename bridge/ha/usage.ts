// The Home Assistant commands' lines in the main usage (kept apart so usage loads nothing else).
export const HA_USAGE = `  librespot2mqtt ha dashboard|media-player [--config FILE]
                                                   print Home Assistant YAML for this speaker's entities
  librespot2mqtt doctor [--config FILE] [--ha-url URL]
                                                   check the speaker in Home Assistant (URL and token in
                                                   HASS_SERVER, HASS_TOKEN; none needed in the add-on)`;
