// One pino logger for the process. Every part logs through its own child, named by `part`
// (PARTS below), so each line says where it came from. Two formats: text for people (tail -f, the
// add-on's log panel, syslog) and pino's own JSON for log shippers.
import { pino, type Logger } from 'pino';
import { prettyFactory } from 'pino-pretty';
import type { LogFormat, LogLevel } from './log-levels.js';

export type { Logger };

/** The parts that log, as `log.child({ part })`: one word each, so text lines line up.
 * info tells the story of a day (connections, sessions, tracks, volume changes and their source);
 * debug adds what the bridge decided and why; trace adds the raw traffic (go-librespot events,
 * MQTT payloads). */
export const PARTS = ['main', 'mqtt', 'librespot', 'mixer', 'volume', 'command'] as const;
export type Part = (typeof PARTS)[number];

export const part = (log: Logger, name: Part): Logger => log.child({ part: name });

const WIDTH = { level: 5, part: Math.max(...PARTS.map((p) => p.length)) + 1 };
const time = (ms: number) => new Date(ms).toTimeString().slice(0, 8);
// a message is one line whatever it holds: syslog and the add-on panel split on newlines
const oneLine = (s: string) => s.replace(/\r?\n/g, '\\n').replace(/[\u0000-\u0008\u000b-\u001f\u007f]/g, '');

/** `12:03:04 INFO  librespot  session started by "Kitchen iPad" {"extra":"fields"}`: pino-pretty's
 * formatter, called in this thread (a worker-thread transport would cost a second V8 heap). */
function textFormatter(colorize: boolean): (line: string) => string {
  return prettyFactory({
    colorize,
    singleLine: true,
    // the whole prefix comes from messageFormat: pino-pretty's own puts brackets and colons around it
    ignore: 'time,level,part',
    errorLikeObjectKeys: [],
    messageFormat: (log, key, _label, { colors }) => {
      const label = (pino.levels.labels[log.level as number] ?? 'info').toUpperCase().padEnd(WIDTH.level);
      const paint = { FATAL: colors.bgRed, ERROR: colors.red, WARN: colors.yellow, INFO: colors.green }[label.trim()] ?? colors.gray;
      return `${time(log.time as number)} ${paint(label)} ${String(log.part ?? 'main').padEnd(WIDTH.part)} ${oneLine(String(log[key] ?? ''))}`;
    },
  });
}

/** Loggers made by createLogger, with their children: the level is set on all of them at once. */
const families = new WeakMap<Logger, Set<WeakRef<Logger>>>();

export function createLogger(level: LogLevel = 'info', destination: NodeJS.WritableStream = process.stderr, format: LogFormat = 'json'): Logger {
  const family = new Set<WeakRef<Logger>>();
  // children made and dropped by the thousand must not pile up here
  let prune = 64;
  const format_ =
    format === 'text' ? textFormatter((destination as { isTTY?: boolean }).isTTY === true && !process.env.NO_COLOR) : null;
  const sink: pino.DestinationStream = format_ ? { write: (line: string) => void destination.write(format_(line)) } : (destination as pino.DestinationStream);
  const root = pino(
    {
      level,
      base: undefined,
      onChild: (child) => {
        family.add(new WeakRef(child));
        if (family.size < prune) return;
        for (const ref of family) if (!ref.deref()) family.delete(ref);
        prune = 2 * family.size + 64;
      },
    },
    sink,
  );
  family.add(new WeakRef(root));
  families.set(root, family);
  return root;
}

/** Changes the level of a logger made by createLogger and of every child it has or will have
 * (pino copies the level into a child when it is made, and never again). */
export function setLogLevel(log: Logger, level: LogLevel): void {
  const family = families.get(log);
  if (!family) {
    log.level = level;
    return;
  }
  for (const ref of family) {
    const l = ref.deref();
    if (l) l.level = level;
  }
}

/** A logger that drops everything: for library users and tests that do not care. */
export const silentLogger: Logger = pino({ level: 'silent' });
