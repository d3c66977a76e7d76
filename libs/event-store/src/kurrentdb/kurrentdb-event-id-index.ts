import { randomUUID } from 'node:crypto';
import type { PlannedWrite } from '../append-plan';
import type { StoredEvent } from '../event-store.port';
import { StreamRevisionConflict, type KurrentDbConnection, type RecordedEvent } from './kurrentdb-connection';
import { toStoredEvent, type StreamNames } from './kurrentdb-records';

/**
 * Which stream and revision hold an eventId, for ever (KurrentDB itself recognises a repeated
 * event id only on the same stream, within a short window). One index stream per eventId holds
 * claims `{eventId, streamId, revision}`, written before the event: the claim stream's expected
 * revision is where two writers of one eventId meet. A claim counts only once its event is in the
 * stream at the claimed revision, so a writer that dies between claim and append stores nothing.
 */

/** A claim: "this eventId is (being) stored at this stream and revision". */
const CLAIM_TYPE = 'journeyline.event-id-claimed';
/** Claims read back per look-up: older ones matter only after writers died between claim and append. */
const CLAIMS_CHECKED = 8;

export interface Lookup {
  eventId: string;
  /** Revision of the eventId's index stream (-1n when it has none): what a new claim must expect. */
  indexRevision: bigint;
  stored?: StoredEvent;
  /** The newest claim, when no claim is confirmed by the event being in its stream. */
  pending?: { claimId: string; created: Date };
}

/** What one append call remembers across its plans. */
export interface AppendCall {
  /** eventIds this call stored in an earlier plan: they come back as stored, yet are not duplicates. */
  written: Set<string>;
  /** Ids of the claim records this call wrote. */
  claims: Set<string>;
  /** When this call first saw each unconfirmed claim of another writer. */
  pendingSeen: Map<string, number>;
}

/** Plan again: a concurrent append moved a stream or claimed an eventId since this plan was made. */
export class PlanAgain extends Error {
  constructor(
    reason: string,
    readonly waitMs: number,
    /** False for waits bounded by time anyway (claims in flight): they do not use up attempts. */
    readonly counts = true,
  ) {
    super(reason);
  }
}

export class EventIdIndex {
  constructor(
    private readonly connection: KurrentDbConnection,
    private readonly names: StreamNames,
    private readonly claimGraceMs: number,
    private readonly concurrency: number,
  ) {}

  /** What the index says about each eventId, confirmed against the streams. */
  async lookUp(eventIds: string[]): Promise<Lookup[]> {
    return mapEach(eventIds, this.concurrency, async (eventId): Promise<Lookup> => {
      const claims = await this.connection.readStream(this.names.eventIdStream(eventId), {
        from: 'end',
        direction: 'backwards',
        maxCount: CLAIMS_CHECKED,
      });
      if (claims.length === 0) return { eventId, indexRevision: -1n };
      const indexRevision = claims[0].revision;
      for (const claim of claims) {
        const stored = await this.confirm(eventId, claim);
        if (stored) return { eventId, indexRevision, stored };
      }
      return { eventId, indexRevision, pending: { claimId: claims[0].id, created: claims[0].created } };
    });
  }

  /**
   * An unconfirmed claim by another writer may be an append in flight: give it `claimGraceMs` to
   * land (PlanAgain) before a new claim takes it over.
   */
  waitForClaimsInFlight(lookups: Lookup[], call: AppendCall): void {
    const now = Date.now();
    for (const { eventId, pending } of lookups) {
      if (!pending || call.claims.has(pending.claimId)) continue;
      const seenAt = call.pendingSeen.get(pending.claimId) ?? now;
      call.pendingSeen.set(pending.claimId, seenAt);
      // The shorter wait of the two clocks: a skewed server clock cannot hold an append for long.
      const age = Math.max(now - pending.created.getTime(), now - seenAt);
      if (age < this.claimGraceMs) {
        throw new PlanAgain(`event id ${eventId} is being appended by another writer`, Math.min(25, this.claimGraceMs - age), false);
      }
    }
  }

  /** Claims every written eventId where the look-up saw its index stream; PlanAgain if another writer got there first. */
  async claim(writes: PlannedWrite[], lookups: Lookup[], call: AppendCall): Promise<void> {
    const indexRevisions = new Map(lookups.map((lookup) => [lookup.eventId, lookup.indexRevision]));
    const outcomes = await settleEach(writes, this.concurrency, async (write) => {
      const claimId = randomUUID();
      const indexRevision = indexRevisions.get(write.eventId) ?? -1n;
      await this.connection.append(
        this.names.eventIdStream(write.eventId),
        [{ id: claimId, type: CLAIM_TYPE, data: { eventId: write.eventId, streamId: write.streamId, revision: write.revision }, metadata: {} }],
        indexRevision < 0n ? 'no_stream' : indexRevision,
      );
      call.claims.add(claimId);
    });
    const failures = outcomes.filter((outcome): outcome is PromiseRejectedResult => outcome.status === 'rejected');
    const other = failures.find((failure) => !(failure.reason instanceof StreamRevisionConflict));
    if (other) throw other.reason;
    if (failures.length > 0) throw new PlanAgain('another writer claimed one of the event ids', jitter(5));
  }

  /** The event a claim points at, if it is there and is that eventId. */
  private async confirm(eventId: string, claim: RecordedEvent): Promise<StoredEvent | null> {
    const target = claim.data as { streamId?: unknown; revision?: unknown } | null;
    if (typeof target?.streamId !== 'string' || !Number.isSafeInteger(target.revision)) return null;
    const revision = BigInt(target.revision as number);
    const [event] = await this.connection.readStream(this.names.stream(target.streamId), { from: revision, direction: 'forwards', maxCount: 1 });
    if (event === undefined || event.revision !== revision) return null;
    const stored = toStoredEvent(event, target.streamId);
    return stored.eventId === eventId ? stored : null;
  }
}

/** `work` on every item, at most `limit` at once; every outcome, in item order. */
export async function settleEach<T, R>(items: T[], limit: number, work: (item: T) => Promise<R>): Promise<PromiseSettledResult<R>[]> {
  const results: PromiseSettledResult<R>[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      try {
        results[i] = { status: 'fulfilled', value: await work(items[i]) };
      } catch (reason) {
        results[i] = { status: 'rejected', reason };
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

/** Like settleEach, throwing the first failure. */
export async function mapEach<T, R>(items: T[], limit: number, work: (item: T) => Promise<R>): Promise<R[]> {
  const outcomes = await settleEach(items, limit, work);
  const failed = outcomes.find((outcome): outcome is PromiseRejectedResult => outcome.status === 'rejected');
  if (failed) throw failed.reason;
  return outcomes.map((outcome) => (outcome as PromiseFulfilledResult<R>).value);
}

/** A short, randomised wait, so writers that collided do not collide again in step. */
export function jitter(baseMs: number): number {
  return baseMs + Math.floor(Math.random() * baseMs * 4);
}
