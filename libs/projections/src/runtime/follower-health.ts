import type { EventStoreHealth } from '@journeyline/event-store';
import type { RunFailure } from './coalesced-run';
import type { ParkedSummary } from './parked-events';

/** How far one thing that follows the log has got: a projection, the churn-risk process, the outbound publisher. */
export interface FollowerState {
  name: string;
  position: number;
}

/** A runner of followers (the projector runs every projection) and its failure streak, if any. */
export interface RunnerState {
  name: string;
  lastFailure: RunFailure | null;
}

export interface FollowerHealth {
  status: 'ok' | 'degraded';
  /** One sentence per problem, each saying what to do. Empty when ok. */
  reasons: string[];
  storeWritable: boolean;
  parked: ParkedSummary[];
  failing: { component: string; since: string; error: string }[];
}

/**
 * Whether the followers tell the truth about the log: degraded when events are parked, when a
 * follower keeps failing (it retries on its own, but meanwhile falls behind), when one lags the
 * log by more than `maxLag` events, or when the store takes no writes. The server's and the
 * worker's `/health` both answer from this.
 */
export function assessFollowers(input: {
  store: EventStoreHealth;
  followers: readonly FollowerState[];
  runners: readonly RunnerState[];
  parked: readonly ParkedSummary[];
  maxLag: number;
}): FollowerHealth {
  const { store, followers, runners, parked, maxLag } = input;
  const reasons: string[] = [];
  const storeWritable = store.writable !== false;
  if (!storeWritable) reasons.push(`the event store takes no writes: ${store.writeDetail ?? 'appends fail'}; ingestion answers 503 until it does`);
  for (const summary of parked) {
    const latest = summary.latest[0];
    reasons.push(
      `${summary.component} has ${summary.count} parked event(s)${latest ? ` (latest ${latest.eventId} at position ${latest.position}: ${latest.error})` : ''}; ` +
        'fix the cause, then run `journeyline retry-parked`',
    );
  }
  const failing = runners
    .filter((r) => r.lastFailure)
    .map((r) => ({ component: r.name, since: r.lastFailure!.since.toISOString(), error: r.lastFailure!.error }));
  for (const f of failing) reasons.push(`${f.component} has been failing since ${f.since}: ${f.error}; it retries on its own`);
  for (const f of followers) {
    const lag = Math.max(0, store.position - f.position);
    if (lag > maxLag) reasons.push(`${f.name} lags the log by ${lag} events (more than JOURNEYLINE_HEALTH_MAX_LAG=${maxLag})`);
  }
  return { status: reasons.length > 0 ? 'degraded' : 'ok', reasons, storeWritable, parked: [...parked], failing };
}
