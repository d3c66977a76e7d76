import type { EventStore } from '@journeyline/event-store';
import type { CustomerCommand } from '@journeyline/journey';
import { BatchRejectedError, causedBy, EventIdReusedError, recordCustomerEvents, type RecordedEvent, type RecordOptions } from './record-customer-events';

/** A command that was not recorded, and why; the sources turn these into dead letters or reject lines. */
export interface SetAside {
  /** Its index in the commands given. */
  index: number;
  reason: 'journey-rule' | 'event-id-reused';
  /** The journey rule broken, for `journey-rule`. */
  rule?: string;
  detail: string;
}

export interface RecordedOrSetAside {
  /** In the order given; null where the command was set aside. */
  recorded: (RecordedEvent | null)[];
  setAside: SetAside[];
}

/** Re-reads allowed when a rule violation turns out to be a concurrent writer's doing. */
const MAX_RACE_RETRIES = 3;

/**
 * The policy of the sources that must not refuse a whole batch for one bad event (a Kafka
 * partition batch, an imported file): record the commands with one atomic `recordCustomerEvents`
 * call; when it refuses some of them (a journey rule, an eventId reused with another body), set
 * those aside and record the rest again, until everything left is recorded. eventIds make the
 * repeats harmless. A violation by an event that is stored by now is another writer's doing (a
 * rebalance's previous owner, a second import): decided again, not set aside.
 *
 * Any other error (store unavailable, a concurrent writer after all retries, a bug) is thrown:
 * the caller retries later and never sets a command aside for it.
 */
export async function recordOrSetAside(store: EventStore, commands: readonly CustomerCommand[], options: RecordOptions): Promise<RecordedOrSetAside> {
  const setAside: SetAside[] = [];
  let pending = commands.map((command, index) => ({ command, index }));
  let raceRetries = 0;
  for (;;) {
    if (pending.length === 0) return { recorded: commands.map(() => null), setAside: byIndex(setAside) };
    try {
      const results = await recordCustomerEvents(
        store,
        pending.map((p) => p.command),
        options,
      );
      const recorded: (RecordedEvent | null)[] = commands.map(() => null);
      pending.forEach((p, i) => (recorded[p.index] = results[i]));
      return { recorded, setAside: byIndex(setAside) };
    } catch (error) {
      if (error instanceof BatchRejectedError) {
        const storedMeanwhile = await store.findByEventIds(error.violations.map((v) => v.eventId));
        const refused = new Set<number>();
        for (const violation of error.violations) {
          if (storedMeanwhile.has(violation.eventId)) continue;
          refused.add(violation.index);
          setAside.push({ index: pending[violation.index].index, reason: 'journey-rule', rule: violation.rule, detail: violation.reason });
        }
        if (refused.size === 0 && ++raceRetries > MAX_RACE_RETRIES) throw error;
        pending = pending.filter((_, i) => !refused.has(i));
        continue;
      }
      if (error instanceof EventIdReusedError) {
        const culprit = pending[error.index];
        // cannot tell which command: retry later rather than set the wrong one aside
        if (!culprit || !causedBy(culprit.command, error.eventId)) throw error;
        setAside.push({ index: culprit.index, reason: 'event-id-reused', detail: error.message });
        pending = pending.filter((_, i) => i !== error.index);
        continue;
      }
      throw error;
    }
  }
}

function byIndex(setAside: SetAside[]): SetAside[] {
  return setAside.sort((a, b) => a.index - b.index);
}
