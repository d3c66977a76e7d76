import { logLevel, type logCreator } from 'kafkajs';

/**
 * The few log calls the Kafka components make, in pino's form (fields, then a short message): the
 * worker passes its pino log as it is; tests and benchmarks pass `silentLog`.
 */
export interface KafkaLog {
  info(fields: Record<string, unknown>, msg: string): void;
  warn(fields: Record<string, unknown>, msg: string): void;
  error(fields: Record<string, unknown>, msg: string): void;
}

export const silentLog: KafkaLog = { info: () => undefined, warn: () => undefined, error: () => undefined };

/**
 * Routes kafkajs' own log lines into a KafkaLog, tagged `component: 'kafkajs'`. Its INFO lines
 * (joins, assignments) are kept: they are what explains a rebalance afterwards.
 */
export function kafkajsLogCreator(log: KafkaLog): logCreator {
  return () =>
    ({ namespace, level, log: entry }) => {
      const { message, timestamp: _timestamp, logger: _logger, ...fields } = entry;
      const tagged = { component: 'kafkajs', namespace, ...fields };
      if (level === logLevel.ERROR || level === logLevel.NOTHING) log.error(tagged, message);
      else if (level === logLevel.WARN) log.warn(tagged, message);
      else log.info(tagged, message);
    };
}

/** A message and stack of any thrown value, for log fields. */
export function errorFields(error: unknown): Record<string, unknown> {
  if (error instanceof Error) return { error: `${error.name}: ${error.message}`, stack: error.stack };
  return { error: String(error) };
}
