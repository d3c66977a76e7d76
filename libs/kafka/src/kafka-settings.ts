import { Kafka, logLevel } from 'kafkajs';
import { kafkajsLogCreator, type KafkaLog } from './kafka-log';

/** Topic names Journeyline reads and writes; the defaults are the public interface in DESIGN.md. */
export interface JourneyTopics {
  /** Incoming wire events, keyed by customer id. */
  events: string;
  /** Messages that could not be recorded: original key and value, error headers. */
  deadLetters: string;
  /** StageEntered / StageRegressed, keyed by customer id. */
  stageChanges: string;
  /** ChurnRiskFlagged / ChurnRiskCleared, keyed by customer id. */
  churnFlags: string;
  /** AlertOpened / AlertClosed (breaches of targets and recoveries), keyed by target id. */
  alerts: string;
}

export const DEFAULT_TOPICS: JourneyTopics = {
  events: 'journey.events',
  deadLetters: 'journey.events.dlq',
  stageChanges: 'journey.stage-changes',
  churnFlags: 'journey.churn-flags',
  alerts: 'journeyline.alerts',
};

export const DEFAULT_CONSUMER_GROUP = 'journeyline-workers';

export interface KafkaConnection {
  brokers: string[];
  clientId: string;
}

/** One kafkajs client whose own logs go to `log` (JSON lines in the worker). */
export function createKafkaClient(connection: KafkaConnection, log: KafkaLog, level: logLevel = logLevel.INFO): Kafka {
  return new Kafka({
    brokers: connection.brokers,
    clientId: connection.clientId,
    logLevel: level,
    logCreator: kafkajsLogCreator(log),
    // The broker may still be electing a coordinator right after it starts: retry for a while.
    retry: { initialRetryTime: 200, retries: 10, maxRetryTime: 5000 },
  });
}
