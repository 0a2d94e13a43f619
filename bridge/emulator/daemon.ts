// go-librespot's daemon in zeroconf mode: an optional Spotify session around a Player, plus the
// state that outlives sessions (device name, last volume). Both HTTP routes and the emulated
// Spotify app act through here.
import { createHash } from 'node:crypto';
import type { ApiDeviceAuth, ApiStatus } from '../librespot/api.js';
import { toApiTrack, type Catalogue } from './catalogue.js';
import { Player, type Emit, type PlaybackFailure } from './player.js';
import { since, type ApiVersion } from './version.js';
import { Volume } from './volume.js';

export interface DaemonOptions {
  version: ApiVersion;
  autoAdvance: boolean;
  volumeEventDelayMs: number;
  /** go-librespot's `metadata.enabled` (v0.10, PR #351): the track cache behind next_track */
  metadataCache: boolean;
}

/** The daemon could not resolve or load the context: HTTP 500. */
class PlayFailed extends Error {}

// what Spotify clients put in play_origin.feature_identifier when they start playback
const APP_ORIGIN = 'your_library';
/** the Connect device id of the emulated phone */
const PHONE_ID = createHash('sha1').update('emulated phone').digest('hex');

export class Daemon {
  player: Player | null = null;
  deviceName = 'go-librespot emulator';
  outputDevice = '';
  readonly deviceId = createHash('sha1').update('librespot2mqtt emulator').digest('hex');
  readonly username = 'emulated-user';
  readonly volume: Volume;
  /** set by tests: every load fails this way (Spotify refusing audio keys, …) */
  failure: PlaybackFailure | null = null;
  /** a device_auth login waiting for the user (v0.10 GET /auth/code) */
  pairing: ApiDeviceAuth | null = null;

  constructor(
    private readonly opts: DaemonOptions,
    readonly catalogue: Catalogue,
    private readonly emit: Emit,
  ) {
    // initial_volume defaults to 100 steps, i.e. full scale, which is what users see upstream
    this.volume = new Volume(65535, 100, opts.volumeEventDelayMs, (v) => this.player && emit('volume', v));
  }

  status(): ApiStatus | null {
    const p = this.player;
    if (!p) return null;
    const status: ApiStatus = {
      username: this.username,
      device_id: this.deviceId,
      device_type: 'SPEAKER',
      device_name: this.deviceName,
      play_origin: p.playOrigin,
      stopped: p.track === null,
      paused: p.paused,
      buffering: false, // loads complete synchronously, so buffering is never observable
      volume: this.volume.value,
      volume_steps: this.volume.steps,
      repeat_context: p.repeatContext,
      repeat_track: p.repeatTrack,
      shuffle_context: p.shuffle,
      track: p.trackJson(),
    };
    if (!since(this.opts.version, '0.10')) return status;
    const ctx = p.loadedContext;
    const next = p.upNext();
    return {
      ...status,
      // PR #384 (issue #380): nullable, always present, so a reconnecting client knows the context
      context_uri: ctx?.uri ?? null,
      context_name: ctx?.name ?? null,
      play_origin_device_id: p.originDeviceId,
      // PR #351: only with the metadata cache on. Its value with the cache off was not seen; null
      // here, so the bridge's handling of null is exercised (it must also accept the key missing)
      next_track: this.opts.metadataCache && next ? toApiTrack(next, 0, this.opts.version) : null,
    };
  }

  /** A zeroconf login; a new login replaces the old session silently. */
  connectSession(quiet = false): Player {
    this.player?.dispose();
    const player = new Player({ version: this.opts.version, autoAdvance: this.opts.autoAdvance, emit: this.emit, failure: () => this.failure });
    this.player = player;
    if (!quiet) {
      this.emit('playback_ready', null);
      this.volume.announce(); // the initial volume is applied once per session
    }
    return player;
  }

  /** Teardown emits nothing (upstream #172). */
  endSession(): void {
    this.player?.dispose();
    this.player = null;
  }

  /** /player/stop and a transfer away: inactive, stopped, then the zeroconf session is gone. */
  stopPlayback(): void {
    if (!this.player) return;
    this.endSession();
    this.emit('inactive', null);
    this.emit('stopped', { play_origin: '' });
  }

  play(uri: string, o: { skipTo?: string; paused: boolean; positionMs: number }): void {
    const p = this.player;
    const ctx = this.catalogue.resolve(uri);
    if (!p || !ctx) throw new PlayFailed(`cannot resolve ${uri}`);
    if (!p.loadContext(ctx, 'go-librespot', { skipTo: o.skipTo, paused: o.paused || o.positionMs > 0 })) throw new PlayFailed(`cannot load ${uri}`);
    if (o.positionMs <= 0) return;
    p.seek(o.positionMs);
    if (!o.paused) p.resume();
  }

  transferIn(paused: boolean): void {
    const p = this.player ?? this.connectSession();
    const ctx = this.catalogue.playlists[0]!;
    p.loadContext(ctx, APP_ORIGIN, { paused, between: () => this.emit('active', null), deviceId: PHONE_ID });
  }

  /** The state at start-up: a playlist already playing (its events reach no client yet). */
  preload(): void {
    this.connectSession(true).loadContext(this.catalogue.playlists[0]!, APP_ORIGIN, { paused: false, deviceId: PHONE_ID });
  }

  dispose(): void {
    this.player?.dispose();
    this.volume.dispose();
  }
}
