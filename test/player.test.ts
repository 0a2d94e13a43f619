// What the player shows on MQTT, against a real broker and the go-librespot emulator in its v0.9
// and v0.10 modes: a steady Playing (the amplifier automation), the messages a track change costs,
// playback errors, pairing, "Playing from" / "Up next", and go-librespot's 503 and 409.
import { after, before, describe, it, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { settle, startSpeaker, until, type Speaker } from './helpers/setup.js';
import { on, retained, type Message } from './helpers/mqtt.js';
import type { ApiVersion } from '../bridge/emulator/version.js';
import { WAIT_MS } from './helpers/patience.js';
import type { EmulatorOptions } from '../bridge/emulator/emulator.js';
import { ConfigSchema } from '../bridge/config/schema.js';

const playingOn = (m: Message) => JSON.parse(m.text).playback === 'playing';
const INFO = 30;

/** Runs `act` once the speaker is quiet; returns the state messages it caused: up to the first that
 * `done` accepts, the /status read it leads to, and the speaker quiet again. */
async function statesOf(s: Speaker, act: () => void | Promise<unknown>, done: (v: any) => boolean, readsStatus = true): Promise<Message[]> {
  await settle(s);
  const mark = s.watcher.mark();
  const requests = s.emulator.requests.length;
  await act();
  await s.watcher.waitJson(s.topics.state, done, undefined, mark);
  if (readsStatus) await until(() => s.emulator.requests.slice(requests).some((r) => r.path === '/status'), undefined, 'a GET /status');
  await settle(s);
  return on(s.watcher, s.topics.state, mark);
}

/** Runs `body` against a speaker that plays (the emulator as `emulator` says), and closes it. */
async function withPlaying(emulator: EmulatorOptions, config: Record<string, unknown>, body: (s: Speaker) => Promise<void>): Promise<void> {
  const s = await startSpeaker({ emulator, config });
  try {
    await s.watcher.waitJson<any>(s.topics.state, (v) => v.playback === 'playing');
    await body(s);
  } finally {
    await s.close();
  }
}

for (const version of ['0.9', '0.10'] as const satisfies readonly ApiVersion[]) {
  describe(`v${version}: a steady Playing`, () => {
    let s: Speaker;
    before(async () => {
      s = await startSpeaker({ emulator: { version, metadataCache: true }, config: { device: { id: `steady${version.replace('.', '')}` } } });
      await s.watcher.waitJson<any>(s.topics.state, (v) => v.playback === 'playing' && v.track);
    });
    after(() => s?.close());

    const changes: Array<[string, (s: Speaker) => void | Promise<unknown>]> = [
      ['a skip in the Spotify app', (s) => s.emulator.appSkip()],
      ['the track playing to its end', (s) => s.emulator.trackEnds()],
      ['Next from Home Assistant', (s) => s.watcher.publish(`${s.topics.set}/action`, 'next')],
    ];
    for (const [what, act] of changes)
      it(`${what}: the state is published at most twice, Playing stays ON throughout`, async (t: TestContext) => {
        const before = s.emulator.status()!.track!.uri;
        const states = await statesOf(s, () => act(s), (v) => v.track?.uri !== before && v.track?.uri === s.emulator.status()?.track?.uri);
        const now = s.emulator.status()!.track!.uri;
        assert.notEqual(now, before);
        assert.equal(JSON.parse(states.at(-1)!.text).track.uri, now);
        t.diagnostic(`state messages for ${what}: ${states.length}`);
        assert.ok(states.length >= 1 && states.length <= 2, `${states.length} state messages`);
        assert.ok(states.every(playingOn), `playback: ${states.map((m) => JSON.parse(m.text).playback).join(', ')}`);
      });

    it('a seek keeps Playing ON and publishes once', async () => {
      const states = await statesOf(s, () => s.emulator.appSeek(60_000), (v) => v.position_ms >= 60_000, false);
      assert.equal(states.length, 1);
      assert.ok(playingOn(states[0]!));
      assert.ok(JSON.parse(states[0]!.text).position_ms >= 60_000);
    });

    it('pause turns Playing OFF, resume ON; the end of the context turns it OFF', async () => {
      let mark = s.watcher.mark();
      s.emulator.appPause();
      await s.watcher.waitJson<any>(s.topics.state, (v) => v.playback === 'paused', WAIT_MS, mark);
      mark = s.watcher.mark();
      s.emulator.appResume();
      await s.watcher.waitJson<any>(s.topics.state, (v) => v.playback === 'playing', WAIT_MS, mark);
      const playlist = s.emulator.catalogue.playlists[0]!;
      await s.watcher.publish(`${s.topics.set}/play_uri`, playlist.uri);
      await until(() => s.emulator.status()?.track?.uri === playlist.tracks[0]!.uri);
      for (let i = 1; i < playlist.tracks.length; i++) s.emulator.appSkip();
      mark = s.watcher.mark();
      s.emulator.trackEnds();
      const end = await s.watcher.waitJson<any>(s.topics.state, (v) => v.playback !== 'playing', WAIT_MS, mark);
      assert.equal(end.playback, 'paused');
    });
  });

  describe(`v${version}: go-librespot unreachable`, () => {
    it('Playing is OFF, not unavailable: it depends on the bridge alone', async () => {
      const s = await startSpeaker({ emulator: { version }, config: { device: { id: `gone${version.replace('.', '')}` } } });
      try {
        await s.watcher.waitJson<any>(s.topics.state, (v) => v.playback === 'playing');
        const playing = (await s.watcher.waitJson<any>(s.topics.discovery)).components.playing;
        assert.deepEqual(playing.availability, [{ topic: s.topics.availability }]);
        const mark = s.watcher.mark();
        await s.emulator.close();
        await s.watcher.wait(s.topics.needs.librespot, (m) => m.text === 'offline', WAIT_MS, mark);
        const off = await s.watcher.waitJson<any>(s.topics.state, (v) => v.librespot === false, WAIT_MS, mark);
        assert.equal(off.playback, 'off');
        const kept = await retained(s.broker.url, [s.topics.availability, s.topics.state]);
        assert.equal(kept.find((m) => m.topic === s.topics.availability)!.text, 'online', 'the bridge itself is up');
        assert.equal(JSON.parse(kept.find((m) => m.topic === s.topics.state)!.text).playback, 'off');
      } finally {
        await s.bridge.stop();
        await s.watcher.close();
        await s.broker.close();
      }
    });
  });

  describe(`v${version}: what the daemon knows besides the track`, () => {
    it(version === '0.10' ? 'Playing from, Up next, artist and album URIs, context after a reconnect' : 'absent fields stay null', async () => {
      const s = await startSpeaker({ emulator: { version, metadataCache: true }, config: { device: { id: `ctx${version.replace('.', '')}` } } });
      try {
        const playlist = s.emulator.catalogue.playlists[0]!;
        // what /status says, before any event
        let st = await s.watcher.waitJson<any>(s.topics.state, (v) => v.track && (version === '0.9' || (v.context_uri && v.next_track)));
        await settle(s);
        if (version === '0.9') {
          assert.deepEqual([st.context_uri, st.context_name, st.next_track, st.track.artist_uris, st.track.album_uri], [null, null, null, [], null]);
          return;
        }
        assert.deepEqual([st.context_uri, st.context_name], [playlist.uri, playlist.name], 'from /status, before any event');
        assert.equal(st.next_track.uri, playlist.tracks[1]!.uri);
        assert.deepEqual(Object.keys(st.next_track).sort(), ['album', 'artists', 'cover_url', 'duration_ms', 'name', 'uri']);
        assert.match(st.track.artist_uris[0], /^spotify:artist:/);
        assert.match(st.track.album_uri, /^spotify:album:/);
        const mark = s.watcher.mark();
        s.emulator.appSkip();
        st = await s.watcher.waitJson<any>(s.topics.state, (v) => v.next_track?.uri === playlist.tracks[2]!.uri, WAIT_MS, mark);
        assert.equal(st.track.uri, playlist.tracks[1]!.uri);
        const c = (await s.watcher.waitJson<any>(s.topics.discovery)).components;
        assert.equal(c.playing_from.name, 'Playing from');
        assert.equal(c.up_next.name, 'Up next');
      } finally {
        await s.close();
      }
    });
  });
}

describe('playback errors', () => {
  it('v0.10: a refused audio key fires Playback error, fills Last error (info log), Playing OFF; a track that plays clears it', () =>
    withPlaying({ version: '0.10' }, { device: { id: 'err10' } }, async (s) => {
      s.emulator.failPlayback('restricted');
      const mark = s.watcher.mark();
      s.emulator.appSkip();
      const ev = await s.watcher.waitJson<any>(s.topics.error, () => true, WAIT_MS, mark);
      assert.equal(ev.event_type, 'restricted');
      assert.equal(ev.stage, 'load');
      assert.match(ev.summary, /refused this account's audio keys/);
      assert.match(ev.explanation, /Spotify-side problem/);
      assert.match(ev.explanation, /Try:/);
      assert.ok(!on(s.watcher, s.topics.error, mark)[0]!.retain);
      const st = await s.watcher.waitJson<any>(s.topics.state, (v) => v.last_error, WAIT_MS, mark);
      assert.equal(st.playback, 'idle', 'Playing is OFF');
      assert.equal(st.last_error.kind, 'restricted');
      const c = (await s.watcher.waitJson<any>(s.topics.discovery)).components;
      assert.deepEqual(c.playback_error.event_types, ['restricted', 'unsupported', 'rate_limited', 'rejected', 'server', 'timeout', 'network', 'unknown']);
      assert.equal(c.last_error.entity_category, 'diagnostic');
      assert.ok(s.logs.lines.some((l) => l.level === INFO && /playback error \(restricted\)/.test(l.msg)), 'an info line');
      await s.bridge.check();
      assert.ok(!s.logs.lines.some((l) => /did not start/.test(l.msg)), 'the reported failure ended the load');
      s.emulator.failPlayback(null);
      const m2 = s.watcher.mark();
      s.emulator.appSkip();
      const ok = await s.watcher.waitJson<any>(s.topics.state, (v) => v.playback === 'playing', WAIT_MS, m2);
      assert.equal(ok.last_error, null);
    }));

  it('v0.9: the same failure sends no event; the slow check finds the load that never finished, turns Playing OFF and says so without a reason', () =>
    withPlaying({ version: '0.9' }, { device: { id: 'err09' } }, async (s) => {
      s.emulator.failPlayback('restricted');
      const mark = s.watcher.mark();
      const logged = s.logs.lines.length;
      s.emulator.appSkip();
      // the check finds the load only once the bridge has heard it begin
      await until(() => s.logs.lines.slice(logged).some((l) => l.msg === 'go-librespot event will_play'), undefined, 'the will_play event');
      await s.bridge.check();
      const st = await s.watcher.waitJson<any>(s.topics.state, (v) => v.playback !== 'playing', WAIT_MS, mark);
      assert.equal(st.playback, 'idle');
      assert.equal(st.last_error, null, 'v0.9 says nothing about why');
      assert.deepEqual(on(s.watcher, s.topics.error, mark), []);
      const uri = s.emulator.catalogue.playlists[0]!.tracks[1]!.uri;
      const said = s.logs.lines.filter((l) => /did not start/.test(l.msg));
      assert.equal(said.length, 1, 'said once');
      assert.equal(said[0]!.level, INFO);
      assert.equal(said[0]!.uri, uri);
      assert.match(said[0]!.msg, /gave no reason \(playback errors are reported from v0\.10 on\)/);
    }));
});

describe('pairing (credentials.type: device_auth)', () => {
  it('v0.10: the Pairing sensor shows the code while the login waits, and clears when the session starts', async () => {
    const s = await startSpeaker({ emulator: { version: '0.10', session: false }, config: { device: { id: 'pair10' } } });
    try {
      await s.watcher.waitJson<any>(s.topics.state, (v) => v.librespot && v.pairing === null);
      const pairing = s.emulator.startPairing();
      const mark = s.watcher.mark();
      await s.bridge.check(); // the slow check asks while there is no session
      const st = await s.watcher.waitJson<any>(s.topics.state, (v) => v.pairing, WAIT_MS, mark);
      assert.deepEqual(st.pairing, pairing);
      const c = (await s.watcher.waitJson<any>(s.topics.discovery)).components;
      assert.equal(c.pairing.name, 'Pairing');
      assert.ok(s.logs.lines.some((l) => l.level === INFO && /waits for pairing/.test(l.msg)));
      assert.ok(!s.logs.lines.some((l) => JSON.stringify(l).includes(pairing.code)), 'the code is not logged');
      const m2 = s.watcher.mark();
      s.emulator.completePairing();
      const done = await s.watcher.waitJson<any>(s.topics.state, (v) => v.session && v.pairing === null, WAIT_MS, m2);
      assert.equal(done.librespot, true);
    } finally {
      await s.close();
    }
  });

  it('v0.9: GET /auth/code answers 404 once; the bridge does not ask again and Pairing stays unknown', async () => {
    const s = await startSpeaker({ emulator: { version: '0.9', session: false }, config: { device: { id: 'pair09' } } });
    try {
      await s.watcher.waitJson<any>(s.topics.state, (v) => v.librespot);
      await until(() => s.emulator.requests.some((r) => r.path === '/auth/code'));
      await s.bridge.check();
      await s.bridge.check();
      assert.equal(s.emulator.requests.filter((r) => r.path === '/auth/code').length, 1);
      assert.equal(s.state().pairing, null);
    } finally {
      await s.close();
    }
  });
});

describe('busy (v0.10: 503), hung (v0.9) and superseded (v0.10: 409) answers', () => {
  const command = (s: Speaker, tx: string) => s.watcher.publish(s.topics.set, JSON.stringify({ action: 'next', transaction: tx }));
  const answer = (s: Speaker, tx: string, timeoutMs = WAIT_MS) => s.watcher.waitJson<any>(s.topics.response, (v) => v.transaction === tx, timeoutMs);
  const tries = (s: Speaker, since: number) => s.emulator.requests.slice(since).filter((r) => r.path === '/player/next').length;

  it("with the default timeout, go-librespot's own 503 (after 10 s) arrives first: busy is retried, not given up on as hung", () =>
    withPlaying({ version: '0.10' }, { device: { id: 'busydefault' }, librespot: { timeout_ms: ConfigSchema.parse({}).librespot.timeout_ms } }, async (s) => {
      s.emulator.setHang(true);
      const requests = s.emulator.requests.length;
      const mark = s.watcher.mark();
      await command(s, 'd1');
      // the second try comes only after a 503: the bridge's timeout would have answered an error instead
      await until(() => tries(s, requests) === 2, 30_000, 'a second try after the 503');
      assert.deepEqual(on(s.watcher, s.topics.response, mark), [], 'no answer while retrying');
      s.emulator.setHang(false);
      const a = await answer(s, 'd1', 30_000);
      assert.equal(a.ok, true, JSON.stringify(a));
    }));

  it('v0.9 answers no 503 and waits forever: the bridge gives up at its timeout, once, naming it', () =>
    withPlaying({ version: '0.9' }, { device: { id: 'hung09' } }, async (s) => {
      s.emulator.setHang(true);
      const requests = s.emulator.requests.length;
      await command(s, 'h1');
      const a = await answer(s, 'h1');
      assert.equal(a.ok, false);
      assert.match(a.error, /go-librespot did not answer within 1000 ms/);
      assert.equal(tries(s, requests), 1, 'a request that may still run is not sent again');
    }));

  it('503 is retried with backoff, then answered as an error naming it', () =>
    withPlaying({ version: '0.10', pickupTimeoutMs: 50 }, { device: { id: 'busy' } }, async (s) => {
      s.emulator.setHang(true);
      const requests = s.emulator.requests.length;
      await command(s, 'b1');
      const a = await answer(s, 'b1');
      assert.equal(a.ok, false);
      assert.match(a.error, /busy \(HTTP 503/);
      assert.equal(tries(s, requests), 3, 'three tries');
      s.emulator.setHang(false);
      await command(s, 'b2');
      assert.equal((await answer(s, 'b2')).ok, true);
    }));

  it('a busy request is not sent again once its sender has given up (the deadline in the command): it never runs late', () =>
    withPlaying({ version: '0.10', pickupTimeoutMs: 3000 }, { device: { id: 'late' }, librespot: { timeout_ms: 5000 } }, async (s) => {
      const before = s.emulator.status()!.track!.uri;
      s.emulator.setHang(true);
      const requests = s.emulator.requests.length;
      // the command arrives well before its deadline; the retry would come 1 s after the 503, past it
      await s.watcher.publish(s.topics.set, JSON.stringify({ action: 'next', transaction: 'l1', deadline: new Date(Date.now() + 2500).toISOString() }));
      const a = await answer(s, 'l1');
      assert.equal(a.ok, false);
      assert.match(a.error, /busy \(HTTP 503.*deadline comes before another try: not run/);
      assert.equal(tries(s, requests), 1);
      s.emulator.setHang(false);
      assert.equal(s.emulator.status()!.track!.uri, before, 'not skipped later');
    }));

  it('a skip superseded by a newer one (409) is not an error, and the track advances once', () =>
    withPlaying({ version: '0.10' }, { device: { id: 'supersede' }, librespot: { timeout_ms: 5000 } }, async (s) => {
      const playlist = s.emulator.catalogue.playlists[0]!;
      s.emulator.setHang(true);
      await command(s, 's1');
      await until(() => s.emulator.requests.some((r) => r.path === '/player/next'));
      await command(s, 's2');
      const first = await answer(s, 's1');
      assert.equal(first.ok, true, JSON.stringify(first));
      s.emulator.setHang(false);
      assert.equal((await answer(s, 's2')).ok, true);
      assert.equal(s.emulator.status()!.track!.uri, playlist.tracks[1]!.uri);
    }));
});
