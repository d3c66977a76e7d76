import pino, { type DestinationStream, type Logger } from 'pino';
import pretty from 'pino-pretty';

/**
 * The one log shape of the server, the worker and the CLI: pino, one JSON object per line
 * (`level`, `time`, `app`, `pid`, `component`, `msg`, then the fields; errors under `err` with
 * their stack), or the same lines made readable with JOURNEYLINE_LOG_FORMAT=text.
 */
export type Log = Logger;

export interface LogOptions {
  /** `journeyline`, `journeyline-worker`, `journeyline-cli`. */
  app: string;
  format: 'json' | 'text';
  level?: string;
  /** Default: stdout (stderr for the CLI, whose stdout is for people). */
  destination?: DestinationStream;
}

export function createLog(options: LogOptions): Log {
  const destination =
    options.format === 'text'
      ? pretty({ colorize: false, sync: true, destination: options.destination ?? 1, ignore: 'pid,hostname', translateTime: 'SYS:standard' })
      : (options.destination ?? pino.destination({ dest: 1, sync: true }));
  return pino(
    {
      level: options.level ?? 'info',
      base: { app: options.app, pid: process.pid },
      messageKey: 'msg',
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
      serializers: { err: pino.stdSerializers.err, error: pino.stdSerializers.err },
    },
    destination,
  );
}
