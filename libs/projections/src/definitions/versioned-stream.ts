import { randomUUID } from 'node:crypto';
import { WrongExpectedRevisionError, type EventStore, type NewEvent } from '@journeyline/event-store';

/** A version as read back from its stream: what was decided, and when the store recorded it. */
export type Recorded<E> = E & { recordedAt: string };

export interface VersionedStreamOptions<E> {
  streamId: string;
  eventType: string;
  /** The event's data read back; null for anything else (left out). */
  read(data: unknown): E | null;
  /**
   * How long what was read stays fresh before a read looks at the stream again (default 1 s):
   * this process sees its own changes at once, another process's within that time.
   */
  refreshMs?: number;
  clock?: () => number;
}

/**
 * A small stream of numbered versions (the metric parameters, the churn-risk rules), folded in
 * memory from where it was last read, and appended to with the stream's expected revision, so two
 * admins (or two starting processes) never take the same number: the one that loses the race
 * reads again and decides again.
 */
export class VersionedStream<E extends { version: number }> {
  private readonly versions: Recorded<E>[] = [];
  private revision = -1;
  private refreshing: Promise<void> | null = null;
  private freshUntil = 0;
  private readonly clock: () => number;

  constructor(
    private readonly store: EventStore,
    private readonly options: VersionedStreamOptions<E>,
  ) {
    this.clock = options.clock ?? Date.now;
  }

  /** Every version, oldest first (as of the last read: call `refresh` first). */
  get known(): readonly Recorded<E>[] {
    return this.versions;
  }

  /** Reads what was appended since the last read when that read is older than `refreshMs` (or always, `force`). */
  async refresh(force = false): Promise<void> {
    if (!force && this.clock() < this.freshUntil) return;
    this.refreshing ??= this.readNewEvents().finally(() => (this.refreshing = null));
    await this.refreshing;
  }

  /**
   * Decides on the versions known and appends what it decides (with `alongside` events of other
   * streams, an audit entry say, in the same atomic append); a race with another writer re-reads
   * and decides again. Returns the version recorded (null: nothing to record) and its position.
   */
  async record(
    decide: (versions: readonly Recorded<E>[]) => E[],
    alongside: (event: E) => { streamId: string; events: NewEvent[] }[] = () => [],
  ): Promise<{ recorded: Recorded<E> | null; position: number | null }> {
    for (let attempt = 1; ; attempt++) {
      await this.refresh(true);
      const [decided] = decide(this.versions);
      if (!decided) return { recorded: null, position: null };
      try {
        const result = await this.store.append([
          {
            streamId: this.options.streamId,
            expectedRevision: this.revision < 0 ? 'no_stream' : this.revision,
            events: [{ eventId: randomUUID(), type: this.options.eventType, occurredAt: new Date().toISOString(), data: { ...decided } }],
          },
          ...alongside(decided).map((other) => ({ ...other, expectedRevision: 'any' as const })),
        ]);
        await this.refresh(true);
        return { recorded: this.versions.find((v) => v.version === decided.version) ?? null, position: result.events[0].position };
      } catch (error) {
        if (!(error instanceof WrongExpectedRevisionError) || attempt >= 8) throw error;
      }
    }
  }

  private async readNewEvents(): Promise<void> {
    const started = this.clock();
    for (;;) {
      const events = await this.store.readStream(this.options.streamId, { fromRevision: this.revision + 1, limit: 1000 });
      for (const event of events) {
        const version = event.type === this.options.eventType ? this.options.read(event.data) : null;
        if (version) this.versions.push({ ...version, recordedAt: event.recordedAt });
        this.revision = event.revision;
      }
      if (events.length < 1000) break;
    }
    this.freshUntil = started + (this.options.refreshMs ?? 1000);
  }
}
