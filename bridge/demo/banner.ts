// What the demo prints first: the lines to watch and drive it, with mosquitto_pub and with ctl,
// ready to paste. A password given in the URL is never printed: the lines read it from $MQTT_PASSWORD.
import type { ResolvedConfig } from '../config/schema.js';
import { topicsFor } from '../ha/topics.js';
import type { LibrespotEmulator } from '../emulator/emulator.js';
import { maskUrls } from '../mask-url.js';

const DEFAULT_PORT: Record<string, string> = { 'mqtt:': '1883', 'mqtts:': '8883' };

export function banner(cfg: ResolvedConfig, emulator: LibrespotEmulator, embedded: boolean): string[] {
  const t = topicsFor(cfg);
  const u = new URL(cfg.mqtt.url);
  const user = decodeURIComponent(u.username);
  const auth = user ? ` -u '${user}'${u.password ? ` -P "$MQTT_PASSWORD"` : ''}` : '';
  const hp = `-h ${u.hostname} -p ${u.port || DEFAULT_PORT[u.protocol] || 1883}${auth}`;
  const bare = new URL(cfg.mqtt.url);
  bare.username = '';
  bare.password = '';
  const env = [
    `LIBRESPOT2MQTT_MQTT_URL=${bare.href.replace(/\/$/, '')}`,
    `LIBRESPOT2MQTT_DEVICE_ID=${cfg.device.id}`,
    ...(user ? [`LIBRESPOT2MQTT_MQTT_USERNAME='${user}'`] : []),
    ...(u.password ? ['LIBRESPOT2MQTT_MQTT_PASSWORD="$MQTT_PASSWORD"'] : []),
  ];
  const album = emulator.catalogue.albums[0]!.uri;
  return [
    `librespot2mqtt demo: the bridge runs against a simulated go-librespot (${emulator.url}) that plays a playlist,`,
    `  with ${embedded ? 'an embedded' : 'your'} MQTT broker at ${maskUrls(cfg.mqtt.url)}.`,
    ...(u.password ? ['The lines below read the broker password from $MQTT_PASSWORD: set it first (read -rs MQTT_PASSWORD; export MQTT_PASSWORD).'] : []),
    '',
    'Watch everything the bridge publishes (Home Assistant discovery, state, events):',
    `  mosquitto_sub ${hp} -v -t '${t.base}/#' -t '${t.discovery}'`,
    'Drive it:',
    `  mosquitto_pub ${hp} -t ${t.set}/action -m next`,
    `  mosquitto_pub ${hp} -t ${t.set}/action -m pause`,
    `  mosquitto_pub ${hp} -t ${t.set}/shuffle -m toggle`,
    `  mosquitto_pub ${hp} -t ${t.set}/volume -m 30`,
    `  mosquitto_pub ${hp} -t ${t.set} -m '{"play_uri":"${album}","transaction":"t1"}'`,
    `  mosquitto_sub ${hp} -v -t ${t.response}     # the answers to commands`,
    'The same with ctl, which waits until the speaker shows the command and exits 0 only then:',
    `  export ${env.join(' ')}`,
    '  librespot2mqtt ctl next',
    '  librespot2mqtt ctl pause',
    '  librespot2mqtt ctl shuffle toggle',
    '  librespot2mqtt ctl volume 30',
    `  librespot2mqtt ctl play-uri ${album}`,
    '  librespot2mqtt ctl status',
    'Below: one line per thing that happens. The bridge logs warnings only; add --log-level info to see everything.',
    'Stop with Ctrl-C. The demo then removes its topics from the broker (demo --clean does that after a crash).',
  ];
}
