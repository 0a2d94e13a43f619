// The emulator must behave like go-librespot v0.9.0: every operation of upstream's own OpenAPI spec
// (test/fixtures/go-librespot-api-spec.yml) is driven and checked against it, then the quirks the
// spec does not describe (see the project's go-librespot notes) are checked one by one. Its v0.10
// mode must still satisfy the v0.9.0 spec (v0.10 only added keys and routes), and what v0.10 added
// (notes §14) is checked at the end.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, describe, it } from 'node:test';
import { Ajv, type ValidateFunction } from 'ajv';
import { parse as parseYaml } from 'yaml';
import { ApiEvent, ApiStatus } from '../bridge/librespot/api.js';
import { LibrespotEmulator, type EmulatorOptions } from '../bridge/emulator/emulator.js';
import { rawToSteps, stepsToRaw } from '../bridge/emulator/volume.js';
import { Catalogue } from '../bridge/emulator/catalogue.js';
import { call, sleep, tapEvents, type EventTap, type Reply } from './helpers/emulator.js';
import { until } from './helpers/setup.js';

// ---- the spec, compiled -------------------------------------------------------------------------

type Json = Record<string, unknown>;
interface Operation {
  requestBody?: { content: Record<string, { schema: Json }> };
  responses: Record<string, { content?: Record<string, { schema: Json }> }>;
}
const specText = readFileSync(new URL('../../test/fixtures/go-librespot-api-spec.yml', import.meta.url), 'utf8');
const spec = parseYaml(specText) as { paths: Record<string, Record<string, Operation>>; components: Json };

/** ajv accepts OpenAPI's `nullable` only next to `type`; `allOf` + `nullable` becomes an anyOf. */
function nullableToAnyOf(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(nullableToAnyOf);
  if (node === null || typeof node !== 'object') return node;
  const out = Object.fromEntries(Object.entries(node).map(([k, v]) => [k, nullableToAnyOf(v)]));
  if (out.nullable !== true || 'type' in out) return out;
  const { nullable: _, ...rest } = out;
  return { anyOf: [{ type: 'null' }, rest] };
}

const ajv = new Ajv({ strict: false, allErrors: true });
const intRange = (lo: number, hi: number) => ({ type: 'number' as const, validate: (x: number) => Number.isInteger(x) && x >= lo && x <= hi });
ajv.addFormat('int32', intRange(-(2 ** 31), 2 ** 31 - 1));
ajv.addFormat('uint32', intRange(0, 2 ** 32 - 1));
ajv.addFormat('int64', intRange(Number.MIN_SAFE_INTEGER, Number.MAX_SAFE_INTEGER));
ajv.addFormat('binary', () => true);
ajv.addSchema({ $id: 'spec.json', components: nullableToAnyOf(spec.components) });
const compiled = new Map<string, ValidateFunction>();
function validator(schema: Json): ValidateFunction {
  const key = JSON.stringify(schema);
  if (!compiled.has(key)) compiled.set(key, ajv.compile({ $ref: `spec.json${schema.$ref as string}` }));
  return compiled.get(key)!;
}
function assertSchema(schema: Json, value: unknown, what: string): void {
  const v = validator(schema);
  assert.ok(v(value), `${what}: ${ajv.errorsText(v.errors)} in ${JSON.stringify(value)}`);
}

// ---- harness ------------------------------------------------------------------------------------

const running = new Set<LibrespotEmulator>();
after(async () => Promise.all([...running].map((e) => e.close())));

/** A v0.9.0 daemon unless the test asks for another version. */
async function emulator(opts: EmulatorOptions = {}): Promise<LibrespotEmulator> {
  const emu = await LibrespotEmulator.start({ version: '0.9', ...opts });
  running.add(emu);
  return emu;
}

/** Every frame must be `{"type","data"}` + `\n` and parse as the bridge's ApiEvent. */
function assertFrames(tap: EventTap): void {
  for (const frame of tap.frames) {
    assert.ok(frame.endsWith('\n') && !frame.slice(0, -1).includes('\n'), `frame not newline-terminated: ${frame}`);
    assert.deepEqual(Object.keys(JSON.parse(frame) as Json), ['type', 'data']);
    const parsed = ApiEvent.safeParse(JSON.parse(frame));
    assert.ok(parsed.success, `not an ApiEvent: ${frame}`);
  }
}

/** Runs `act` with a tap open, waits for `n` events (then a little longer, to catch extras). */
async function eventsOf(emu: LibrespotEmulator, n: number, act: () => Promise<unknown> | void): Promise<EventTap> {
  const tap = await tapEvents(emu.url);
  await act();
  await tap.waitFor(n);
  await sleep(30);
  await tap.close();
  assertFrames(tap);
  return tap;
}

const types = (tap: EventTap, from = 0): string[] => tap.events.slice(from).map((e) => e.type);
const json = (r: Reply): unknown => JSON.parse(r.text);

async function status(emu: LibrespotEmulator): Promise<ApiStatus> {
  const r = await call(emu.url, 'GET', '/status');
  assert.equal(r.status, 200);
  assertSchema({ $ref: '#/components/schemas/status' }, json(r), 'GET /status');
  return ApiStatus.parse(json(r));
}

/** A request as sent by the contract loop; `body` must satisfy the spec's requestBody schema. */
interface Probe {
  body?: unknown;
  expect: number;
}

// the emulator's catalogue is deterministic, so a fresh one names the same content
const CATALOGUE = new Catalogue();
const PLAYLIST = CATALOGUE.playlists[0]!;
const PROBES: Record<string, Probe[]> = {
  'get /': [{ expect: 200 }],
  'get /status': [{ expect: 200 }],
  'post /token': [{ expect: 200 }],
  'post /set_device_name': [{ body: { name: 'Kitchen' }, expect: 200 }, { body: { name: '' }, expect: 400 }],
  'post /player/play': [
    { body: { uri: PLAYLIST.uri }, expect: 200 },
    { body: { uri: PLAYLIST.uri, paused: true, position: 5000, skip_to_uri: PLAYLIST.tracks[2]!.uri }, expect: 200 },
    { body: { uri: '' }, expect: 400 },
  ],
  'post /player/resume': [{ expect: 200 }],
  'post /player/pause': [{ expect: 200 }],
  'post /player/playpause': [{ expect: 200 }],
  'post /player/stop': [{ expect: 200 }],
  'post /player/output': [{ body: { device: 'hw:1' }, expect: 200 }, { body: {}, expect: 200 }],
  'post /player/next': [{ body: {}, expect: 200 }, { body: { uri: 'spotify:track:0000000000000000000000' }, expect: 200 }],
  'post /player/prev': [{ expect: 200 }],
  'post /player/seek': [
    { body: { position: 1000 }, expect: 200 },
    { body: { position: -500, relative: true }, expect: 200 },
    { body: { position: -1 }, expect: 400 },
  ],
  'get /player/volume': [{ expect: 200 }],
  'post /player/volume': [
    { body: { volume: 40 }, expect: 200 },
    { body: { volume: -5, relative: true }, expect: 200 },
    { body: { volume: -1 }, expect: 400 },
  ],
  'post /player/repeat_context': [{ body: { repeat_context: true }, expect: 200 }],
  'post /player/repeat_track': [{ body: { repeat_track: true }, expect: 200 }],
  'post /player/shuffle_context': [{ body: { shuffle_context: true }, expect: 200 }],
  'post /player/add_to_queue': [{ body: { uri: CATALOGUE.tracks[4]!.uri }, expect: 200 }, { body: { uri: '' }, expect: 400 }],
};

const OPERATIONS = Object.entries(spec.paths).flatMap(([path, item]) =>
  Object.keys(item)
    .filter((m) => m !== 'parameters')
    .map((method) => ({ path, method, op: item[method]! })),
);
const CHECKED = OPERATIONS.filter(({ path }) => !path.startsWith('/web-api/') && path !== '/events');

describe('emulator against the OpenAPI spec', () => {
  it('has a probe for every operation of the spec, and no probe for operations it lacks', () => {
    assert.deepEqual(CHECKED.map(({ method, path }) => `${method} ${path}`).sort(), Object.keys(PROBES).sort());
  });

  for (const version of ['0.9', '0.10'] as const)
  for (const { path, method, op } of CHECKED) {
    it(`v${version}: ${method.toUpperCase()} ${path}`, async () => {
      const emu = await emulator({ version, metadataCache: true });
      const tap = await tapEvents(emu.url);
      for (const probe of PROBES[`${method} ${path}`]!) {
        const reqSchema = op.requestBody?.content['application/json']?.schema;
        if (probe.body !== undefined) {
          assert.ok(reqSchema, 'the test sends a body the operation does not take');
          assertSchema(reqSchema, probe.body, `request to ${path}`);
        }
        const r = await call(emu.url, method.toUpperCase(), path, probe.body);
        const what = `${method} ${path} ${JSON.stringify(probe.body)}`;
        assert.equal(r.status, probe.expect, what);
        const declared = op.responses[String(r.status)];
        assert.ok(declared, `${what}: status ${r.status} is not in the spec`);
        if (r.status !== 200) {
          assert.equal(r.text, '', `${what}: error bodies are empty`);
          continue;
        }
        assert.equal(r.headers.get('content-type'), 'application/json', what);
        assert.ok(r.text.endsWith('\n'), `${what}: json.Encoder adds a newline`);
        const schema = declared.content?.['application/json']?.schema;
        if (schema) assertSchema(schema, json(r), what);
        else assert.equal(r.text, 'null\n', `${what}: commands answer null`);
      }
      await sleep(150); // let the volume debounce fire inside the test
      await tap.close();
      assertFrames(tap);
      if (emu.status()) await status(emu);
    });
  }
});

describe('quirks of go-librespot that the spec does not describe', () => {
  const SESSION_ROUTES = CHECKED.filter(({ path }) => path !== '/' && path !== '/set_device_name');

  it('without a session: 204 and an empty body on every session route, GET / and set_device_name still answer', async () => {
    const emu = await emulator({ session: false });
    for (const { path, method, op } of SESSION_ROUTES) {
      const body = op.requestBody ? PROBES[`${method} ${path}`]![0]!.body : undefined;
      const r = await call(emu.url, method.toUpperCase(), path, body ?? (op.requestBody ? {} : undefined));
      assert.equal(r.status, 204, `${method} ${path}`);
      assert.equal(r.text, '');
    }
    assert.equal((await call(emu.url, 'GET', '/web-api/v1/me/player')).status, 204);
    const root = await call(emu.url, 'GET', '/');
    assert.equal(root.status, 200);
    assert.equal(root.text, '{"playback_ready":false}\n');
    const rename = await call(emu.url, 'POST', '/set_device_name', { name: 'Attic' });
    assert.equal(rename.status, 200);
    assert.equal(rename.text, 'null\n');
    assert.equal(emu.status(), null);
  });

  it('handler-level 400s come before the session check', async () => {
    const emu = await emulator({ session: false });
    assert.equal((await call(emu.url, 'POST', '/player/play', {})).status, 400);
    assert.equal((await call(emu.url, 'POST', '/player/volume', '{')).status, 400);
  });

  it('answers compact JSON with Go escaping of <, > and & and a trailing newline', async () => {
    const emu = await emulator();
    const album = CATALOGUE.albums[0]!; // its third track is "Salt & Iron"
    assert.equal((await call(emu.url, 'POST', '/player/play', { uri: album.uri, skip_to_uri: album.tracks[2]!.uri })).status, 200);
    const r = await call(emu.url, 'GET', '/status');
    assert.match(r.text, /"name":"Salt \\u0026 Iron"/);
    assert.equal(r.text, `${JSON.stringify(json(r)).replace(/&/g, '\\u0026')}\n`);
  });

  it('decodes an empty body as {}: empty POST /player/volume sets 0, /player/next works', async () => {
    const emu = await emulator();
    assert.equal((await call(emu.url, 'POST', '/player/volume', '')).status, 200);
    assert.equal((await call(emu.url, 'GET', '/player/volume')).text, '{"value":0,"max":100}\n');
    assert.equal((await call(emu.url, 'POST', '/player/next', '')).status, 200);
    await call(emu.url, 'POST', '/player/repeat_context', { repeat_context: true });
    await call(emu.url, 'POST', '/player/repeat_context', '');
    assert.equal((await status(emu)).repeat_context, false);
  });

  it('answers 400 with an empty body to invalid JSON and wrong types, and ignores unknown fields', async () => {
    const emu = await emulator();
    for (const body of ['{', '[]', '"x"', '{"volume":"50"}', '{"volume":50.5}', '{"volume":2147483648}', '{"relative":1}']) {
      const r = await call(emu.url, 'POST', '/player/volume', body);
      assert.equal(r.status, 400, body);
      assert.equal(r.text, '');
    }
    assert.equal((await call(emu.url, 'POST', '/player/seek', '{"position":"1"}')).status, 400);
    assert.equal((await call(emu.url, 'POST', '/player/volume', '{"volume":30,"foo":[1]}')).status, 200);
    assert.equal((await call(emu.url, 'POST', '/player/volume', 'null')).status, 200); // null decodes to zero values
  });

  it('answers 400 when uri is missing on play and add_to_queue, 500 when the context does not resolve', async () => {
    const emu = await emulator();
    for (const path of ['/player/play', '/player/add_to_queue']) {
      assert.equal((await call(emu.url, 'POST', path, {})).status, 400);
      assert.equal((await call(emu.url, 'POST', path, { uri: '' })).status, 400);
    }
    const r = await call(emu.url, 'POST', '/player/play', { uri: 'spotify:playlist:0000000000000000000000' });
    assert.equal(r.status, 500);
    assert.equal(r.text, '');
  });

  it('rejects negative volume/position only when not relative', async () => {
    const emu = await emulator();
    assert.equal((await call(emu.url, 'POST', '/player/volume', { volume: -1 })).status, 400);
    assert.equal((await call(emu.url, 'POST', '/player/volume', { volume: -1, relative: true })).status, 200);
    assert.equal((await call(emu.url, 'POST', '/player/seek', { position: -1 })).status, 400);
    assert.equal((await call(emu.url, 'POST', '/player/seek', { position: -1, relative: true })).status, 200);
  });

  it('404s unknown paths and 405s wrong methods with Allow', async () => {
    const emu = await emulator();
    for (const path of ['/nope', '/status/', '/player', '/player/volume/x']) {
      const r = await call(emu.url, 'GET', path);
      assert.equal(r.status, 404, path);
      assert.equal(r.text, '404 page not found\n');
      assert.equal(r.headers.get('content-type'), 'text/plain; charset=utf-8');
    }
    const cases: Array<[string, string, string]> = [
      ['POST', '/status', 'GET, HEAD'],
      ['GET', '/player/play', 'POST'],
      ['PUT', '/player/volume', 'GET, HEAD, POST'],
      ['GET', '/token', 'POST'],
      ['POST', '/events', 'GET, HEAD'],
    ];
    for (const [method, path, allow] of cases) {
      const r = await call(emu.url, method, path);
      assert.equal(r.status, 405, `${method} ${path}`);
      assert.equal(r.headers.get('allow'), allow);
      assert.equal(r.text, 'Method Not Allowed\n');
    }
    assert.equal((await call(emu.url, 'HEAD', '/status')).status, 200);
  });

  it('stubs the /web-api/ proxy for any method and depth', async () => {
    const emu = await emulator();
    for (const method of ['GET', 'POST', 'PUT', 'DELETE']) {
      const r = await call(emu.url, method, '/web-api/v1/me/player/devices?market=from_token');
      assert.equal(r.status, 200);
      assert.equal(r.text, '{}\n');
    }
  });

  it('records every request in order with its parsed body', async () => {
    const emu = await emulator();
    await call(emu.url, 'POST', '/player/next');
    await call(emu.url, 'POST', '/player/volume', { volume: 20 });
    await call(emu.url, 'POST', '/player/seek', 'not json');
    assert.deepEqual(
      emu.requests.map(({ method, path, body }) => ({ method, path, body })),
      [
        { method: 'POST', path: '/player/next', body: undefined },
        { method: 'POST', path: '/player/volume', body: { volume: 20 } },
        { method: 'POST', path: '/player/seek', body: 'not json' },
      ],
    );
  });
});

describe('/events WebSocket and event orders', () => {
  it('sends no snapshot on connect', async () => {
    const emu = await emulator();
    const tap = await eventsOf(emu, 0, () => sleep(150));
    assert.deepEqual(tap.frames, []);
  });

  it('API play: will_play → metadata → playing, with context_uri and play_origin go-librespot', async () => {
    const emu = await emulator();
    const tap = await eventsOf(emu, 3, () => call(emu.url, 'POST', '/player/play', { uri: PLAYLIST.uri }));
    assert.deepEqual(types(tap), ['will_play', 'metadata', 'playing']);
    const track = PLAYLIST.tracks[0]!.uri;
    assert.deepEqual(tap.events[0]!.data, { context_uri: PLAYLIST.uri, uri: track, play_origin: 'go-librespot' });
    assert.equal(tap.frames[2], `{"type":"playing","data":{"context_uri":"${PLAYLIST.uri}","uri":"${track}","resume":false,"play_origin":"go-librespot"}}\n`);
    const s = await status(emu);
    assert.deepEqual([s.stopped, s.paused, s.play_origin, s.track?.uri], [false, false, 'go-librespot', track]);
    const direct = ApiStatus.parse(emu.status()); // status() and GET /status agree, bar the moving position
    assert.deepEqual({ ...direct, track: { ...direct.track!, position: 0 } }, { ...s, track: { ...s.track!, position: 0 } });
  });

  it('play with position > 0: will_play → metadata → paused → seek → playing(resume:true)', async () => {
    const emu = await emulator();
    const tap = await eventsOf(emu, 5, () => call(emu.url, 'POST', '/player/play', { uri: PLAYLIST.uri, position: 42000 }));
    assert.deepEqual(types(tap), ['will_play', 'metadata', 'paused', 'seek', 'playing']);
    assert.equal((tap.events[3]!.data as { position: number }).position, 42000);
    assert.equal((tap.events[4]!.data as { resume: boolean }).resume, true);
    assert.ok((await status(emu)).track!.position >= 42000);
  });

  it('extrapolates /status position while playing and freezes it while paused', async () => {
    const emu = await emulator();
    const before = emu.status()!.track!.position;
    await sleep(120);
    const playing = (await status(emu)).track!.position;
    assert.ok(playing >= before + 100, `${before} → ${playing}`);
    await call(emu.url, 'POST', '/player/pause');
    const paused = (await status(emu)).track!.position;
    await sleep(60);
    assert.equal((await status(emu)).track!.position, paused);
  });

  it('track end: not_playing(old) → will_play(new) → metadata → playing', async () => {
    const emu = await emulator();
    const old = emu.status()!.track!.uri;
    const tap = await eventsOf(emu, 4, () => emu.trackEnds());
    assert.deepEqual(types(tap), ['not_playing', 'will_play', 'metadata', 'playing']);
    assert.equal((tap.events[0]!.data as { uri: string }).uri, old);
    assert.notEqual((tap.events[1]!.data as { uri: string }).uri, old);
  });

  it('end of the context: not_playing → will_play(first) → metadata → stopped → paused, first track left paused', async () => {
    const emu = await emulator();
    const last = PLAYLIST.tracks.at(-1)!.uri;
    await call(emu.url, 'POST', '/player/play', { uri: PLAYLIST.uri, skip_to_uri: last });
    const tap = await eventsOf(emu, 5, () => emu.trackEnds());
    assert.deepEqual(types(tap), ['not_playing', 'will_play', 'metadata', 'stopped', 'paused']);
    const s = await status(emu);
    assert.deepEqual([s.stopped, s.paused, s.track?.uri], [false, true, PLAYLIST.tracks[0]!.uri]);
  });

  it('skip (API next, app skip): no not_playing', async () => {
    const emu = await emulator();
    let tap = await eventsOf(emu, 3, () => call(emu.url, 'POST', '/player/next'));
    assert.deepEqual(types(tap), ['will_play', 'metadata', 'playing']);
    tap = await eventsOf(emu, 3, () => emu.appSkip());
    assert.deepEqual(types(tap), ['will_play', 'metadata', 'playing']);
  });

  it('prev past 3 s seeks to 0; before 3 s goes to the previous track', async () => {
    const emu = await emulator();
    await call(emu.url, 'POST', '/player/next');
    await call(emu.url, 'POST', '/player/seek', { position: 10000 });
    let tap = await eventsOf(emu, 1, () => call(emu.url, 'POST', '/player/prev'));
    assert.deepEqual(types(tap), ['seek']);
    assert.equal((tap.events[0]!.data as { position: number }).position, 0);
    tap = await eventsOf(emu, 3, () => call(emu.url, 'POST', '/player/prev'));
    assert.deepEqual(types(tap), ['will_play', 'metadata', 'playing']);
    assert.equal(emu.status()!.track!.uri, PLAYLIST.tracks[0]!.uri);
  });

  it('stop: inactive then stopped, and the zeroconf session is gone (204)', async () => {
    const emu = await emulator();
    const tap = await eventsOf(emu, 2, () => call(emu.url, 'POST', '/player/stop'));
    assert.deepEqual(types(tap), ['inactive', 'stopped']);
    assert.equal(tap.frames[0], '{"type":"inactive","data":null}\n');
    assert.equal((await call(emu.url, 'GET', '/status')).status, 204);
    assert.equal((await call(emu.url, 'GET', '/')).text, '{"playback_ready":false}\n');
  });

  it('remote logout: no event at all, then 204', async () => {
    const emu = await emulator();
    const tap = await eventsOf(emu, 0, async () => {
      emu.logout();
      await sleep(150);
    });
    assert.deepEqual(tap.frames, []);
    assert.equal((await call(emu.url, 'GET', '/status')).status, 204);
  });

  it('phone connects and transfers in, then another device takes over', async () => {
    const emu = await emulator({ session: false });
    let tap = await eventsOf(emu, 2, () => emu.connectSession());
    assert.deepEqual(types(tap), ['playback_ready', 'volume']);
    assert.equal(tap.frames[0], '{"type":"playback_ready","data":null}\n');
    let s = await status(emu);
    assert.deepEqual([s.stopped, s.track], [true, null]);
    tap = await eventsOf(emu, 4, () => emu.transferIn({ paused: true }));
    assert.deepEqual(types(tap), ['will_play', 'metadata', 'active', 'paused']);
    s = await status(emu);
    assert.deepEqual([s.stopped, s.paused], [false, true]);
    tap = await eventsOf(emu, 2, () => emu.transferAway());
    assert.deepEqual(types(tap), ['inactive', 'stopped']);
    assert.equal(emu.status(), null);
  });

  it('app controls emit their events; output failure emits only stopped', async () => {
    const emu = await emulator();
    const tap = await eventsOf(emu, 7, () => {
      emu.appPause();
      emu.appResume();
      emu.appSeek(5000);
      emu.appSetShuffle(true);
      emu.appSetRepeat('track');
      emu.appSetRepeat('track'); // no change, no events
      emu.outputFails();
    });
    assert.deepEqual(types(tap), ['paused', 'playing', 'seek', 'shuffle_context', 'repeat_context', 'repeat_track', 'stopped']);
    assert.equal(emu.status()!.stopped, false);
  });

  it('shuffle_context does nothing without a loaded context; repeat does', async () => {
    const emu = await emulator({ loaded: false });
    const tap = await eventsOf(emu, 1, async () => {
      await call(emu.url, 'POST', '/player/shuffle_context', { shuffle_context: true });
      await call(emu.url, 'POST', '/player/repeat_track', { repeat_track: true });
    });
    assert.deepEqual(types(tap), ['repeat_track']);
    const s = await status(emu);
    assert.deepEqual([s.shuffle_context, s.repeat_track, s.stopped, s.track], [false, true, true, null]);
  });

  it('one volume event ~100 ms after the last of a burst, including the echo of our own POST', async (t) => {
    const emu = await emulator();
    const tap = await tapEvents(emu.url);
    for (const volume of [10, 20, 30]) await call(emu.url, 'POST', '/player/volume', { volume });
    const lastPost = Date.now();
    await tap.waitFor(1);
    const gap = Date.now() - lastPost;
    await sleep(150);
    await tap.close();
    assertFrames(tap);
    assert.deepEqual(tap.frames, ['{"type":"volume","data":{"value":30,"max":100}}\n']);
    t.diagnostic(`the event came ${gap} ms after the last POST returned`);
    emu.appVolume(55);
    assert.equal(emu.status()!.volume, 55);
  });

  it('volume maths: steps ↔ 0..65535 with rounding, clamping and uint32 wrap-around', async () => {
    assert.equal(stepsToRaw(50, 100), 32767);
    assert.equal(rawToSteps(32767, 100), 50);
    assert.equal(rawToSteps(stepsToRaw(33, 64), 64), 33);
    const emu = await emulator();
    const volumeAfter = async (body: unknown): Promise<number> => {
      assert.equal((await call(emu.url, 'POST', '/player/volume', body)).status, 200);
      return (json(await call(emu.url, 'GET', '/player/volume')) as { value: number }).value;
    };
    assert.equal(await volumeAfter({ volume: 150 }), 100); // clamped to 65535
    assert.equal(await volumeAfter({ volume: 95 }), 95);
    assert.equal(await volumeAfter({ volume: 10, relative: true }), 100);
    assert.equal(await volumeAfter({ volume: 3 }), 3);
    assert.equal(await volumeAfter({ volume: -10, relative: true }), 0);
    assert.equal(await volumeAfter({ volume: 65538 }), 1); // 65538 * 65535 overflows uint32
  });

  it('refuses a foreign Origin with 403', async () => {
    const emu = await emulator();
    const { WebSocket } = await import('ws');
    const ws = new WebSocket(`${emu.url.replace('http', 'ws')}/events`, { origin: 'http://evil.example' });
    ws.on('error', () => {}); // the refused handshake is the expected outcome
    const status = await new Promise<number>((resolve) => ws.on('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0)));
    assert.equal(status, 403);
    ws.terminate();
  });

  it('closes WebSockets with 1001 on shutdown and leaves nothing running', async () => {
    const emu = await emulator({ autoAdvance: true, trackDurationMs: 60_000 });
    const tap = await tapEvents(emu.url);
    await call(emu.url, 'POST', '/player/volume', { volume: 5 });
    await emu.close();
    running.delete(emu);
    assert.equal(await tap.closed, 1001);
    await assert.rejects(call(emu.url, 'GET', '/'));
  });

  it('dropConnections kills sockets without a close frame but keeps listening', async () => {
    const emu = await emulator();
    const tap = await tapEvents(emu.url);
    emu.dropConnections();
    assert.equal(await tap.closed, 1006);
    assert.equal((await call(emu.url, 'GET', '/')).status, 200);
  });

  it('setHang: requests get no answer until the hang ends, then are answered in order', async () => {
    const emu = await emulator();
    emu.setHang(true);
    await assert.rejects(call(emu.url, 'GET', '/status', undefined, 200), { name: 'TimeoutError' });
    const late = call(emu.url, 'POST', '/player/pause');
    await sleep(50);
    assert.equal((await call(emu.url, 'POST', '/player/volume', '{')).status, 400); // decoded before the loop
    emu.setHang(false);
    assert.equal((await late).status, 200);
    assert.equal(emu.status()!.paused, true);
  });

  it('autoAdvance plays tracks in real time', async () => {
    const emu = await emulator({ autoAdvance: true, trackDurationMs: 150 });
    const first = emu.status()!.track!.uri;
    const tap = await eventsOf(emu, 4, () => sleep(10));
    assert.deepEqual(types(tap).slice(0, 4), ['not_playing', 'will_play', 'metadata', 'playing']);
    assert.notEqual(emu.status()!.track!.uri, first);
  });

  it('v0.3 (before v0.4.0): GET / is {}, empty bodies are 400, no v0.9.0 track fields, no context_uri', async () => {
    const emu = await emulator({ version: '0.3' });
    assert.equal((await call(emu.url, 'GET', '/')).text, '{}\n');
    assert.equal((await call(emu.url, 'POST', '/player/next', '')).status, 400);
    const track = ApiStatus.parse(json(await call(emu.url, 'GET', '/status'))).track!;
    assert.deepEqual(Object.keys(track).filter((k) => ['format', 'codec', 'bitrate', 'sample_rate', 'bit_depth'].includes(k)), []);
    const tap = await eventsOf(emu, 3, () => call(emu.url, 'POST', '/player/next', {}));
    assert.ok(!('context_uri' in (tap.events[0]!.data as Json)));
  });
});

describe('v0.10 additions (notes §14), and their absence in v0.9', () => {
  const V10_STATUS_KEYS = ['context_uri', 'context_name', 'play_origin_device_id', 'next_track'];

  it('/status: context, origin device and next_track in v0.10; none of them in v0.9', async () => {
    const v10 = await emulator({ version: '0.10', metadataCache: true });
    let s = await status(v10);
    for (const k of V10_STATUS_KEYS) assert.ok(k in s, k);
    assert.deepEqual([s.context_uri, s.context_name], [PLAYLIST.uri, PLAYLIST.name]);
    assert.match(s.play_origin_device_id!, /^[0-9a-f]{40}$/, 'started from the phone');
    assert.equal(s.next_track!.uri, PLAYLIST.tracks[1]!.uri);
    assert.deepEqual([s.track!.artist_uris!.length, s.track!.album_uri], [1, CATALOGUE.albums[0]!.uri]);
    await call(v10.url, 'POST', '/player/play', { uri: PLAYLIST.uri, skip_to_uri: PLAYLIST.tracks.at(-1)!.uri });
    s = await status(v10);
    assert.equal(s.play_origin_device_id, null, 'started through the API');
    assert.equal(s.next_track, null, 'the last track of the context');
    const noCache = await status(await emulator({ version: '0.10' }));
    assert.equal(noCache.next_track, null, 'metadata.enabled off');
    const v09 = await status(await emulator({ version: '0.9', metadataCache: true }));
    for (const k of V10_STATUS_KEYS) assert.ok(!(k in v09), k);
    assert.ok(!('artist_uris' in v09.track!) && !('album_uri' in v09.track!));
  });

  it('GET /auth/code: 404 in v0.9; 204 without a pairing; 200 while a device_auth login waits, even with the loop held', async () => {
    const v09 = await emulator({ version: '0.9' });
    const old = await call(v09.url, 'GET', '/auth/code');
    assert.deepEqual([old.status, old.text], [404, '404 page not found\n']);
    const emu = await emulator({ version: '0.10', pickupTimeoutMs: 100 });
    const none = await call(emu.url, 'GET', '/auth/code');
    assert.deepEqual([none.status, none.text], [204, '']);
    const tap = await tapEvents(emu.url);
    const pairing = emu.startPairing();
    const r = await call(emu.url, 'GET', '/auth/code');
    assert.equal(r.status, 200);
    assert.deepEqual(json(r), pairing);
    assert.match(pairing.expires_at, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    assert.equal((await call(emu.url, 'GET', '/status')).status, 503, 'the login holds the player loop');
    emu.completePairing();
    await tap.waitFor(1);
    assert.equal(tap.events[0]!.type, 'playback_ready');
    assert.equal((await call(emu.url, 'GET', '/auth/code')).status, 204);
    assert.equal((await call(emu.url, 'GET', '/status')).status, 200);
    await tap.close();
  });

  it('v0.10 answers 503 to a request the loop did not pick up in time; v0.9 waits', async () => {
    const emu = await emulator({ version: '0.10', pickupTimeoutMs: 100 });
    emu.setHang(true);
    const r = await call(emu.url, 'POST', '/player/pause');
    assert.deepEqual([r.status, r.text], [503, '']);
    emu.setHang(false);
    assert.equal(emu.status()!.paused, false, 'a 503 request never ran');
    const old = await emulator({ version: '0.9', pickupTimeoutMs: 100 });
    old.setHang(true);
    const late = call(old.url, 'POST', '/player/pause');
    await sleep(300);
    old.setHang(false);
    assert.equal((await late).status, 200);
  });

  it('a skip superseded by a newer one answers 409 in v0.10; the newer one runs', async () => {
    const emu = await emulator({ version: '0.10' });
    emu.setHang(true);
    const first = call(emu.url, 'POST', '/player/next', {});
    // the first must be held before the second arrives, or the second is the older one
    await until(() => emu.requests.some((r) => r.path === '/player/next'), undefined, 'the first skip held');
    const second = call(emu.url, 'POST', '/player/next', {});
    assert.deepEqual([(await first).status, (await first).text], [409, '']);
    const tap = await tapEvents(emu.url);
    emu.setHang(false);
    assert.equal((await second).status, 200);
    await tap.waitFor(3);
    assert.deepEqual(types(tap), ['will_play', 'metadata', 'playing']);
    assert.equal(emu.status()!.track!.uri, PLAYLIST.tracks[1]!.uri, 'one skip, not two');
    await tap.close();
  });

  it('playback_error: a refused audio key fails every load (v0.10 reports it; v0.9 stays silent)', async () => {
    for (const version of ['0.10', '0.9'] as const) {
      const emu = await emulator({ version });
      emu.failPlayback('restricted');
      const tap = await tapEvents(emu.url);
      emu.appSkip();
      const play = await call(emu.url, 'POST', '/player/play', { uri: PLAYLIST.uri });
      assert.equal(play.status, 500, 'the load failed');
      await tap.waitFor(version === '0.10' ? 4 : 2);
      await sleep(30);
      await tap.close();
      assertFrames(tap);
      if (version === '0.9') {
        assert.deepEqual(types(tap), ['will_play', 'will_play']);
        continue;
      }
      assert.deepEqual(types(tap), ['will_play', 'playback_error', 'will_play', 'playback_error']);
      const data = tap.events[1]!.data as Json;
      assert.deepEqual(Object.keys(data), ['context_uri', 'uri', 'play_origin', 'stage', 'kind', 'unplayable', 'message']);
      assert.deepEqual([data.stage, data.kind, data.unplayable, data.uri], ['load', 'restricted', false, PLAYLIST.tracks[1]!.uri]);
      const s = await status(emu);
      assert.deepEqual([s.stopped, s.track], [true, null]);
      emu.failPlayback(null);
      const ok = await eventsOf(emu, 3, () => emu.appSkip());
      assert.deepEqual(types(ok), ['will_play', 'metadata', 'playing']);
    }
  });

  it('an output failure: playback_error (stage playback) before stopped in v0.10', async () => {
    const emu = await emulator({ version: '0.10' });
    const tap = await eventsOf(emu, 2, () => emu.outputFails());
    assert.deepEqual(types(tap), ['playback_error', 'stopped']);
    assert.deepEqual(
      (({ stage, kind, message }) => ({ stage, kind, message }))(tap.events[0]!.data as Json),
      { stage: 'playback', kind: 'unknown', message: 'device disappeared' },
    );
  });

  it('/web-api/ is gone in v0.10', async () => {
    const emu = await emulator({ version: '0.10' });
    assert.equal((await call(emu.url, 'GET', '/web-api/v1/me/player')).status, 404);
  });
});
