// One pino logger for the process; modules take a child so every line says where it came from.
import { pino, type Logger } from 'pino';

export type { Logger };

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

export function createLogger(level: LogLevel = 'info', destination: NodeJS.WritableStream = process.stderr): Logger {
  return pino({ level, base: undefined }, destination as pino.DestinationStream);
}

/** A logger that drops everything: for library users and tests that do not care. */
export const silentLogger: Logger = pino({ level: 'silent' });
