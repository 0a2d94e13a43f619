// go-librespot v0.10's playback_error kinds ([post-0.9] daemon/playback_error.go
// classifyPlaybackError) and what each means for someone standing next to a silent speaker.
export const PLAYBACK_ERROR_KINDS = ['restricted', 'unsupported', 'rate_limited', 'rejected', 'server', 'timeout', 'network', 'unknown'] as const;
export type PlaybackErrorKind = (typeof PLAYBACK_ERROR_KINDS)[number];

export const isPlaybackErrorKind = (k: string): k is PlaybackErrorKind => (PLAYBACK_ERROR_KINDS as readonly string[]).includes(k);

/** summary: a sensor state (short); explanation: what happened and what to try */
export const EXPLANATIONS: Record<PlaybackErrorKind, { summary: string; explanation: string }> = {
  restricted: {
    summary: "Spotify refused this account's audio keys",
    explanation:
      'The speaker connects but Spotify will not let it play. This is a known Spotify-side problem (it hits many ' +
      'accounts, mostly recent ones) that no go-librespot version can fix. Try: play again later, use another ' +
      'Spotify Premium account on the speaker, keep go-librespot up to date, and follow go-librespot issue #279.',
  },
  unsupported: {
    summary: 'No playable audio format for this track',
    explanation: 'Spotify offered no audio format go-librespot can play for this track. Skip it or try another one.',
  },
  rate_limited: {
    summary: 'Spotify is rate-limiting the speaker',
    explanation: 'Spotify is limiting how often this speaker may ask. Wait a few minutes, then play again.',
  },
  rejected: {
    summary: 'Spotify refused this track',
    explanation: 'Spotify refused to deliver this track (it may be unavailable in your country or for your account). Skip it.',
  },
  server: {
    summary: "Spotify's servers failed",
    explanation: "Spotify's servers failed to deliver the track. Try again in a few minutes.",
  },
  timeout: {
    summary: 'Spotify did not answer in time',
    explanation: "Spotify did not answer in time. Check the speaker's network, then play again.",
  },
  network: {
    summary: 'The connection to Spotify was lost',
    explanation: 'The speaker lost its connection to Spotify. Check the network; go-librespot reconnects by itself.',
  },
  unknown: {
    summary: 'go-librespot could not play',
    explanation: "go-librespot could not play (for example the sound card failed). Its message and go-librespot's log say more.",
  },
};
