import type { CustomerState } from '@journeyline/journey';

export interface CachedCustomerState {
  /** The stream revision `state` has folded up to (-1: no events). */
  revision: number;
  state: CustomerState;
}

/**
 * Folded customer states of the streams a writer touched lately (least recently used dropped
 * first), so that the next command for the same customer reads only the events appended since
 * instead of the whole stream. Never stale in a way that matters: a state is a fold of a prefix
 * of an append-only stream, and the writer always reads the rest of the stream after it; the
 * expected revision of the append still guards against a concurrent writer.
 */
export class CustomerStateCache {
  private readonly entries = new Map<string, CachedCustomerState>();

  /** `capacity` customers; a folded state is a few KiB. */
  constructor(readonly capacity = 10_000) {}

  get(streamId: string): CachedCustomerState | undefined {
    const entry = this.entries.get(streamId);
    if (entry) {
      this.entries.delete(streamId);
      this.entries.set(streamId, entry);
    }
    return entry;
  }

  set(streamId: string, revision: number, state: CustomerState): void {
    const known = this.entries.get(streamId);
    if (known && known.revision > revision) return; // a later fold is already here
    this.entries.delete(streamId);
    this.entries.set(streamId, { revision, state });
    if (this.entries.size > this.capacity) this.entries.delete(this.entries.keys().next().value!);
  }

  get size(): number {
    return this.entries.size;
  }
}
