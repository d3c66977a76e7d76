import { fork } from 'node:child_process';
import { measureKafkaIngest } from '@journeyline/kafka/kafka-ingest.bench';

/**
 * Kafka → store ingest with one in-process consumer (the run's HTTP batch ingest is the baseline
 * it is compared with in latest.md), then the same with the worker's projections. Each runs in a
 * process of its own, so each peak RSS is its own. Needs a broker at KAFKA_BROKERS (default
 * 127.0.0.1:9092): `scripts/kafka/start.sh` starts one.
 */
async function main(): Promise<void> {
  const events = Number(process.env.BENCH_KAFKA_EVENTS ?? 100_000);
  const mode = process.argv[2];
  if (mode === 'ingest-only' || mode === 'with-projections') {
    const result = await measureKafkaIngest({ events, withProjections: mode === 'with-projections' });
    process.stdout.write(`${JSON.stringify(result)}\n`);
    return;
  }
  const ingestOnly = await inChild('ingest-only');
  const withProjections = await inChild('with-projections');
  process.stdout.write(`${JSON.stringify({ ingestOnly, withProjections })}\n`);
}

function inChild(mode: string): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const child = fork(__filename, [mode], { stdio: ['ignore', 'pipe', 'inherit', 'ipc'] });
    let out = '';
    child.stdout!.on('data', (chunk) => (out += chunk));
    child.on('exit', (code) => (code === 0 ? resolve(JSON.parse(out.trim().split('\n').pop()!)) : reject(new Error(`kafka bench (${mode}) exited with ${code}`))));
  });
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
