import { measureKafkaIngest } from '@journeyline/kafka/kafka-ingest.bench';

/**
 * Kafka → store ingest with one in-process consumer (the run's HTTP batch ingest is the baseline
 * it is compared with in latest.md). Needs a broker at KAFKA_BROKERS (default 127.0.0.1:9092):
 * `scripts/kafka/start.sh` starts one.
 */
async function main(): Promise<void> {
  const events = Number(process.env.BENCH_KAFKA_EVENTS ?? 100_000);
  const ingestOnly = await measureKafkaIngest({ events });
  const withProjections = await measureKafkaIngest({ events, withProjections: true });
  process.stdout.write(`${JSON.stringify({ ingestOnly, withProjections })}\n`);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
