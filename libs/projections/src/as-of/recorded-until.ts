import type { AppendResult, EventStore, EventStoreHealth, ReadAllOptions, ReadStreamOptions, StoredEvent } from '@journeyline/event-store';

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
export class RecordedUntil implements EventStore {
  readonly name: string;
  private readonly until: string;
  private readonly ordered: boolean;
  /** Events of the underlying log read, for the answer's "how much was replayed". */
  eventsRead = 0;

  constructor(
    private readonly store: EventStore,
    asOf: Date,
    private readonly from = 0,
  ) {
    this.name = `${store.name}@${asOf.toISOString()}`;
    this.until = asOf.toISOString();
    this.ordered = store.name === 'sqlite';
  }

  private recordedBy(event: StoredEvent): boolean {
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
        if (this.recordedBy(event)) found.push(event);
        else if (this.ordered) return found;
        if (found.length === limit) return found;
      }
      position = page[page.length - 1].position;
    }
    return found;
  }

  async readStream(streamId: string, options?: ReadStreamOptions): Promise<StoredEvent[]> {
    return (await this.store.readStream(streamId, options)).filter((e) => this.recordedBy(e));
  }

  async findByEventIds(eventIds: string[]): Promise<Map<string, StoredEvent>> {
    const found = await this.store.findByEventIds(eventIds);
    return new Map([...found].filter(([, e]) => this.recordedBy(e)));
  }

  async streamRevision(streamId: string): Promise<number> {
    const events = await this.readStream(streamId);
    return events.length === 0 ? -1 : events[events.length - 1].revision;
  }

  headPosition(): Promise<number> {
    return this.store.headPosition();
  }

  health(): Promise<EventStoreHealth> {
    return this.store.health();
  }

  append(): Promise<AppendResult> {
    return Promise.reject(new Error('the log as of a past moment is read-only'));
  }

  async close(): Promise<void> {
    // the underlying store is not ours to close
  }
}
