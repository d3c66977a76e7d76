import type { LoggerService } from '@nestjs/common';
import type { KafkaLog } from '@journeyline/kafka';

type Level = 'debug' | 'info' | 'warn' | 'error';

/**
 * One JSON object per line on stdout: `time`, `level`, `component`, `msg`, then the fields.
 * Serves the worker's own components (KafkaLog) and Nest (LoggerService) alike, so every line a
 * worker prints can be parsed and shipped as is.
 */
export class JsonLogger implements KafkaLog, LoggerService {
  constructor(
    private readonly fields: Record<string, unknown> = {},
    private readonly write: (line: string) => void = (line) => process.stdout.write(line),
  ) {}

  /** A logger that adds `fields` (e.g. `{ component: 'consumer' }`) to every line. */
  child(fields: Record<string, unknown>): JsonLogger {
    return new JsonLogger({ ...this.fields, ...fields }, this.write);
  }

  info(msg: string, fields?: Record<string, unknown>): void {
    this.emit('info', msg, fields);
  }

  warn(msg: string, fields?: Record<string, unknown>): void {
    this.emit('warn', msg, fields);
  }

  error(msg: unknown, ...rest: unknown[]): void {
    if (typeof msg === 'string' && isFields(rest[0])) this.emit('error', msg, rest[0]);
    else this.nest('error', msg, rest);
  }

  // LoggerService: Nest calls log(message, context) / error(message, stack, context).
  log(message: unknown, ...rest: unknown[]): void {
    this.nest('info', message, rest);
  }

  debug(message: unknown, ...rest: unknown[]): void {
    this.nest('debug', message, rest);
  }

  verbose(message: unknown, ...rest: unknown[]): void {
    this.nest('debug', message, rest);
  }

  private nest(level: Level, message: unknown, rest: unknown[]): void {
    const context = typeof rest[rest.length - 1] === 'string' ? (rest[rest.length - 1] as string) : undefined;
    const extra = isFields(message) ? message : { msg: String(message) };
    const { msg, ...fields } = extra as { msg?: unknown };
    this.emit(level, typeof msg === 'string' ? msg : String(msg ?? ''), { ...(context ? { component: context } : {}), ...fields });
  }

  private emit(level: Level, msg: string, fields: Record<string, unknown> = {}): void {
    const line = { time: new Date().toISOString(), level, ...this.fields, msg, ...fields };
    let text: string;
    try {
      text = JSON.stringify(line, replacer);
    } catch {
      text = JSON.stringify({ time: line.time, level, msg, unserialisable: true });
    }
    this.write(`${text}\n`);
  }
}

function isFields(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Error);
}

function replacer(_key: string, value: unknown): unknown {
  if (value instanceof Error) return { name: value.name, message: value.message, stack: value.stack };
  if (typeof value === 'bigint') return value.toString();
  return value;
}
