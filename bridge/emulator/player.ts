// The playback state machine of one Spotify session, emitting events in the order go-librespot's
// daemon/controls.go does (notes section 5.2). Session lifecycle and volume live in emulator.ts.
import type { ApiTrack } from '../librespot/api.js';
import { toApiTrack, type CatalogueContext, type CatalogueTrack } from './catalogue.js';
import { since, type ApiVersion } from './version.js';

export type Emit = (type: string, data: unknown) => void;

/** Why loading fails while a test makes it fail; `kind` is one of go-librespot's playback_error kinds. */
export interface PlaybackFailure {
  kind: string;
  unplayable: boolean;
  message: string;
}

export interface PlayerOptions {
  version: ApiVersion;
  autoAdvance: boolean;
  emit: Emit;
  /** a failure every load runs into, or null */
  failure: () => PlaybackFailure | null;
}

export class Player {
  playOrigin = '';
  /** the Spotify client that started playback; null when the API did (PR #384's play_origin_device_id) */
  originDeviceId: string | null = null;
  paused = false;
  repeatContext = false;
  repeatTrack = false;
  shuffle = false;
  private context: CatalogueContext | null = null;
  private order: number[] = []; // indices into context.tracks, in play order
  private index = 0;
  private queue: CatalogueTrack[] = [];
  private current: CatalogueTrack | null = null;
  private positionMs = 0; // position as of positionAt, like the Connect state's timestamp
  private positionAt = 0;
  private advanceTimer: NodeJS.Timeout | undefined;

  constructor(private readonly opts: PlayerOptions) {}

  get track(): CatalogueTrack | null {
    return this.current;
  }

  /** Live position: extrapolated from the timestamp while playing. */
  position(): number {
    if (!this.current) return 0;
    const elapsed = this.paused ? 0 : Date.now() - this.positionAt;
    return Math.min(this.current.durationMs, this.positionMs + elapsed);
  }

  trackJson(position = this.position()): ApiTrack | null {
    return this.current && toApiTrack(this.current, position, this.opts.version);
  }

  get loadedContext(): CatalogueContext | null {
    return this.context;
  }

  /** What plays after the current track: the queue first, then the context in play order. */
  upNext(): CatalogueTrack | null {
    if (!this.context || !this.current) return null;
    if (this.repeatTrack) return this.current;
    if (this.queue[0]) return this.queue[0];
    if (this.index + 1 < this.order.length) return this.trackAt(this.index + 1);
    return this.repeatContext ? this.trackAt(0) : null;
  }

  /** Loads a context as /player/play or a transfer does; `between` runs after metadata, before output
   * starts. False when the load failed (the API then answers 500). */
  loadContext(ctx: CatalogueContext, origin: string, o: { skipTo?: string; paused: boolean; between?: () => void; deviceId?: string }): boolean {
    this.context = ctx;
    this.playOrigin = origin;
    this.originDeviceId = o.deviceId ?? null;
    this.queue = [];
    const identity = ctx.tracks.map((_, i) => i);
    this.order = this.shuffle ? shuffled(identity) : identity;
    const skip = this.order.findIndex((i) => ctx.tracks[i]!.uri === o.skipTo);
    this.index = Math.max(0, skip);
    return this.load(this.trackAt(this.index), o.paused, o.between);
  }

  pause(): void {
    if (!this.current) return;
    this.freeze();
    this.paused = true;
    this.reschedule();
    this.emit('paused', this.ref());
  }

  resume(): void {
    if (!this.current) return;
    this.freeze();
    this.paused = false;
    this.reschedule();
    this.emit('playing', this.ref({ resume: true }));
  }

  seek(positionMs: number, relative = false): void {
    if (!this.current) return;
    const target = relative ? this.position() + positionMs : positionMs;
    this.positionMs = Math.max(0, Math.min(this.current.durationMs, target));
    this.positionAt = Date.now();
    this.reschedule();
    const { play_origin, ...head } = this.ref();
    this.emit('seek', { ...head, position: this.positionMs, duration: this.current.durationMs, play_origin });
  }

  /** Skip forward. With a uri: jump to it if it is in the context, keeping the pause state. */
  next(uri?: string): void {
    if (!this.context) return;
    if (uri !== undefined) {
      const at = this.order.findIndex((i) => this.context!.tracks[i]!.uri === uri);
      if (at < 0) return;
      this.index = at;
      this.load(this.trackAt(at), this.paused);
      return;
    }
    this.advance(true);
  }

  prev(): void {
    if (!this.current) return;
    if (this.position() > 3000) return this.seek(0);
    if (!this.context) return;
    this.index = Math.max(0, this.index - 1);
    this.load(this.trackAt(this.index), this.paused);
  }

  /** The current track played to its end. */
  trackEnded(): void {
    if (!this.current) return;
    this.emit('not_playing', this.ref());
    this.advance(false);
  }

  /** The audio device failed: a `stopped` event (v0.10: `playback_error` first, stage playback, the
   * error's text as message: [post-0.9] daemon/playback_error_test.go
   * TestAFailedOutputReportsAPlaybackError). The Connect state still says playing. */
  outputFailed(message = 'device disappeared'): void {
    if (!this.current) return;
    this.dispose();
    this.playbackError('playback', this.current.uri, { kind: 'unknown', unplayable: false, message });
    this.emit('stopped', { play_origin: this.playOrigin });
  }

  addToQueue(track: CatalogueTrack): void {
    if (this.context) this.queue.push(track);
  }

  setRepeatContext(on: boolean): void {
    if (on === this.repeatContext) return;
    this.repeatContext = on;
    this.emit('repeat_context', { value: on });
  }

  setRepeatTrack(on: boolean): void {
    if (on === this.repeatTrack) return;
    this.repeatTrack = on;
    this.emit('repeat_track', { value: on });
  }

  /** Without a loaded context go-librespot ignores shuffle entirely (setOptions checks tracks != nil). */
  setShuffle(on: boolean): void {
    if (!this.context || on === this.shuffle) return;
    this.shuffle = on;
    const playing = this.order[this.index]!;
    const rest = this.context.tracks.map((_, i) => i).filter((i) => i !== playing);
    this.order = on ? [playing, ...shuffled(rest)] : this.context.tracks.map((_, i) => i);
    this.index = this.order.indexOf(playing);
    this.emit('shuffle_context', { value: on });
  }

  dispose(): void {
    clearTimeout(this.advanceTimer);
    this.advanceTimer = undefined;
  }

  private ref(extra: { resume?: boolean } = {}, uri = this.current?.uri ?? ''): Record<string, unknown> {
    // context_uri in events since v0.4.0
    const head = since(this.opts.version, '0.9') ? { context_uri: this.context?.uri ?? '', uri } : { uri };
    return { ...head, ...extra, play_origin: this.playOrigin };
  }

  /** v0.10's event for a failed load, playback or session ([post-0.9] daemon/playback_error.go:
   * emitPlaybackError; payload keys in its ApiEventDataPlaybackError). Older daemons only log. */
  private playbackError(stage: 'load' | 'playback' | 'session', uri: string, f: PlaybackFailure): void {
    if (!since(this.opts.version, '0.10')) return;
    const { play_origin, ...head } = this.ref({}, uri);
    this.emit('playback_error', { ...head, play_origin, stage, kind: f.kind, unplayable: f.unplayable, message: f.message });
  }

  private advance(forceNext: boolean): void {
    if (!this.context) return;
    if (!forceNext && this.repeatTrack && this.current) return void this.load(this.current, false);
    const queued = this.queue.shift();
    if (queued) return void this.load(queued, false);
    if (this.index + 1 < this.order.length) {
      this.index++;
      return void this.load(this.trackAt(this.index), false);
    }
    // end of context (autoplay disabled): first track again, left paused unless repeating
    this.index = 0;
    if (this.repeatContext) return void this.load(this.trackAt(0), false);
    this.load(this.trackAt(0), true, () => this.emit('stopped', { play_origin: this.playOrigin }));
  }

  private load(track: CatalogueTrack, paused: boolean, between?: () => void): boolean {
    this.current = track;
    this.paused = paused;
    this.positionMs = 0;
    this.positionAt = Date.now();
    this.emit('will_play', this.ref());
    const failure = this.opts.failure();
    if (failure) {
      // the load fails before metadata (e.g. the audio key is refused): nothing is loaded, nothing
      // plays; v0.9 daemons stay silent, v0.10 report it
      this.current = null;
      this.paused = true;
      this.dispose();
      this.playbackError('load', track.uri, failure);
      return false;
    }
    this.emit('metadata', this.trackJson(0));
    between?.();
    this.reschedule();
    this.emit(paused ? 'paused' : 'playing', paused ? this.ref() : this.ref({ resume: false }));
    return true;
  }

  private trackAt(i: number): CatalogueTrack {
    return this.context!.tracks[this.order[i]!]!;
  }

  private freeze(): void {
    this.positionMs = this.position();
    this.positionAt = Date.now();
  }

  /** Real-time playback only in autoAdvance mode; otherwise tests drive track ends. */
  private reschedule(): void {
    this.dispose();
    if (!this.opts.autoAdvance || !this.current || this.paused) return;
    this.advanceTimer = setTimeout(() => this.trackEnded(), this.current.durationMs - this.position());
    this.advanceTimer.unref();
  }

  private emit(type: string, data: unknown): void {
    this.opts.emit(type, data);
  }
}

function shuffled(xs: number[]): number[] {
  const out = [...xs];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * (i + 1));
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}
