import { LRUCache } from 'lru-cache';
import type { CustomerState } from '@journeyline/journey';

export interface CachedCustomerState {
  /** The stream revision `state` has folded up to (-1: no events). */
  revision: number;
  state: CustomerState;
}

/**
 * Folded customer states of the streams a writer touched lately (least recently used dropped
 * first), so that the next command for the same customer reads no events at all (or, after a
 * stale state, only those appended since) instead of the whole stream. Never stale in a way that
 * matters: a state is a fold of a prefix of an append-only stream; the writer decides on it as it
 * is, the append expects exactly its revision, and when another writer appended meanwhile the
 * append fails and the writer reads the rest of the stream and decides again
 * (recordCustomerEvents).
 */
export class CustomerStateCache {
  private readonly entries: LRUCache<string, CachedCustomerState>;

  /** `capacity` customers; a folded state is a few KiB. */
  constructor(readonly capacity = 10_000) {
    this.entries = new LRUCache({ max: capacity });
  }

  get(streamId: string): CachedCustomerState | undefined {
    return this.entries.get(streamId);
  }

  set(streamId: string, revision: number, state: CustomerState): void {
    const known = this.entries.peek(streamId);
    if (known && known.revision > revision) return; // a later fold is already here
    this.entries.set(streamId, { revision, state });
  }

  get size(): number {
    return this.entries.size;
  }
}
