// The optional HACS media_player (homeassistant.media_player): each integration's discovery keys
// against the keys its code reads (fixtures name the commits), its feeds on a real broker from the
// emulator, its commands through our one command path, and the bounded cover fetch.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { FLAVOURS, mediaPlayerDiscovery, type FlavourName } from '../bridge/ha/media-player/flavours.js';
import { fetchCover } from '../bridge/ha/media-player/cover.js';
import { startSpeaker, until, type Speaker } from './helpers/setup.js';
import { WAIT_MS } from './helpers/patience.js';

const fixture = (name: FlavourName) =>
  JSON.parse(readFileSync(fileURLToPath(new URL(`../../test/fixtures/hacs-media-player/${name}.json`, import.meta.url)), 'utf8')) as {
    keys: string[];
    device_keys?: string[];
    availability_keys: string[];
    payloads: Record<string, string>;
  };
const discoveryOf = (name: FlavourName) =>
  mediaPlayerDiscovery(FLAVOURS[name], { name: 'Kitchen', id: 'kitchen', availability: 'l2m/kitchen/availability', root: 'l2m/kitchen/media_player' });

describe('HACS media_player payloads against the integrations’ code', () => {
  for (const name of Object.keys(FLAVOURS) as FlavourName[]) {
    it(`${name}: every key is one the integration reads, every topic is ours`, () => {
      const f = fixture(name);
      const d = discoveryOf(name) as Record<string, any>;
      for (const k of Object.keys(d)) assert.ok(f.keys.includes(k), `${name} does not read "${k}"`);
      for (const k of Object.keys(d.availability)) assert.ok(f.availability_keys.includes(k), `${name} availability.${k}`);
      if (f.device_keys) {
        for (const k of Object.keys(d.device)) assert.ok(f.device_keys.includes(k), `${name} device.${k}`);
        assert.ok(Array.isArray(d.device.identifiers) && d.device.identifiers.every((i: unknown) => typeof i === 'string'));
      }
      for (const [k, v] of Object.entries(d)) if (k.endsWith('_topic')) assert.match(String(v), /^l2m\/kitchen\/(media_player\/|availability$)/, k);
      // what makes a media card: state, metadata, art, volume, transport
      for (const what of ['state', 'title', 'artist', 'album', 'duration', 'position', 'volume', 'albumart'])
        assert.ok(Object.entries(d).some(([k, v]) => k.endsWith('_topic') && v === `l2m/kitchen/media_player/${what}`), `${name} feeds ${what}`);
      for (const what of ['play', 'pause', 'next', 'previous', 'volume'])
        assert.ok(Object.values(d).includes(`l2m/kitchen/media_player/set/${what}`), `${name} commands ${what}`);
    });
  }
  it('the two claim the same topic with key sets the other refuses', () => {
    const [b, s] = [discoveryOf('bkbilly'), discoveryOf('shyndman')];
    assert.ok(Object.keys(b).some((k) => !fixture('shyndman').keys.includes(k)), 'a bkbilly payload is refused by shyndman');
    assert.ok(Object.keys(s).some((k) => !fixture('bkbilly').keys.includes(k)), 'a shyndman payload is not bkbilly’s');
  });
});

for (const flavour of ['bkbilly', 'shyndman'] as const) {
  describe(`homeassistant.media_player: ${flavour} on a real broker`, () => {
    let s: Speaker;
    let d: Record<string, any>;
    const feed = (key: string) => s.watcher.messages.filter((m) => m.topic === d[key]).at(-1)?.text;
    before(async () => {
      s = await startSpeaker({ config: { homeassistant: { media_player: flavour } } });
      await s.watcher.client.subscribeAsync(['homeassistant/media_player/#'], { qos: 1 });
      d = await s.watcher.waitJson<Record<string, any>>(s.topics.mediaPlayerDiscovery, () => true);
      await s.watcher.waitJson(s.topics.state, (v: any) => v.playback === 'playing' && v.track);
    });
    after(() => s?.close());

    const k = flavour === 'bkbilly'
      ? { state: 'state_state_topic', title: 'state_title_topic', duration: 'state_duration_topic', volume: 'state_volume_topic', art: 'state_albumart_topic', pause: 'command_pause_topic', volumeSet: 'command_volume_topic' }
      : { state: 'state_topic', title: 'title_topic', duration: 'duration_topic', volume: 'volume_topic', art: 'albumart_topic', pause: 'pause_topic', volumeSet: 'volumeset_topic' };

    it('discovery is retained on homeassistant/media_player/librespot2mqtt_<id>/config', () => {
      assert.equal(s.topics.mediaPlayerDiscovery, 'homeassistant/media_player/librespot2mqtt_test/config');
      const m = s.watcher.messages.find((x) => x.topic === s.topics.mediaPlayerDiscovery)!;
      assert.equal(m.retain, true);
      assert.equal(d.name, 'Test speaker');
    });

    it('feeds the player: state, title, whole-second duration, 0..1 volume', async () => {
      await until(() => feed(k.state) === 'playing', WAIT_MS, 'state playing');
      const st = s.state();
      await until(() => feed(k.title) === st.track.name, WAIT_MS, 'title');
      // each feed is its own topic: they arrive one after the other
      await until(() => feed(k.duration) === String(Math.floor(st.track.duration_ms / 1000)), WAIT_MS, 'whole-second duration');
      assert.match(feed(k.duration)!, /^\d+$/, 'int() must accept it');
      await until(() => Number(feed(k.volume)) === st.volume / 100, WAIT_MS, '0..1 volume');
      if (flavour === 'shyndman') await until(() => feed(k.art) === st.track.cover_url, WAIT_MS, 'shyndman takes the cover URL');
    });

    it('its commands run through the one command path', async () => {
      const since = s.emulator.requests.length;
      await s.watcher.publish(d[k.pause], d[flavour === 'bkbilly' ? 'command_pause_payload' : 'pause_payload']);
      await until(() => s.emulator.requests.slice(since).some((r) => r.path === '/player/pause'), WAIT_MS, 'POST /player/pause');
      await s.watcher.publish(d[k.volumeSet], '0.35');
      await s.watcher.waitJson(s.topics.state, (v: any) => v.volume === 35);
      await until(() => feed(k.volume) === '0.35', WAIT_MS, 'volume feed 0.35');
    });

    it('a bad payload is answered with what is accepted, and nothing runs', async () => {
      const since = s.watcher.mark();
      const posts = s.emulator.requests.length;
      await s.watcher.publish(d[k.volumeSet], 'loud');
      const answer = await s.watcher.waitJson<any>(s.topics.response, (v) => v.ok === false, WAIT_MS, since);
      assert.match(answer.error, /volume: expected a level from 0 to 1/);
      assert.equal(s.emulator.requests.length, posts);
    });

    if (flavour === 'shyndman')
      it('seek takes seconds', async () => {
        const since = s.emulator.requests.length;
        await s.watcher.publish(d.seek_topic, '30');
        await until(() => s.emulator.requests.slice(since).some((r) => r.path === '/player/seek'), WAIT_MS, 'POST /player/seek');
        assert.deepEqual(s.emulator.requests.slice(since).find((r) => r.path === '/player/seek')!.body, { position: 30000 });
      });
  });
}

describe('the cover fetch: bounded in size and time', () => {
  let server: Server;
  let base: string;
  let hits = 0;
  before(async () => {
    server = createServer((req, res) => {
      hits++;
      if (req.url === '/ok') return res.writeHead(200, { 'content-type': 'image/jpeg' }).end(Buffer.from([0xff, 0xd8, 0xff, 0xd9]));
      if (req.url === '/big') return res.writeHead(200, { 'content-type': 'image/jpeg' }).end(Buffer.alloc(4096));
      if (req.url === '/html') return res.writeHead(200, { 'content-type': 'text/html' }).end('<html>');
      if (req.url === '/slow') return; // never answers
      res.writeHead(404).end();
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(() => {
    server.closeAllConnections();
    server.close();
  });
  // a loaded machine may take long to answer; only /slow is meant to run out of time
  const limits = { maxBytes: 1024, timeoutMs: WAIT_MS };

  it('returns the bytes of an image', async () => {
    assert.deepEqual(await fetchCover(`${base}/ok`, limits), Buffer.from([0xff, 0xd8, 0xff, 0xd9]));
  });
  it('refuses what is too large, not an image, missing, or too slow, saying which', async () => {
    await assert.rejects(fetchCover(`${base}/big`, limits), /larger than 1024 bytes/);
    await assert.rejects(fetchCover(`${base}/html`, limits), /not an image \(text\/html\)/);
    await assert.rejects(fetchCover(`${base}/missing`, limits), /HTTP 404/);
    await assert.rejects(fetchCover(`${base}/slow`, { ...limits, timeoutMs: 300 }), /no answer within 300 ms/);
    assert.ok(hits >= 5);
  });
});
