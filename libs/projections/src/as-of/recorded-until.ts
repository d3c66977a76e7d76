import type { EventStore, ReadAllOptions, StoredEvent } from '@journeyline/event-store';
import { LogView } from './log-view';

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

  constructor(
    store: EventStore,
    asOf: Date,
    private readonly from = 0,
  ) {
    super(store, 'the log as of a past moment is read-only');
    this.name = `${store.name}@${asOf.toISOString()}`;
    this.until = asOf.toISOString();
    this.ordered = store.name === 'sqlite';
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
        if (this.includes(event)) found.push(event);
        else if (this.ordered) return found;
        if (found.length === limit) return found;
      }
      position = page[page.length - 1].position;
    }
    return found;
  }
}
