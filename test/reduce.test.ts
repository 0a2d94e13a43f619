// Pure units: go-librespot answers and events → state (bridge/librespot/reduce.ts), state → the
// state JSON (bridge/mqtt/payloads.ts), and MQTT payloads → commands (bridge/commands/parse.ts).
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { parseReleaseDate, stateFromEvent, stateFromStatus } from '../bridge/librespot/reduce.js';
import { ApiEvent, type ApiStatus, type ApiTrack } from '../bridge/librespot/api.js';
import { EXPLANATIONS } from '../bridge/librespot/errors.js';
import { initialState, type PlayerState } from '../bridge/state/state.js';
import { HA_STATE_MAX, statePayload } from '../bridge/mqtt/payloads.js';
import { parseCommand } from '../bridge/commands/parse.js';
import { COMMAND_KEYS } from '../bridge/commands/table.js';

const CTX = 'spotify:playlist:37i9dQZF1DXcBWIGoYBM5M';
const apiTrack = (uri: string, o: Partial<ApiTrack> = {}): ApiTrack => ({
  uri, name: `Song ${uri.slice(-2)}`, artist_names: ['Artist'], album_name: 'Album', album_cover_url: 'https://i.scdn.co/image/ab67',
  position: 0, duration: 200_000, release_date: 'year:2009 month:3 day:1', track_number: 3, disc_number: 1,
  format: 'OGG_VORBIS_160', codec: 'vorbis', bitrate: 160, sample_rate: 44100, bit_depth: null, ...o,
});
const status = (o: Partial<ApiStatus> = {}): ApiStatus => ({
  username: 'u', device_id: 'd'.repeat(40), device_type: 'SPEAKER', device_name: 'Kitchen', play_origin: 'go-librespot',
  stopped: false, paused: false, buffering: false, volume: 50, volume_steps: 100, repeat_context: false, repeat_track: false,
  shuffle_context: false, track: apiTrack('spotify:track:A1'), ...o,
});

// events as they are on the wire (validated by the bridge's own schema)
const ref = (uri: string, context_uri = CTX) => ({ context_uri, uri, play_origin: 'go-librespot' });
const E = {
  ready: { type: 'playback_ready', data: null },
  active: { type: 'active', data: null },
  inactive: { type: 'inactive', data: null },
  volume: { type: 'volume', data: { value: 55, max: 100 } },
  willPlay: (uri: string, ctx = CTX) => ({ type: 'will_play', data: ref(uri, ctx) }),
  metadata: (uri: string, o: Partial<ApiTrack> = {}) => ({ type: 'metadata', data: apiTrack(uri, o) }),
  playing: (uri: string, resume = false, ctx = CTX) => ({ type: 'playing', data: { ...ref(uri, ctx), resume } }),
  paused: (uri: string) => ({ type: 'paused', data: ref(uri) }),
  notPlaying: (uri: string) => ({ type: 'not_playing', data: ref(uri) }),
  stopped: { type: 'stopped', data: { play_origin: 'go-librespot' } },
  seek: (uri: string, position: number) => ({ type: 'seek', data: { ...ref(uri), position, duration: 200_000 } }),
};

/** Folds wire events through stateFromEvent, one ms apart; returns the state after each. */
function fold(events: unknown[], from: PlayerState = { ...initialState, librespot: true }): PlayerState[] {
  const out: PlayerState[] = [];
  let s = from;
  let now = Date.parse('2026-01-01T00:00:00Z');
  for (const raw of events) {
    const ev = ApiEvent.parse(raw);
    s = { ...s, ...stateFromEvent(s, ev, now++) };
    out.push(s);
  }
  return out;
}
const playback = (states: PlayerState[]) => states.map((s) => s.playback);

describe('parseReleaseDate: the protobuf text form go-librespot sends', () => {
  const cases: Array<[string | undefined, string | null]> = [
    ['year:2009 month:3 day:1', '2009-03-01'],
    ['year:2009  month:3  day:1', '2009-03-01'], // protobuf-go doubles some spaces
    ['year:1999 month:12 day:31', '1999-12-31'],
    ['year:2009 month:11', '2009-11'],
    ['year:2009', '2009'],
    ['year:2009  day:5', '2009'], // a day without a month means nothing
    ['year:987', '0987'],
    ['<nil>', null],
    ['', null],
    [undefined, null],
    ['month:3 day:1', null],
    ['2020-01-01', '2020-01-01'], // the hand-made value of upstream's tests
    ['2020', '2020'],
    ['garbage', null],
  ];
  for (const [text, want] of cases) it(`${JSON.stringify(text)} → ${JSON.stringify(want)}`, () => assert.equal(parseReleaseDate(text), want));
  it('never throws and gives an ISO prefix or null', () =>
    fc.assert(fc.property(fc.string(), (t) => {
      const d = parseReleaseDate(t);
      return d === null || /^\d{4,}(-\d{2}){0,2}$/.test(d);
    })));
});

describe('stateFromStatus', () => {
  const now = Date.parse('2026-01-01T00:00:00Z');
  it('204 (no session) → off, no track', () => {
    assert.deepEqual(stateFromStatus(null, now), {
      session: false, playback: 'off', track: null, context_uri: null, context_name: null, next_track: null, position_ms: 0, position_updated_at: null,
    });
  });
  const rows: Array<[string, Partial<ApiStatus>, PlayerState['playback']]> = [
    ['stopped', { stopped: true, track: null }, 'idle'],
    ['no track (not stopped)', { track: null }, 'idle'],
    ['buffering', { buffering: true }, 'buffering'],
    ['paused', { paused: true }, 'paused'],
    ['playing', {}, 'playing'],
    ['buffering wins over paused', { buffering: true, paused: true }, 'buffering'],
  ];
  for (const [name, o, want] of rows)
    it(`${name} → ${want}`, () => {
      const p = stateFromStatus(status(o), now);
      assert.equal(p.playback, want);
      assert.equal(p.session, true);
      if (!p.track) assert.equal(p.context_uri, null);
    });
  it('maps the track, repeat, shuffle and volume', () => {
    const p = stateFromStatus(status({ repeat_context: true, repeat_track: true, shuffle_context: true, volume: 3, volume_steps: 16, track: apiTrack('spotify:track:A1', { position: 1234, codec: '' }) }), now);
    assert.equal(p.repeat, 'track');
    assert.equal(p.shuffle, true);
    assert.equal(p.spotify_volume, 19);
    assert.equal(p.position_ms, 1234);
    assert.equal(p.position_updated_at, new Date(now).toISOString());
    assert.equal(p.track!.release_date, '2009-03-01');
    assert.equal(p.track!.codec, null);
    assert.equal(stateFromStatus(status({ repeat_context: true }), now).repeat, 'context');
  });
});

describe('stateFromStatus in a running session', () => {
  const now = Date.parse('2026-01-01T00:00:00Z');
  const playing = { ...initialState, librespot: true, session: true, ...stateFromStatus(status(), now - 10_000) } as PlayerState;
  it('buffering inside a playing session stays playing', () => {
    assert.equal(stateFromStatus(status({ buffering: true }), now, playing).playback, 'playing');
    assert.equal(stateFromStatus(status({ buffering: true }), now, { ...playing, playback: 'paused' }).playback, 'buffering');
  });
  it('a position that agrees with the extrapolated one leaves position and timestamp alone', () => {
    const p = stateFromStatus(status({ track: apiTrack('spotify:track:A1', { position: 10_300 }) }), now, playing);
    assert.ok(!('position_ms' in p) && !('position_updated_at' in p));
    const moved = stateFromStatus(status({ track: apiTrack('spotify:track:A1', { position: 60_000 }) }), now, playing);
    assert.equal(moved.position_ms, 60_000);
  });
  it('v0.10 fields: context name, up next, artist and album URIs; absent on v0.9 keeps the state', () => {
    const next = apiTrack('spotify:track:B2', { name: 'Next one', artist_names: ['X', 'Y'] });
    const p = stateFromStatus(
      status({ context_uri: CTX, context_name: 'Evening Drive', next_track: next, track: apiTrack('spotify:track:A1', { artist_uris: ['spotify:artist:1'], album_uri: 'spotify:album:2' }) }),
      now,
    );
    assert.equal(p.context_name, 'Evening Drive');
    assert.deepEqual(p.next_track, { uri: 'spotify:track:B2', name: 'Next one', artists: ['X', 'Y'], album: 'Album', cover_url: next.album_cover_url, duration_ms: 200_000 });
    assert.deepEqual([p.track!.artist_uris, p.track!.album_uri], [['spotify:artist:1'], 'spotify:album:2']);
    const v09 = stateFromStatus(status(), now, { ...playing, context_name: 'kept' });
    assert.ok(!('context_name' in v09) && !('next_track' in v09));
    assert.deepEqual([v09.track!.artist_uris, v09.track!.album_uri], [[], null]);
    assert.equal(stateFromStatus(status({ next_track: null }), now).next_track, null);
  });
});

describe('stateFromEvent: the event sequences of notes section 5.2', () => {
  it('transfer from the app: buffering between will_play and metadata, then playing', () => {
    const s = fold([E.ready, E.volume, E.willPlay('spotify:track:A1'), E.metadata('spotify:track:A1'), E.active, E.playing('spotify:track:A1')]);
    assert.equal(s[2]!.playback, 'buffering', 'after will_play, before metadata');
    assert.equal(s[2]!.track, null);
    assert.equal(s[3]!.track!.uri, 'spotify:track:A1');
    const last = s.at(-1)!;
    assert.equal(last.playback, 'playing');
    assert.equal(last.session, true);
    assert.equal(last.context_uri, CTX);
    assert.equal(last.spotify_volume, 55);
  });
  it('paused transfer ends paused', () => {
    const s = fold([E.ready, E.willPlay('spotify:track:A1'), E.metadata('spotify:track:A1'), E.active, E.paused('spotify:track:A1')]);
    assert.deepEqual(playback(s), ['off', 'buffering', 'buffering', 'buffering', 'paused']);
  });
  it('API play at a position: will_play, metadata, paused, seek, playing(resume) keeps the seek position', () => {
    const s = fold([E.willPlay('spotify:track:A1'), E.metadata('spotify:track:A1'), E.paused('spotify:track:A1'), E.seek('spotify:track:A1', 60_000), E.playing('spotify:track:A1', true)]);
    assert.deepEqual(playback(s), ['buffering', 'buffering', 'paused', 'paused', 'playing']);
    assert.equal(s.at(-1)!.position_ms, 60_000);
  });
  it('track ends, the next one plays: not_playing(old), will_play, metadata, playing; playing throughout', () => {
    const [start] = fold([E.willPlay('spotify:track:A1'), E.metadata('spotify:track:A1'), E.playing('spotify:track:A1')]).slice(-1);
    const s = fold([E.notPlaying('spotify:track:A1'), E.willPlay('spotify:track:B2'), E.metadata('spotify:track:B2'), E.playing('spotify:track:B2')], start);
    assert.deepEqual(s[0], start, 'not_playing changes nothing: the next track follows at once');
    assert.deepEqual(playback(s), ['playing', 'playing', 'playing', 'playing']);
    assert.deepEqual(s[3], s[2], 'playing after metadata changes nothing: one state per track change');
    assert.equal(s.at(-1)!.track!.uri, 'spotify:track:B2');
    assert.equal(s.at(-1)!.position_ms, 0);
  });
  it('context ends with autoplay: a station context follows', () => {
    const [start] = fold([E.willPlay('spotify:track:A1'), E.metadata('spotify:track:A1'), E.playing('spotify:track:A1')]).slice(-1);
    const station = 'spotify:station:playlist:37i9dQZF1DXcBWIGoYBM5M';
    const s = fold([E.notPlaying('spotify:track:A1'), E.willPlay('spotify:track:C3', station), E.metadata('spotify:track:C3'), E.playing('spotify:track:C3', false, station)], start);
    assert.equal(s.at(-1)!.playback, 'playing');
    assert.equal(s.at(-1)!.context_uri, station);
  });
  it('context ends without autoplay: first track left loaded and paused', () => {
    const [start] = fold([E.willPlay('spotify:track:Z9'), E.metadata('spotify:track:Z9'), E.playing('spotify:track:Z9')]).slice(-1);
    const s = fold([E.notPlaying('spotify:track:Z9'), E.willPlay('spotify:track:A1'), E.metadata('spotify:track:A1'), E.stopped, E.paused('spotify:track:A1')], start);
    assert.deepEqual(playback(s), ['playing', 'playing', 'playing', 'paused', 'paused']);
    assert.equal(s.at(-1)!.track!.uri, 'spotify:track:A1');
  });
  it('stop or transfer away: inactive then stopped → idle', () => {
    const [start] = fold([E.willPlay('spotify:track:A1'), E.metadata('spotify:track:A1'), E.playing('spotify:track:A1')]).slice(-1);
    assert.deepEqual(playback(fold([E.inactive, E.stopped], start)), ['idle', 'idle']);
  });
  it('skip while paused: buffering, then paused again (Playing stays off)', () => {
    const [start] = fold([E.willPlay('spotify:track:A1'), E.metadata('spotify:track:A1'), E.paused('spotify:track:A1')]).slice(-1);
    assert.deepEqual(playback(fold([E.willPlay('spotify:track:B2'), E.metadata('spotify:track:B2'), E.paused('spotify:track:B2')], start)), ['buffering', 'buffering', 'paused']);
  });
  it('a seek while playing keeps playing', () => {
    const [start] = fold([E.willPlay('spotify:track:A1'), E.metadata('spotify:track:A1'), E.playing('spotify:track:A1')]).slice(-1);
    const [after] = fold([E.seek('spotify:track:A1', 90_000)], start);
    assert.equal(after!.playback, 'playing');
    assert.equal(after!.position_ms, 90_000);
  });
  it('v0.10 playback_error: the last error with its explanation, Playing off; cleared when a track plays', () => {
    const [start] = fold([E.willPlay('spotify:track:A1'), E.metadata('spotify:track:A1'), E.playing('spotify:track:A1')]).slice(-1);
    const error = { type: 'playback_error', data: { ...ref('spotify:track:B2'), stage: 'load', kind: 'restricted', unplayable: false, message: 'audio key error 0 1' } };
    const s = fold([E.willPlay('spotify:track:B2'), error], start);
    assert.equal(s[1]!.playback, 'idle');
    assert.deepEqual(
      { ...s[1]!.last_error!, at: 'x' },
      { kind: 'restricted', stage: 'load', message: 'audio key error 0 1', unplayable: false, uri: 'spotify:track:B2', at: 'x', ...EXPLANATIONS.restricted },
    );
    assert.match(s[1]!.last_error!.summary, /refused this account's audio keys/);
    const later = fold([E.willPlay('spotify:track:C3'), E.metadata('spotify:track:C3'), E.playing('spotify:track:C3')], s[1]);
    assert.equal(later.at(-1)!.last_error, null);
  });
  it('a playback_error kind this bridge does not know is reported as unknown', () => {
    const ev = ApiEvent.parse({ type: 'playback_error', data: { ...ref('spotify:track:B2'), stage: 'session', kind: 'cosmic_rays', unplayable: true, message: 'm' } });
    assert.equal(ev.type === 'playback_error' && ev.data.kind, 'unknown');
  });
  it('a new context drops the old context name until /status names the new one', () => {
    const s = { ...initialState, librespot: true, context_uri: CTX, context_name: 'Evening Drive' };
    assert.deepEqual(fold([E.willPlay('spotify:track:A1')], s)[0]!.context_name, 'Evening Drive');
    assert.equal(fold([E.willPlay('spotify:track:A1', 'spotify:album:X')], s)[0]!.context_name, null);
  });
  it('audio device error: stopped alone → paused', () => {
    const [start] = fold([E.willPlay('spotify:track:A1'), E.metadata('spotify:track:A1'), E.playing('spotify:track:A1')]).slice(-1);
    assert.deepEqual(playback(fold([E.stopped], start)), ['paused']);
  });
});

describe('statePayload: states stay under HA\'s 255 characters, attributes keep everything', () => {
  const cp = (s: string) => Array.from(s).length;
  const withTrack = (name: string, artists: string[], album = 'Album') =>
    statePayload({ ...initialState, session: true, playback: 'playing', track: { ...stateFromStatus(status(), 0).track!, name, artists, album } });
  it('a 300-character title and a 400-character artist list are cut; the track keeps the full text', () => {
    const title = 'T'.repeat(300);
    const artists = Array.from({ length: 40 }, (_, i) => `Artist ${String(i).padStart(2, '0')}`); // 40 × 9 + 39 × 2 = 438
    const p = JSON.parse(JSON.stringify(withTrack(title, artists, 'A'.repeat(256))));
    assert.ok(artists.join(', ').length >= 400);
    for (const k of ['title', 'artist', 'album']) {
      assert.equal(cp(p[k]), HA_STATE_MAX, k);
      assert.ok(p[k].endsWith('…'), k);
    }
    assert.equal(p.title, 'T'.repeat(254) + '…');
    assert.equal(p.track.name, title);
    assert.deepEqual(p.track.artists, artists);
  });
  it('counts code points: 255 emoji stay whole, 300 are cut without splitting a pair', () => {
    const keep = withTrack('🎵'.repeat(255), ['Ä']);
    assert.equal(keep.title, '🎵'.repeat(255), '255 code points (510 UTF-16 units) are within the limit');
    const cut = withTrack('🎵'.repeat(300), ['Ä']).title;
    assert.equal(cp(cut), HA_STATE_MAX);
    assert.doesNotMatch(cut, /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/, 'no lone surrogate');
    assert.equal(withTrack('x', []).artist, '');
  });
  it('property: title/artist/album never exceed 255 code points', () =>
    fc.assert(fc.property(fc.string({ unit: 'grapheme', maxLength: 600 }), fc.array(fc.string({ maxLength: 40 }), { maxLength: 30 }), (name, artists) => {
      const p = withTrack(name, artists);
      return cp(p.title) <= HA_STATE_MAX && cp(p.artist) <= HA_STATE_MAX && (cp(name) > HA_STATE_MAX || p.title === name);
    })));
});

describe('parseCommand: plain and JSON forms', () => {
  const plain = (field: string, text: string) => parseCommand(field, Buffer.from(text));
  const json = (text: string) => parseCommand(undefined, Buffer.from(text));
  const accepted: Array<[string, string, unknown]> = [
    ['shuffle', 'on', true], ['shuffle', ' ON ', true], ['shuffle', 'true', true], ['shuffle', '1', true], ['shuffle', 'yes', true],
    ['shuffle', 'OFF', false], ['shuffle', 'false', false], ['shuffle', '0', false], ['shuffle', 'no', false], ['shuffle', 'Toggle', 'toggle'],
    ['repeat', 'CONTEXT', 'context'], ['repeat', ' track\n', 'track'], ['repeat', 'off', 'off'],
    ['action', ' Next ', 'next'], ['action', 'PLAY_PAUSE', 'play_pause'], ['action', 'previous', 'previous'],
    ['seek', '60', 60], ['seek', ' 30 ', 30], ['seek', '+15', { step: 15 }], ['seek', '-5', { step: -5 }], ['seek', '12.5', 12.5],
    ['play_uri', 'spotify:playlist:37i9dQZF1DXcBWIGoYBM5M', 'spotify:playlist:37i9dQZF1DXcBWIGoYBM5M'],
    ['play_uri', '  spotify:album:4aawyAB9vmqN3uQ7FjRGTy ', 'spotify:album:4aawyAB9vmqN3uQ7FjRGTy'],
    ['play_uri', 'https://open.spotify.com/playlist/37i9dQZF1DXcBWIGoYBM5M?si=abc123', 'spotify:playlist:37i9dQZF1DXcBWIGoYBM5M'],
    ['play_uri', 'https://open.spotify.com/intl-de/album/4aawyAB9vmqN3uQ7FjRGTy', 'spotify:album:4aawyAB9vmqN3uQ7FjRGTy'],
    ['play_uri', 'https://open.spotify.com/track/4uLU6hMCjMI75M1A2tKUQC#x', 'spotify:track:4uLU6hMCjMI75M1A2tKUQC'],
  ];
  for (const [field, text, value] of accepted)
    it(`set/${field} ← ${JSON.stringify(text)}`, () => assert.deepEqual(plain(field, text), { ok: true, command: { [field]: value } }));

  it('JSON: several keys, booleans, numbers, and the transaction kept aside', () => {
    assert.deepEqual(json('{"shuffle":true,"seek":"+5","action":"pause","transaction":"t1"}'), {
      ok: true, command: { shuffle: true, seek: { step: 5 }, action: 'pause' }, transaction: 't1',
    });
    const r = json('{"seek":60}');
    assert.deepEqual(r.ok && r.command, { seek: 60 });
    assert.equal(r.transaction, undefined);
  });

  const known = COMMAND_KEYS.join(', ');
  const rejected: Array<[string | undefined, string, string]> = [
    [undefined, 'nope', 'payload is not JSON: "nope" (example: {"action":"next"})'],
    [undefined, '', 'payload is not JSON: "" (example: {"action":"next"})'],
    [undefined, '"next"', 'payload must be a JSON object, e.g. {"action":"next"}'],
    [undefined, 'null', 'payload must be a JSON object, e.g. {"action":"next"}'],
    [undefined, '[{"action":"next"}]', 'payload must be a JSON object, e.g. {"action":"next"}'],
    [undefined, '{}', `no command given (known: ${known})`],
    [undefined, '{"transaction":1}', `no command given (known: ${known})`],
    [undefined, '{"skip":1,"louder":2}', `unknown command "skip", "louder" (known: ${known})`],
    [undefined, '{"play_uri":5}', 'play_uri: must be a Spotify URI'],
    [undefined, '{"shuffle":"maybe"}', 'shuffle: must be on, off or toggle'],
    ['louder', '1', `unknown command topic set/louder (known: ${COMMAND_KEYS.map((k) => `set/${k}`).join(', ')})`],
    ['shuffle', 'maybe', 'shuffle: must be on, off or toggle'],
    ['shuffle', '', 'shuffle: must be on, off or toggle'],
    ['repeat', 'all', 'repeat: must be one of off, context, track'],
    ['action', 'skip', 'action: must be one of play, pause, play_pause, next, previous, stop'],
    ['seek', 'soon', 'seek: must be a number from 0 to 86400 seconds, or a change like +5 or -5'],
    ['seek', '+', 'seek: must be a number from 0 to 86400 seconds, or a change like +5 or -5'],
    ['play_uri', 'spotify:', 'play_uri: must be a Spotify URI like spotify:playlist:37i9dQZF1DXcBWIGoYBM5M, or an open.spotify.com link'],
    ['play_uri', 'https://example.com/playlist/abc', 'play_uri: must be a Spotify URI like spotify:playlist:37i9dQZF1DXcBWIGoYBM5M, or an open.spotify.com link'],
  ];
  for (const [field, text, error] of rejected)
    it(`rejects ${field ? `set/${field}` : 'set'} ← ${JSON.stringify(text)}`, () => {
      const r = parseCommand(field, Buffer.from(text));
      assert.equal(r.ok, false);
      assert.equal(!r.ok && r.error, error);
    });
  it('rejected JSON keeps the transaction for the answer', () => assert.deepEqual(json('{"shuffle":"x","transaction":[1]}').transaction, [1]));

  for (const [field, text] of [['seek', '99999'], [undefined, '{"seek":-1}']] as const)
    it(`out of range: ${text} says the range`, () => {
      const r = parseCommand(field, Buffer.from(text));
      assert.equal(!r.ok && r.error, 'seek: must be between 0 and 86400 seconds');
    });

  it('property: never throws on arbitrary bytes or topics, and a refusal always says why', () =>
    fc.assert(fc.property(fc.option(fc.oneof(fc.constantFrom(...COMMAND_KEYS), fc.string()), { nil: undefined }), fc.uint8Array({ maxLength: 200 }), (field, bytes) => {
      const r = parseCommand(field, Buffer.from(bytes));
      return r.ok ? Object.keys(r.command).length > 0 : typeof r.error === 'string' && r.error.length > 0;
    }), { numRuns: 2000 }));
  it('property: JSON objects of arbitrary values never throw', () =>
    fc.assert(fc.property(fc.dictionary(fc.constantFrom(...COMMAND_KEYS, 'transaction', 'x'), fc.jsonValue()), (o) => {
      const r = parseCommand(undefined, Buffer.from(JSON.stringify(o)));
      return typeof r.ok === 'boolean';
    })));
});
