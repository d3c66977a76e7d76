import { Logger as PinoNestLogger, PinoLogger } from 'nestjs-pino';
import type { Log } from '../logging/log';

/**
 * Nest's own lines go to the same pino log (nestjs-pino's bridge; Nest's context becomes the
 * `component` field), except a start-up failure, which main says in one line of its own (no
 * stack trace for a full disk).
 */
class NestLog extends PinoNestLogger {
  override error(message: unknown, ...rest: unknown[]): void {
    if (rest[rest.length - 1] === 'ExceptionHandler') return;
    super.error(message, ...rest);
  }
}

export function nestLogger(log: Log): PinoNestLogger {
  return new NestLog(new PinoLogger({ pinoHttp: { logger: log }, renameContext: 'component' }), { renameContext: 'component' });
}
