import { logLevel, type logCreator } from 'kafkajs';

/**
 * The few log calls the Kafka components make. Structured: a short message and fields, so a
 * JSON-lines logger can print them as they are. The worker adapts its logger to this; tests
 * and benchmarks pass `silentLog`.
 */
export interface KafkaLog {
  info(msg: string, fields?: Record<string, unknown>): void;
  warn(msg: string, fields?: Record<string, unknown>): void;
  error(msg: string, fields?: Record<string, unknown>): void;
}

export const silentLog: KafkaLog = { info: () => undefined, warn: () => undefined, error: () => undefined };

/**
 * Routes kafkajs' own log lines into a KafkaLog, tagged `component: 'kafkajs'`. Its INFO lines
 * (joins, assignments) are kept: they are what explains a rebalance afterwards.
 */
export function kafkajsLogCreator(log: KafkaLog): logCreator {
  return () => ({ namespace, level, log: entry }) => {
    const { message, timestamp: _timestamp, logger: _logger, ...fields } = entry;
    const tagged = { component: 'kafkajs', namespace, ...fields };
    if (level === logLevel.ERROR || level === logLevel.NOTHING) log.error(message, tagged);
    else if (level === logLevel.WARN) log.warn(message, tagged);
    else log.info(message, tagged);
  };
}

/** A message and stack of any thrown value, for log fields. */
export function errorFields(error: unknown): Record<string, unknown> {
  if (error instanceof Error) return { error: `${error.name}: ${error.message}`, stack: error.stack };
  return { error: String(error) };
}
