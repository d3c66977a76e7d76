import type { EventStore, ReadAllOptions, StoredEvent } from '@journeyline/event-store';
import { LogView } from './log-view';

/**
 * The log after `after` up to its `count`th event, read-only: what a step of the as-of snapshot
 * ladder replays. Once `count` events are read, `through` is the last one's position and nothing
 * after it is read again; `recordedUntil` is the latest recordedAt among them (on PostgreSQL
 * recorded times need not rise with the position, hence the maximum). Streams are read up to the
 * last event read (the journey map refolds a customer from their stream up to its checkpoint).
 */
export class LogPrefix extends LogView {
  readonly name: string;
  /** Events read (each position once, however often the projector reads it again). */
  eventsRead = 0;
  /** The position of the `count`th event, once read. */
  through: number | null = null;
  /** The last position read. */
  lastPosition: number;
  /** The latest recordedAt of the events read (ISO, '' before any). */
  recordedUntil = '';
  private stopped = false;

  constructor(
    store: EventStore,
    after: number,
    private readonly count: number,
  ) {
    super(store, 'a prefix of the log is read-only');
    this.name = `${store.name}@${after}+${count}`;
    this.lastPosition = after;
  }

  /** Reads nothing more: a projector following it ends its catch-up at its next read. */
  stop(): void {
    this.stopped = true;
  }

  async readAll({ after, limit }: ReadAllOptions): Promise<StoredEvent[]> {
    if (this.stopped || (this.through !== null && after >= this.through)) return [];
    // reading on from the last event read, no more than the events still wanted
    const wanted = this.through === null && after >= this.lastPosition ? Math.min(limit, this.count - this.eventsRead) : limit;
    const page = await this.store.readAll({ after, limit: wanted });
    const found: StoredEvent[] = [];
    for (const event of page) {
      if (this.through !== null && event.position > this.through) break;
      found.push(event);
      if (event.position > this.lastPosition) {
        this.lastPosition = event.position;
        this.eventsRead++;
        const recordedAt = new Date(event.recordedAt).toISOString();
        if (recordedAt > this.recordedUntil) this.recordedUntil = recordedAt;
        if (this.eventsRead === this.count) this.through = event.position;
      }
    }
    return found;
  }

  protected includes(event: StoredEvent): boolean {
    return event.position <= this.lastPosition;
  }

  override async headPosition(): Promise<number> {
    return this.through ?? (await this.store.headPosition());
  }
}
