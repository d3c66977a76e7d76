import type { EventStore, ReadAllOptions, StoredEvent } from '@journeyline/event-store';
import { LogView } from './log-view';

/** Whether `store` records its events in position order (SQLite: the adapter never records an event before the last one), so the first event recorded after a moment ends what was known then. */
export function recordedInPositionOrder(store: EventStore): boolean {
  return store.name === 'sqlite';
}

/**
 * The log as it was at `asOf`: only the events recorded by then (their `recordedAt`), whenever
 * they occurred, read-only. A projector reading it builds the read models Journeyline had at that
 * moment, which is what every as-of answer must equal.
 *
 * `from` skips the positions before it in `readAll` (a replay of one recorded day starts at that
 * day's first position); streams read whole, as they were. On SQLite recorded times rise with the position (the adapter never records an event
 * before the last one), so the read stops at the first event recorded after `asOf`; on other
 * stores it filters to the head.
 */
export class RecordedUntil extends LogView {
  readonly name: string;
  private readonly until: string;
  private readonly ordered: boolean;
  /** Events of the underlying log read, for the answer's "how much was replayed". */
  eventsRead = 0;
  /** The last position read back (in the view), and the latest recordedAt among the events read back (ISO; '' when none). */
  private lastIncluded: number;
  private latestRecorded = '';
  /** The first position read and left out (recorded after `asOf`). */
  private firstExcluded = Infinity;

  constructor(
    store: EventStore,
    asOf: Date,
    private readonly from = 0,
  ) {
    super(store, 'the log as of a past moment is read-only');
    this.name = `${store.name}@${asOf.toISOString()}`;
    this.until = asOf.toISOString();
    this.ordered = recordedInPositionOrder(store);
    this.lastIncluded = Math.max(from - 1, 0);
  }

  /**
   * What a projector that read this view from `from` on (having applied every event before `from`
   * already) now holds, when that is a prefix of the log: every event up to `position` and none
   * after, the latest of them recorded at `recordedUntil` (read back here; '' when none was). Null
   * when a late event was left out before the last one read back (on a store whose recorded times
   * do not rise with the position): then the replayed read models are no prefix of the log.
   */
  prefixApplied(): { position: number; recordedUntil: string } | null {
    return this.firstExcluded > this.lastIncluded ? { position: this.lastIncluded, recordedUntil: this.latestRecorded } : null;
  }

  protected includes(event: StoredEvent): boolean {
    return new Date(event.recordedAt).toISOString() <= this.until;
  }

  async readAll({ after, limit }: ReadAllOptions): Promise<StoredEvent[]> {
    const found: StoredEvent[] = [];
    let position = Math.max(after, this.from - 1);
    while (found.length < limit) {
      const page = await this.store.readAll({ after: position, limit: Math.max(limit, 1000) });
      if (page.length === 0) return found;
      for (const event of page) {
        this.eventsRead++;
        const recordedAt = new Date(event.recordedAt).toISOString();
        if (recordedAt <= this.until) {
          found.push(event);
          this.lastIncluded = event.position;
          if (recordedAt > this.latestRecorded) this.latestRecorded = recordedAt;
        } else {
          this.firstExcluded = Math.min(this.firstExcluded, event.position);
          if (this.ordered) return found;
        }
        if (found.length === limit) return found;
      }
      position = page[page.length - 1].position;
    }
    return found;
  }
}
