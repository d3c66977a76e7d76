import type { AppendResult, EventStore, EventStoreHealth, ReadAllOptions, ReadStreamOptions, StoredEvent } from '@journeyline/event-store';

/**
 * A read-only view of part of the log, for a projector replaying it (RecordedUntil: the log as it
 * was at a moment; LogPrefix: a step of the snapshot ladder). A view says which events of the
 * underlying log are in it (`includes`) and how the log reads in position order (`readAll`);
 * streams and event ids read through it see only the events in it.
 */
export abstract class LogView implements EventStore {
  abstract readonly name: string;

  constructor(
    protected readonly store: EventStore,
    /** What an append is told. */
    private readonly readOnly: string,
  ) {}

  /** Whether an event of the underlying log is in this view. */
  protected abstract includes(event: StoredEvent): boolean;

  abstract readAll(options: ReadAllOptions): Promise<StoredEvent[]>;

  async readStream(streamId: string, options?: ReadStreamOptions): Promise<StoredEvent[]> {
    return (await this.store.readStream(streamId, options)).filter((e) => this.includes(e));
  }

  async findByEventIds(eventIds: string[]): Promise<Map<string, StoredEvent>> {
    const found = await this.store.findByEventIds(eventIds);
    return new Map([...found].filter(([, e]) => this.includes(e)));
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
    return Promise.reject(new Error(this.readOnly));
  }

  async close(): Promise<void> {
    // the underlying store is not ours to close
  }
}
