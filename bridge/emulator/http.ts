// The HTTP routes of notes section 3. Each route first decodes and validates its body (go-librespot
// does that in the handler, so it answers even while the player loop is stuck), then runs
// "in the loop", which is where the no-session 204 and the hang come from.
import { randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Daemon } from './daemon.js';
import { since, type ApiVersion } from './version.js';
import { decodeBody, sendEmpty, sendJson, sendText, type Fields } from './wire.js';

type Body = Record<string, unknown>;

interface Route {
  fields?: Fields;
  invalid?: (b: Body) => boolean;
  /** Answers without a session instead of 204. */
  sessionless?: boolean;
  /** Answered by the HTTP handler itself, so it works while the player loop is busy or logging in. */
  outsideLoop?: boolean;
  /** A skip: in v0.10 a newer skip supersedes one still waiting for the loop (409). */
  skip?: boolean;
  run: (d: Daemon, b: Body) => unknown;
}

/** Releases that added or removed a route; routes not listed exist in every emulated version. */
const ROUTE_VERSIONS: Record<string, { since?: ApiVersion; removedIn?: ApiVersion }> = {
  // [post-0.9] daemon/api_gen.go "(GET /auth/code)", api_server.go GetAuthCode; v0.10.3 consumers (notes §14.3)
  '/auth/code': { since: '0.10' },
  // [post-0.9] daemon/api_server.go has no web-api route or request type any more (notes §14.5, issue #282)
  '/web-api/': { removedIn: '0.10' },
};

const cmd = (act: (d: Daemon, b: Body) => void) => (d: Daemon, b: Body) => (act(d, b), null);

const ROUTES: Record<string, Partial<Record<'GET' | 'POST', Route>>> = {
  '/': { GET: { sessionless: true, run: (d) => ({ playback_ready: d.player !== null }) } },
  '/status': { GET: { run: (d) => d.status() } },
  '/token': { POST: { run: () => ({ token: `BQ${randomBytes(96).toString('base64url')}` }) } },
  '/set_device_name': {
    POST: { fields: { name: 'string' }, invalid: (b) => !b.name, sessionless: true, run: cmd((d, b) => (d.deviceName = b.name as string)) },
  },
  '/player/play': {
    POST: {
      fields: { uri: 'string', skip_to_uri: 'string', paused: 'bool', position: 'int64' },
      invalid: (b) => !b.uri,
      run: cmd((d, b) =>
        d.play(b.uri as string, { skipTo: b.skip_to_uri as string | undefined, paused: b.paused === true, positionMs: (b.position as number) ?? 0 }),
      ),
    },
  },
  '/player/resume': { POST: { run: cmd((d) => d.player!.resume()) } },
  '/player/pause': { POST: { run: cmd((d) => d.player!.pause()) } },
  '/player/playpause': { POST: { run: cmd((d) => (d.player!.paused ? d.player!.resume() : d.player!.pause())) } },
  '/player/stop': { POST: { run: cmd((d) => d.stopPlayback()) } },
  '/player/next': { POST: { fields: { uri: 'string' }, skip: true, run: cmd((d, b) => d.player!.next((b.uri as string) || undefined)) } },
  '/player/prev': { POST: { skip: true, run: cmd((d) => d.player!.prev()) } },
  '/player/seek': {
    POST: {
      fields: { position: 'int64', relative: 'bool' },
      invalid: (b) => (b.position as number) < 0 && !b.relative,
      run: cmd((d, b) => d.player!.seek((b.position as number) ?? 0, b.relative === true)),
    },
  },
  '/player/volume': {
    GET: { run: (d) => ({ value: d.volume.value, max: d.volume.steps }) },
    POST: {
      fields: { volume: 'int32', relative: 'bool' },
      invalid: (b) => (b.volume as number) < 0 && !b.relative,
      run: cmd((d, b) => d.volume.setSteps((b.volume as number) ?? 0, b.relative === true)),
    },
  },
  '/player/repeat_context': {
    POST: { fields: { repeat_context: 'bool' }, run: cmd((d, b) => d.player!.setRepeatContext(b.repeat_context === true)) },
  },
  '/player/repeat_track': {
    POST: { fields: { repeat_track: 'bool' }, run: cmd((d, b) => d.player!.setRepeatTrack(b.repeat_track === true)) },
  },
  '/player/shuffle_context': {
    POST: { fields: { shuffle_context: 'bool' }, run: cmd((d, b) => d.player!.setShuffle(b.shuffle_context === true)) },
  },
  '/player/add_to_queue': {
    POST: {
      fields: { uri: 'string' },
      invalid: (b) => !b.uri,
      run: cmd((d, b) => {
        const track = d.catalogue.findTrack(b.uri as string);
        if (track) d.player!.addToQueue(track);
      }),
    },
  },
  '/player/output': { POST: { fields: { device: 'string' }, run: cmd((d, b) => (d.outputDevice = (b.device as string) ?? '')) } },
  // a stand-in for Spotify's JSON answer; the real proxy needs the network
  '/web-api/': { GET: { run: () => ({}) }, POST: { run: () => ({}) } },
  '/events': { GET: { run: () => null } },
  // 200 with the pairing while a device_auth login waits, 204 otherwise (null → 204 below)
  '/auth/code': { GET: { sessionless: true, outsideLoop: true, run: (d) => d.pairing } },
};

/** A request handed to the player loop; the loop runs it, or the server answers it with a status. */
export interface LoopRequest {
  run(): void;
  answer(status: number): void;
  skip: boolean;
}

export interface HttpDeps {
  daemon: Daemon;
  version: ApiVersion;
  /** Hands a request to the emulated player loop: run now, or when a hang ends (or answered 503/409). */
  inLoop: (req: LoopRequest) => void;
}

function routeExists(path: string, version: ApiVersion): boolean {
  const v = ROUTE_VERSIONS[path];
  return !v || ((!v.since || since(version, v.since)) && (!v.removedIn || !since(version, v.removedIn)));
}

export function handle(req: IncomingMessage, res: ServerResponse, rawBody: string, deps: HttpDeps): void {
  const path = new URL(req.url ?? '/', 'http://x').pathname;
  const webApi = path.startsWith('/web-api/');
  const methods = webApi ? ROUTES['/web-api/']! : ROUTES[path];
  if (!methods || !routeExists(webApi ? '/web-api/' : path, deps.version)) return sendText(res, 404, '404 page not found');
  const method = req.method === 'HEAD' ? 'GET' : req.method;
  const route = webApi ? methods.GET : methods[method as 'GET' | 'POST'];
  if (!route) {
    const allow = Object.keys(methods).flatMap((m) => (m === 'GET' ? ['GET', 'HEAD'] : [m]));
    return sendText(res, 405, 'Method Not Allowed', { Allow: allow.sort().join(', ') });
  }
  if (path === '/events') {
    return sendText(res, 426, `WebSocket protocol violation: Connection header "${req.headers.connection ?? ''}" does not contain Upgrade`);
  }
  // GET / answers {"playback_ready"} since v0.7.2; an empty body decodes as {} since v0.4.0
  const legacy = !since(deps.version, '0.9');
  if (path === '/' && legacy) return sendJson(res, {});
  let body: Body = {};
  try {
    if (route.fields) body = decodeBody(rawBody, route.fields, !legacy);
  } catch {
    return sendEmpty(res, 400);
  }
  if (route.invalid?.(body)) return sendEmpty(res, 400);
  const run = () => {
    if (res.destroyed) return;
    if (!deps.daemon.player && !route.sessionless) return sendEmpty(res, 204);
    let answer: unknown;
    try {
      answer = route.run(deps.daemon, body);
    } catch {
      return sendEmpty(res, 500); // PlayFailed, like any daemon error go-librespot does not map
    }
    if (answer === null && route.outsideLoop) return sendEmpty(res, 204);
    sendJson(res, answer);
  };
  if (route.outsideLoop) return run();
  deps.inLoop({ run, skip: route.skip === true, answer: (status) => !res.destroyed && sendEmpty(res, status) });
}
