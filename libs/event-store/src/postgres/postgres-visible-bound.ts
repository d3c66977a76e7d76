/**
 * Which events a reader may hand out without ever skipping one that commits later.
 *
 * Positions are taken before commit, so position 11 may commit while 10 is still in flight; a
 * reader that handed out 11 and moved its checkpoint past it would never see 10. As Marten,
 * Emmett and transactional outboxes do, every event carries the id of the transaction that wrote
 * it, and a reader only hands out events of transactions older than every append still running:
 * those have all ended, so nothing can appear among them any more. Two refinements over the plain
 * `transaction_id < pg_snapshot_xmin(pg_current_snapshot())`:
 *
 *  - positions follow transaction-id order: append_events() takes its transaction id and its
 *    positions under one advisory lock (postgres-event-store.schema.ts). With a plain sequence a
 *    younger transaction can hold an older position, and xmin alone then lets a reader skip it
 *    (measured: 1-2 % of events lost with 24 concurrent writers);
 *  - only appends hold readers back. xmin counts every write transaction of every database in the
 *    cluster, so a slow read-model transaction or a forgotten psql session elsewhere would stall
 *    every follower. Appends hold a shared advisory lock from before they have a transaction id
 *    until they end: a reader first lists them in pg_locks (`RUNNING_APPENDS_SQL`, its own
 *    statement), then, in the statement that reads events, bounds its snapshot by the oldest of
 *    them or by any transaction younger than that look (it may be an append that started in
 *    between) (`visibleBound`).
 */

/** What the reader learnt about running appends just before it reads. */
export interface RunningAppends {
  /** Every transaction id assigned after the look (and so every append starting later) is at least this. */
  horizon: string;
  /** Transaction ids of appends running at the look. */
  xids: string[];
  /** Appends running at the look whose transaction id was not visible yet. */
  unknown: number;
}

/**
 * First half of a safe read: which appends are running right now. Must run as its own statement
 * *before* the statement that reads events, so that any append missing from this list gets its
 * transaction id after this look, and so at or above `horizon`. One read of pg_locks (materialized)
 * so the advisory locks and the transaction-id locks come from the same instant.
 * Parameters: $1 the APPENDING lock class, $2 the events table (regclass text).
 */
export const RUNNING_APPENDS_SQL = `WITH locks AS MATERIALIZED (
     SELECT locktype, database, classid, objid, objsubid, pid, transactionid, mode, granted FROM pg_locks
   ), appends AS (
     SELECT DISTINCT pid FROM locks
      WHERE locktype = 'advisory' AND granted AND classid = $1::integer::oid AND objid = $2::regclass::oid AND objsubid = 2
        AND database = (SELECT oid FROM pg_database WHERE datname = current_database())
   )
   SELECT pg_snapshot_xmax(pg_current_snapshot())::text AS horizon,
          coalesce(array_agg(x.transactionid::text) FILTER (WHERE x.transactionid IS NOT NULL), '{}') AS xids,
          (count(*) FILTER (WHERE x.transactionid IS NULL))::integer AS unknown
     FROM appends a
     LEFT JOIN locks x ON x.pid = a.pid AND x.locktype = 'transactionid' AND x.mode = 'ExclusiveLock' AND x.granted`;

/**
 * Second half of a safe read, as a scalar subquery over the statement's own snapshot: events of
 * transactions below this bound are all committed or rolled back, and no running or future
 * append can take a position below theirs. The bound is the oldest transaction still running that
 * may be an append (one listed by `RUNNING_APPENDS_SQL`, or one that got its id after that look), else
 * the snapshot's xmax. When an append was seen without a visible transaction id (it is between
 * taking the lock and taking its id), fall back to xmin: the plain technique, for this one read.
 * Placeholders $n, $n+1, $n+2: unknown, horizon, xids.
 */
export function visibleBound(n: number): string {
  return `(SELECT CASE WHEN $${n}::integer > 0 THEN pg_snapshot_xmin(snap)
            ELSE LEAST(pg_snapshot_xmax(snap),
                       (SELECT min(x) FROM pg_snapshot_xip(snap) AS x WHERE x >= $${n + 1}::xid8 OR x::xid = ANY($${n + 2}::xid[])))
            END
       FROM (SELECT pg_current_snapshot() AS snap) AS current)`;
}
