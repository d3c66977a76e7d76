import { limitHeapGrowth } from '@journeyline/platform';
import { measureKafkaIngest } from './kafka-ingest.bench';

/**
 * Kafka → store ingest with one in-process consumer (the run's HTTP batch ingest is the baseline
 * it is compared with in latest.md): `ingest-only` (the default) or `with-projections` (the
 * worker's setup). `npm run bench` runs each in a process of its own, so each peak RSS is its own.
 * Needs a broker at KAFKA_BROKERS (default 127.0.0.1:9092): `scripts/kafka/start.sh` starts one.
 */
async function main(): Promise<void> {
  limitHeapGrowth(); // as the worker does
  const events = Number(process.env.BENCH_KAFKA_EVENTS ?? 100_000);
  const mode = process.argv[2] ?? 'ingest-only';
  if (mode !== 'ingest-only' && mode !== 'with-projections') throw new Error(`mode must be ingest-only or with-projections, not ${mode}`);
  const result = await measureKafkaIngest({ events, withProjections: mode === 'with-projections' });
  process.stdout.write(`${JSON.stringify(result)}\n`);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
