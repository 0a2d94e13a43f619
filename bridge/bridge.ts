// Wires the parts together: sources (go-librespot, the mixer) → store → publisher, and MQTT
// commands back through one validated path.
import type { ResolvedConfig } from './config/schema.js';
import { setLogLevel, type Logger } from './log.js';
import { LibrespotClient } from './librespot/client.js';
import { LibrespotSource } from './librespot/source.js';
import { exposureWarning } from './librespot/exposure.js';
import { Store } from './state/store.js';
import { initialState, type PlayerState } from './state/state.js';
import { topicsFor } from './ha/topics.js';
import { discoveryPayload } from './ha/discovery.js';
import { Connection, type Relogin } from './mqtt/connection.js';
import { Publisher } from './mqtt/publisher.js';
import { CommandHandler } from './commands/handler.js';
import { availabilityPayload, statePayload } from './mqtt/payloads.js';
import { infoPayload } from './mqtt/info.js';
import { PersistFile } from './volume/persist.js';
import { VolumeController } from './volume/controller.js';
import { MixerDevice, SpotifyVolumeDevice, type VolumeDevice } from './volume/device.js';

export interface Bridge {
  store: Store<PlayerState>;
  /** run the slow session/liveness check now instead of at its next tick */
  check(): Promise<void>;
  stop(): Promise<void>;
}

async function volumeDevice(cfg: ResolvedConfig, store: Store<PlayerState>, client: LibrespotClient, log: Logger): Promise<VolumeDevice> {
  if (cfg.mixer.backend === 'none') return new SpotifyVolumeDevice(store, client);
  // ALSA code is loaded only when it is used
  const { chooseBackend, createAlsaMixer } = await import('./mixer/alsa.js');
  const mixer = createAlsaMixer({
    device: cfg.mixer.device,
    control: cfg.mixer.control,
    switch: cfg.mixer.switch,
    log,
    backend: chooseBackend(cfg.mixer.backend, log),
    // alsactl reports changes but not a card that vanished (the native backend is told)
    pollMs: cfg.mixer.check_s * 1000,
  });
  return new MixerDevice(mixer, log);
}

export interface BridgeOptions {
  /** where to ask for MQTT credentials again after a refused login (the add-on: the Supervisor) */
  relogin?: Relogin;
}

export async function startBridge(cfg: ResolvedConfig, log: Logger, opts: BridgeOptions = {}): Promise<Bridge> {
  const startedAt = new Date();
  const topics = topicsFor(cfg);
  const store = new Store<PlayerState>(initialState);
  const client = new LibrespotClient(cfg.librespot.url, cfg.librespot.timeout_ms);
  const librespotLog = log.child({ part: 'librespot' });
  const exposed = exposureWarning(cfg.librespot.url);
  if (exposed) librespotLog.warn(exposed);
  const source = new LibrespotSource({ client, store, log: librespotLog, sessionCheckMs: cfg.librespot.session_check_s * 1000 });

  const volumeLog = log.child({ part: 'volume' });
  const volume = new VolumeController({
    device: await volumeDevice(cfg, store, client, volumeLog),
    store,
    persist: new PersistFile(cfg.state_file, volumeLog),
    configMax: cfg.volume.max,
    log: volumeLog,
  });
  if (cfg.mixer.backend !== 'none' && cfg.volume.sync_spotify) {
    const { SpotifySync } = await import('./volume/sync.js');
    const sync = new SpotifySync({ controller: volume, client, store, log: volumeLog });
    source.listen((ev) => sync.onEvent(ev));
  }
  const start = cfg.volume.start;
  if (start !== undefined)
    source.listen((ev) => {
      // a new Spotify session starts at whatever go-librespot remembers, often 100 %
      if (ev.type !== 'playback_ready') return;
      volume.setVolume(start, 'start volume').then(
        () => volumeLog.info(`Spotify session: start volume ${volume.level?.percent ?? start} % applied (volume.start ${start} %, cap ${store.get().max_volume} %)`),
        (err: Error) => volumeLog.warn(`start volume: ${err.message}`),
      );
    });

  const mqttLog = log.child({ part: 'mqtt' });
  const commandLog = log.child({ part: 'command' });
  const commands = new CommandHandler({
    ctx: {
      librespot: client,
      volume,
      state: () => store.get(),
      setLogLevel: (level) => {
        const was = log.level;
        setLogLevel(log, level);
        commandLog.info(`log level ${level} (was ${was}) until the bridge restarts; log.level in the config is the one at start`);
      },
    },
    setTopics: [topics.set, topics.groupSet],
    get: {
      topic: topics.get,
      answer: () => {
        publisher.publishState();
        return { state: statePayload(store.get()), info: info() };
      },
    },
    responseTopic: topics.response,
    ran: () => publisher.publishInfo(),
    log: commandLog,
  });
  // the optional HACS media_player: loaded only when configured
  const mp = cfg.homeassistant.media_player === 'none' ? undefined : await import('./ha/media-player/publisher.js');
  let mediaPlayer: import('./ha/media-player/publisher.js').MediaPlayerPublisher | undefined;
  const info = () => infoPayload(cfg, store.get(), log.level, startedAt);
  let birthTimer: NodeJS.Timeout | undefined;
  const connection = new Connection({
    cfg,
    log: mqttLog,
    will: { topic: topics.availability, payload: availabilityPayload(false) },
    subscriptions: [...commands.subscriptions, ...(cfg.mqtt.discovery ? [topics.haStatus] : []), ...(mp ? mp.mediaPlayerSubscriptions(topics) : [])],
    onConnect: () => publishAll(),
    relogin: opts.relogin,
    onMessage: (topic, payload, packet) => {
      if (topic === topics.haStatus) {
        if (payload.toString() !== 'online') return;
        // HA asks everyone at once after its restart: spread the answers a little
        clearTimeout(birthTimer);
        birthTimer = setTimeout(() => publishAll(), Math.random() * 500);
        return;
      }
      if (commands.handles(topic)) void commands.handle(connection, topic, payload, packet);
      else if (mediaPlayer?.handles(topic)) mediaPlayer.handle(topic, payload, packet);
    },
  });
  const publisher = new Publisher({
    connection,
    store,
    topics,
    discovery: cfg.mqtt.discovery ? discoveryPayload(cfg, topics) : null,
    info: () => info(),
    log: mqttLog,
  });
  if (mp && cfg.homeassistant.media_player !== 'none') {
    mediaPlayer = new mp.MediaPlayerPublisher({
      flavour: cfg.homeassistant.media_player,
      connection,
      store,
      topics,
      device: cfg.device,
      log: mqttLog,
      forward: (field, value, packet) => void commands.handle(connection, `${topics.set}/${field}`, Buffer.from(value), packet),
    });
  }
  function publishAll(): void {
    publisher.publishAll();
    mediaPlayer?.publishAll();
  }
  await volume.start();
  source.start();

  return {
    store,
    check: () => source.check(),
    async stop() {
      clearTimeout(birthTimer);
      source.stop();
      publisher.stop();
      mediaPlayer?.stop();
      await volume.stop();
      await connection.close({ topic: topics.availability, payload: availabilityPayload(false) });
    },
  };
}
