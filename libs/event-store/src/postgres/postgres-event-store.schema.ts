import { escapeLiteral } from 'pg';
import type { Migration } from './postgres-migrations';

export const EVENT_STORE_COMPONENT = 'event-store';

/**
 * Advisory lock classes (the first key of the two-key form; the second is the events table's oid,
 * so every schema has its own locks). `APPENDING` is held shared by every append transaction from
 * before it has a transaction id until it ends: readers list its holders in pg_locks. `ALLOCATING`
 * is held exclusively for the few microseconds in which an append takes its transaction id and its
 * positions, so positions are handed out in transaction-id order.
 */
export const LOCK_APPENDING = 0x4a4c0001;
export const LOCK_ALLOCATING = 0x4a4c0002;

/**
 * Append only: never edit a shipped step, add one. Each receives the quoted schema name.
 *
 * Why positions and transaction ids are tied together (see postgres-event-store.ts for the read
 * side): a reader may hand out an event only once no transaction that could still commit an
 * event *below* it is running. Events carry the id of the transaction that wrote them; if an
 * append took its positions in an order unrelated to its transaction id (a sequence default does
 * that), a transaction with an older id could hold a newer position and "xid < xmin" would not
 * protect the older positions. `append_events` therefore assigns the transaction id and the
 * positions together under `ALLOCATING`, so across appends position order is transaction-id order.
 */
export const EVENT_STORE_MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    description: 'events table, position sequence, append_events()',
    sql: (s) => `
      CREATE SEQUENCE ${s}.events_position AS bigint;

      CREATE TABLE ${s}.events (
        position       bigint      PRIMARY KEY,
        -- the writing transaction: readers only hand out events of transactions older than every
        -- append still running (see the header of postgres-event-store.ts)
        transaction_id xid8        NOT NULL DEFAULT pg_current_xact_id(),
        stream_id      text        NOT NULL,
        revision       integer     NOT NULL,
        event_id       text        NOT NULL,
        type           text        NOT NULL,
        -- canonical JSON exactly as written (json keeps the text; jsonb would not), compared byte
        -- for byte on idempotent retries
        data           json        NOT NULL,
        occurred_at    text        NOT NULL,
        -- the database clock: one clock for every process appending, the basis of "as known at T"
        recorded_at    timestamptz NOT NULL,
        CONSTRAINT events_stream_revision UNIQUE (stream_id, revision),
        CONSTRAINT events_event_id UNIQUE (event_id)
      );

      -- Writes one append's events with consecutive positions and announces them. Must be the
      -- transaction's first write: its transaction id is assigned here, inside ALLOCATING.
      CREATE FUNCTION ${s}.append_events(
        stream_ids text[], revisions integer[], event_ids text[], types text[], datas text[], occurred_ats text[], channel text
      ) RETURNS bigint LANGUAGE plpgsql AS $fn$
      DECLARE
        events_oid constant integer := ${escapeLiteral(`${s}.events`)}::regclass::oid::integer; -- the oid's bits, as pg_locks shows them
        how_many constant integer := cardinality(event_ids);
        first_position bigint;
        recorded timestamptz;
      BEGIN
        IF pg_current_xact_id_if_assigned() IS NOT NULL THEN
          RAISE EXCEPTION 'append_events must be the first write of its transaction' USING ERRCODE = 'JL001';
        END IF;
        -- "an append is running", visible in pg_locks before the transaction has an id
        PERFORM pg_advisory_xact_lock_shared(${LOCK_APPENDING}, events_oid);
        PERFORM pg_advisory_lock(${LOCK_ALLOCATING}, events_oid);
        PERFORM pg_current_xact_id();
        first_position := nextval(${escapeLiteral(`${s}.events_position`)});
        IF how_many > 1 THEN
          PERFORM setval(${escapeLiteral(`${s}.events_position`)}, first_position + how_many - 1);
        END IF;
        PERFORM pg_advisory_unlock(${LOCK_ALLOCATING}, events_oid);
        recorded := date_trunc('milliseconds', clock_timestamp());

        INSERT INTO ${s}.events (position, stream_id, revision, event_id, type, data, occurred_at, recorded_at)
        SELECT first_position + w.i - 1, w.stream_id, w.revision, w.event_id, w.type, w.data::json, w.occurred_at, recorded
          FROM unnest(stream_ids, revisions, event_ids, types, datas, occurred_ats)
               WITH ORDINALITY AS w (stream_id, revision, event_id, type, data, occurred_at, i);

        -- delivered at commit, to every LISTENer of the channel (postgres-notifications.ts)
        PERFORM pg_notify(channel, json_build_object('position', first_position + how_many - 1, 'count', how_many)::text);
        RETURN first_position;
      END
      $fn$;
    `,
  },
];
