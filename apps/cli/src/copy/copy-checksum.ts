import { createHash, type Hash } from 'node:crypto';
import type { EventStore, StoredEvent } from '@journeyline/event-store';
import { canonicalJson } from '@journeyline/event-store/canonical-json';

/** How many events and which, in which order: equal digests mean an equal log. */
export interface LogDigest {
  count: number;
  sha256: string;
}

export interface CopyVerification {
  ok: boolean;
  source: LogDigest;
  target: LogDigest;
}

/**
 * The checksum of a copy: SHA-256 over one line per event, in log order, each line the canonical
 * JSON (keys sorted, no spaces) of `{data, eventId, occurredAt, streamId, type}` and a newline.
 * Positions, revisions and recordedAt are left out: each store hands out its own.
 */
export class LogDigester {
  private readonly hash: Hash = createHash('sha256');
  private count = 0;

  add(event: StoredEvent): void {
    const { eventId, streamId, type, data, occurredAt } = event;
    this.hash.update(`${canonicalJson({ data, eventId, occurredAt, streamId, type })}\n`, 'utf8');
    this.count += 1;
  }

  digest(): LogDigest {
    return { count: this.count, sha256: this.hash.digest('hex') };
  }
}

/**
 * Compares the source's events up to `upTo` (in the source's order) with the same events read
 * from the target in the target's own order, ignoring anything else the target holds. Equal
 * digests mean every copied event is in the target, once, with the same stream, type, data and
 * occurredAt, and the target orders them as the source does.
 */
export async function verifyCopy(source: EventStore, target: EventStore, upTo: number, batchSize = 1000): Promise<CopyVerification> {
  const [sourceDigest, targetDigest] = await Promise.all([
    digestLog(source, batchSize, async (page) => page.filter((event) => event.position <= upTo), upTo),
    digestLog(target, batchSize, async (page) => {
      const copied = await source.findByEventIds(page.map((event) => event.eventId));
      return page.filter((event) => {
        const original = copied.get(event.eventId);
        return original !== undefined && original.position <= upTo;
      });
    }),
  ]);
  const ok = sourceDigest.count === targetDigest.count && sourceDigest.sha256 === targetDigest.sha256;
  return { ok, source: sourceDigest, target: targetDigest };
}

async function digestLog(
  store: EventStore,
  batchSize: number,
  keep: (page: StoredEvent[]) => Promise<StoredEvent[]>,
  until = Number.POSITIVE_INFINITY,
): Promise<LogDigest> {
  const digester = new LogDigester();
  for (let after = 0; after < until;) {
    const page = await store.readAll({ after, limit: batchSize });
    if (page.length === 0) break;
    for (const event of await keep(page)) digester.add(event);
    after = page[page.length - 1].position;
  }
  return digester.digest();
}
