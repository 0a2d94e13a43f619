// ctl's help text and exit codes: scripts branch on these numbers, and docs/mqtt.md shows this text.
import { WORDS } from './words.js';

export const EXIT = {
  ok: 0,
  /** the bridge refused or failed the command, or the state is not what was asked */
  failed: 1,
  usage: 2,
  /** no bridge with that id on the broker, or it is offline */
  device: 3,
  /** no answer in time: to get (a hung bridge) or to the command */
  timeout: 4,
  /** the broker cannot be reached, or refuses us (login, TLS) */
  broker: 5,
} as const;

export class CtlError extends Error {
  constructor(
    message: string,
    readonly code: number,
  ) {
    super(message);
  }
}

const column = (left: string, right: string) => `  ${left.padEnd(30)} ${right}`;

export function ctlUsage(): string {
  const commands = WORDS.map((w) => column(w.fixed ? `ctl ${w.word}` : `ctl ${w.word} VALUE`, w.fixed ? `action ${w.fixed}` : w.def.values));
  return `usage: librespot2mqtt ctl [options] COMMAND [VALUE]

Asks the bridge with get (a retained "online" is not proof of life), sends the command with a
deadline at the end of --timeout (a command that arrives later is refused, never run late), and
waits until the bridge's state shows it.
commands:
${column('ctl status', "what is playing, volume, shuffle/repeat and what is online (--json: the state JSON)")}
${column('ctl list', 'the bridges on the broker')}
${commands.join('\n')}
options:
  -d, --device ID         the bridge to talk to (default: device.id of the configuration)
  -c, --config FILE       the bridge's YAML configuration: broker, credentials, TLS, base topic
  --mqtt-url URL          mqtt.url (LIBRESPOT2MQTT_* environment variables work as for the bridge)
  -t, --timeout SECONDS   how long to wait for the bridge (default 5)
  --json                  print JSON instead of text
  -h, --help
exit codes:
  ${EXIT.ok}  done: the bridge answered ok and its state shows what was asked
  ${EXIT.failed}  refused or failed, or the state is not what was asked (capped by Max volume): the reason is printed
  ${EXIT.usage}  wrong command line or configuration
  ${EXIT.device}  no bridge with that id on the broker, or it is offline
  ${EXIT.timeout}  no answer within the timeout
  ${EXIT.broker}  the MQTT broker cannot be reached or refuses the login`;
}
