import * as path from 'node:path';
import { appendToStream, createEventStoreSchema, sqliteConnection } from '@event-driven-io/emmett-sqlite';
import { getPostgreSQLEventStore } from '@event-driven-io/emmett-postgresql';
import type { CustomerCommand } from '@journeyline/journey';
import { factOf, type Fact } from './bench-events';
import { cpuSeconds, scratch, seconds, type PathRun } from './sqlite-paths';
import { withSchema, type PostgresTarget } from './postgres-paths';

/**
 * Emmett (event-driven-io/emmett 0.42) on the same events: its SQLite store through its fastest
 * path, and its PostgreSQL store through its store API. Each event is stored as Emmett stores a
 * message: our type and data, our event id as its message id, occurredAt in its metadata.
 */

type EmmettEvent = { type: string; data: Record<string, unknown>; metadata: { messageId: string; occurredAt: string } };

function emmettEvent({ event }: Fact): EmmettEvent {
  return { type: event.type, data: event.data, metadata: { messageId: event.eventId, occurredAt: event.occurredAt } };
}

/** A batch's facts by stream, in the order the streams first appear. */
function byStream(batch: readonly CustomerCommand[]): Map<string, EmmettEvent[]> {
  const streams = new Map<string, EmmettEvent[]>();
  for (const command of batch) {
    const fact = factOf(command);
    const list = streams.get(fact.streamId);
    if (list) list.push(emmettEvent(fact));
    else streams.set(fact.streamId, [emmettEvent(fact)]);
  }
  return streams;
}

/**
 * Emmett SQLite's low-level `appendToStream(connection, …)` on one connection: the fastest path
 * it offers. A batch is one transaction (the connection nests Emmett's own per-stream
 * transaction in it), every stream appended with its known version, so Emmett skips its version
 * lookup. WAL (Emmett's own setting) and synchronous=NORMAL, as the floor and our adapter run.
 */
export async function emmettSqlite(batches: readonly CustomerCommand[][]): Promise<PathRun> {
  const { dir, done } = scratch('emmett-sqlite');
  const connection = sqliteConnection({ fileName: path.join(dir, 'emmett.db') });
  try {
    await connection.command('PRAGMA synchronous = NORMAL');
    await createEventStoreSchema(connection);
    const versions = new Map<string, bigint>();
    let events = 0;
    const cpu = process.cpuUsage();
    const started = process.hrtime.bigint();
    for (const batch of batches) {
      await connection.withTransaction(async () => {
        for (const [streamId, messages] of byStream(batch)) {
          const version = versions.get(streamId) ?? 0n;
          const result = await appendToStream(connection, streamId, 'customer', messages, { expectedStreamVersion: version });
          if (!result.success) throw new Error(`emmett-sqlite refused an append to ${streamId} at version ${version}`);
          versions.set(streamId, result.nextStreamPosition);
        }
      });
      events += batch.length;
    }
    const took = seconds(started);
    const cpuTook = cpuSeconds(cpu);
    const [{ rows }] = await connection.query<{ rows: number }>('SELECT count(*) AS rows FROM emt_messages');
    if (rows < events) throw new Error(`emmett-sqlite stored ${rows} rows, expected ${events}`);
    return { events, seconds: took, cpuSeconds: cpuTook, storedRows: rows };
  } finally {
    connection.close();
    done();
  }
}

/**
 * Emmett PostgreSQL's store API (`getPostgreSQLEventStore(…).appendToStream`), `lanes.length`
 * concurrent writers, each appending its batches stream by stream (the store API appends one
 * stream a call, each call its own transaction), in a schema of its own dropped afterwards.
 */
export async function emmettPostgres(target: PostgresTarget, lanes: readonly CustomerCommand[][][]): Promise<PathRun> {
  return withSchema(target, 'emmett', async (connectionString, count) => {
    const store = getPostgreSQLEventStore(connectionString, { schema: { autoMigration: 'CreateOrUpdate' } });
    try {
      await store.schema.migrate();
      let events = 0;
      const started = process.hrtime.bigint();
      await Promise.all(
        lanes.map(async (batches) => {
          const versions = new Map<string, bigint>();
          for (const batch of batches) {
            for (const [streamId, messages] of byStream(batch)) {
              const result = await store.appendToStream(streamId, messages, { expectedStreamVersion: versions.get(streamId) ?? 0n });
              versions.set(streamId, result.nextExpectedStreamVersion);
            }
            events += batch.length;
          }
        }),
      );
      const took = seconds(started);
      const rows = await count('emt_messages');
      if (rows < events) throw new Error(`emmett-postgresql stored ${rows} rows, expected ${events}`);
      return { events, seconds: took, cpuSeconds: null, storedRows: rows };
    } finally {
      await store.close();
    }
  });
}
