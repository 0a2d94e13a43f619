// Every row of the entity table, end to end: emulator → bridge → real broker → subscriber,
// and Home Assistant's commands → bridge → the emulator's HTTP API.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startSpeaker, until, type Speaker } from './helpers/setup.js';
import { WAIT_MS } from './helpers/patience.js';

describe('entities against a real broker and the go-librespot emulator', () => {
  let s: Speaker;
  before(async () => {
    s = await startSpeaker();
    await s.watcher.waitJson(s.topics.state, (v: any) => v.playback === 'playing' && v.track);
  });
  after(() => s.close());

  const posted = (path: string, since: number) => s.emulator.requests.slice(since).filter((r) => r.method === 'POST' && r.path === path);
  async function press(topic: string, payload: string, path: string) {
    const before = s.emulator.requests.length;
    await s.watcher.publish(topic, payload);
    await until(() => posted(path, before).length > 0, undefined, `POST ${path}`);
    return posted(path, before);
  }

  it('Playback, Title, Artist, Album and their attributes follow the player', async () => {
    const st = s.emulator.status()!;
    const state = await s.watcher.waitJson<any>(s.topics.state, (v) => v.track?.uri === st.track!.uri);
    assert.equal(state.playback, 'playing');
    assert.equal(state.title, st.track!.name);
    assert.equal(state.artist, st.track!.artist_names!.join(', '));
    assert.equal(state.album, st.track!.album_name);
    assert.equal(state.track.duration_ms, st.track!.duration);
    assert.match(state.track.release_date, /^\d{4}(-\d{2}){0,2}$/);
    assert.ok(state.track.codec && state.track.bitrate > 0);
    assert.ok(typeof state.position_ms === 'number' && Date.parse(state.position_updated_at) > 0);
  });

  it('Playback: paused, then playing again, with the position kept', async () => {
    let mark = s.watcher.mark();
    s.emulator.appPause();
    const paused = await s.watcher.waitJson<any>(s.topics.state, (v) => v.playback === 'paused', WAIT_MS, mark);
    mark = s.watcher.mark();
    s.emulator.appResume();
    const playing = await s.watcher.waitJson<any>(s.topics.state, (v) => v.playback === 'playing', WAIT_MS, mark);
    assert.ok(playing.position_ms >= paused.position_ms);
  });

  it('Cover follows the track; Track change fires once per new track, not retained', async () => {
    const mark = s.watcher.mark();
    const t0 = Date.now();
    s.emulator.appSkip();
    const st = await s.watcher.waitJson<any>(s.topics.state, (v) => v.track && v.track.uri !== s.emulator.requests && v.playback === 'playing', WAIT_MS, mark);
    const seenAt = s.watcher.messages.slice(mark).find((m) => m.topic === s.topics.state)!.at;
    const now = s.emulator.status()!.track!;
    const ev = await s.watcher.waitJson<any>(s.topics.event, (v) => v.uri === now.uri, WAIT_MS, mark);
    assert.deepEqual(Object.keys(ev).sort(), ['album', 'artist', 'context_uri', 'event_type', 'title', 'uri']);
    assert.equal(ev.event_type, 'track_changed');
    assert.equal(ev.title, now.name);
    assert.ok(!s.watcher.messages.slice(mark).find((m) => m.topic === s.topics.event)!.retain);
    await s.watcher.wait(s.topics.cover, (m) => m.text === now.album_cover_url, WAIT_MS, mark);
    assert.equal(s.watcher.messages.slice(mark).filter((m) => m.topic === s.topics.event).length, 1);
    assert.ok(st);
    console.log(`# event → MQTT latency (skip in the emulator → first state message): ${seenAt - t0} ms`);
  });

  it('Play, Pause, Next, Previous buttons post to go-librespot', async () => {
    const d = (await s.watcher.waitJson<any>(s.topics.discovery)).components;
    for (const [key, path] of [['play', '/player/resume'], ['pause', '/player/pause'], ['next', '/player/next'], ['previous', '/player/prev']]) {
      const c = d[key!];
      assert.equal(c.platform, 'button');
      assert.equal((await press(c.command_topic, c.payload_press, path!)).length, 1, `${key} → POST ${path}`);
    }
  });

  it('Shuffle switch and Repeat select change go-librespot and come back as state', async () => {
    const d = (await s.watcher.waitJson<any>(s.topics.discovery)).components;
    const sh = await press(d.shuffle.command_topic, 'ON', '/player/shuffle_context');
    assert.deepEqual(sh[0]!.body, { shuffle_context: true });
    await s.watcher.waitJson<any>(s.topics.state, (v) => v.shuffle === true);
    const rp = await press(d.repeat.command_topic, 'track', '/player/repeat_track');
    assert.deepEqual(rp[0]!.body, { repeat_track: true });
    await s.watcher.waitJson<any>(s.topics.state, (v) => v.repeat === 'track');
    const mark = s.watcher.mark();
    await press(d.repeat.command_topic, 'off', '/player/repeat_track');
    await s.watcher.waitJson<any>(s.topics.state, (v) => v.repeat === 'off', WAIT_MS, mark);
  });

  it('Play URI text plays on the speaker', async () => {
    const d = (await s.watcher.waitJson<any>(s.topics.discovery)).components;
    const uri = s.emulator.catalogue.albums[1]!.uri;
    const p = await press(d.play_uri.command_topic, uri, '/player/play');
    assert.deepEqual(p[0]!.body, { uri });
    await s.watcher.waitJson<any>(s.topics.state, (v) => v.context_uri === uri && v.playback === 'playing');
  });

  it('Playing and Spotify session binary sensors: session ends silently (remote logout), the slow check notices', async () => {
    s.emulator.logout();
    const mark = s.watcher.mark();
    await s.bridge.check();
    const off = await s.watcher.waitJson<any>(s.topics.state, (v) => v.playback === 'off', WAIT_MS, mark);
    assert.equal(off.session, false);
    assert.equal(off.track, null);
    s.emulator.connectSession();
    await s.watcher.waitJson<any>(s.topics.state, (v) => v.session === true && v.playback === 'idle', WAIT_MS, mark);
    s.emulator.transferIn();
    await s.watcher.waitJson<any>(s.topics.state, (v) => v.playback === 'playing' && v.track, WAIT_MS, mark);
  });

  it('go-librespot connectivity: offline when it goes away, online when it is back', async () => {
    const mark = s.watcher.mark();
    s.emulator.dropConnections();
    await s.watcher.wait(s.topics.needs.librespot, (m) => m.text === 'offline', WAIT_MS, mark);
    await s.watcher.wait(s.topics.needs.librespot, (m) => m.text === 'online', WAIT_MS, mark);
  });
});
