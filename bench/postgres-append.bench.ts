import { randomUUID } from 'node:crypto';
import { escapeIdentifier } from 'pg';
import type { AppendRequest, ExpectedRevision } from '@journeyline/event-store/event-store.port';
import { PostgresEventStore } from '@journeyline/event-store/postgres/postgres-event-store';

export interface PostgresAppendOptions {
  connectionString: string;
  /** Events per `append` call (spread over streams of 10 events each, like an HTTP batch of many customers). */
  batchSize: number;
  /** Concurrent writers, each on its own pooled connection. */
  writers: number;
  /** How long to keep appending. Default 5,000 ms. */
  durationMs?: number;
  /** Schema to append into; a fresh one (dropped afterwards) when absent. */
  schema?: string;
}

export interface PostgresAppendMeasurement {
  batchSize: number;
  writers: number;
  appends: number;
  events: number;
  seconds: number;
  eventsPerSecond: number;
  appendsPerSecond: number;
  /** Latency of one append call (one transaction), in milliseconds. */
  p50Ms: number;
  p99Ms: number;
}

/**
 * Append throughput of PostgresEventStore: `writers` loops each appending `batchSize` events per
 * call with numeric expected revisions (streams private to each writer, so no conflicts) for
 * `durationMs`. For `npm run bench`; run this file directly for the 1/8 writers × 100/1,000 table.
 */
export async function measurePostgresAppend(options: PostgresAppendOptions): Promise<PostgresAppendMeasurement> {
  const schema = options.schema ?? `jl_bench_${randomUUID().replace(/-/g, '').slice(0, 12)}`;
  const store = await PostgresEventStore.open({ connectionString: options.connectionString, schema, maxConnections: options.writers + 2 });
  const durationMs = options.durationMs ?? 5000;
  const perStream = Math.min(10, options.batchSize);
  const streamsPerAppend = Math.ceil(options.batchSize / perStream);
  const latencies: number[] = [];
  let events = 0;
  try {
    const writer = async (w: number, until: number) => {
      const revisions = new Map<string, number>();
      let round = 0;
      while (Date.now() < until) {
        const requests: AppendRequest[] = [];
        for (let s = 0; s < streamsPerAppend; s++) {
          // 50 rotating customers per stream slot: streams grow, as real journeys do.
          const streamId = `customer-bench-${w}-${s}-${round % 50}`;
          const revision = revisions.get(streamId) ?? -1;
          const expectedRevision: ExpectedRevision = revision < 0 ? 'no_stream' : revision;
          const count = Math.min(perStream, options.batchSize - s * perStream);
          requests.push({
            streamId,
            expectedRevision,
            events: Array.from({ length: count }, (_, i) => ({
              eventId: randomUUID(),
              type: 'TouchpointVisited',
              data: { touchpoint: 'web:pricing', channel: 'web', stage: 'evaluation', properties: { round, i } },
              occurredAt: new Date().toISOString(),
            })),
          });
        }
        const started = process.hrtime.bigint();
        const result = await store.append(requests);
        latencies.push(Number(process.hrtime.bigint() - started) / 1e6);
        for (const [streamId, revision] of Object.entries(result.streams)) revisions.set(streamId, revision);
        events += result.events.length;
        round++;
      }
    };
    const started = process.hrtime.bigint();
    const until = Date.now() + durationMs;
    await Promise.all(Array.from({ length: options.writers }, (_, w) => writer(w, until)));
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    latencies.sort((a, b) => a - b);
    const quantile = (q: number) => Math.round(latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] * 100) / 100;
    return {
      batchSize: options.batchSize,
      writers: options.writers,
      appends: latencies.length,
      events,
      seconds: Math.round(seconds * 100) / 100,
      eventsPerSecond: Math.round(events / seconds),
      appendsPerSecond: Math.round((latencies.length / seconds) * 10) / 10,
      p50Ms: quantile(0.5),
      p99Ms: quantile(0.99),
    };
  } finally {
    if (options.schema === undefined) await store.pool.query(`DROP SCHEMA IF EXISTS ${escapeIdentifier(schema)} CASCADE`).catch(() => undefined);
    await store.close();
  }
}

if (require.main === module) {
  const connectionString = process.env.JOURNEYLINE_BENCH_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
  const durationMs = Number(process.env.BENCH_SECONDS ?? 5) * 1000;
  (async () => {
    const rows: PostgresAppendMeasurement[] = [];
    for (const batchSize of [100, 1000]) {
      for (const writers of [1, 8]) rows.push(await measurePostgresAppend({ connectionString, batchSize, writers, durationMs }));
    }
    console.table(rows);
    process.stdout.write(`${JSON.stringify(rows)}\n`);
  })().catch((error) => {
    console.error(error);
    process.exit(1);
  });
}
