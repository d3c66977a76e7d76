import { randomUUID } from 'node:crypto';
import { AUDIT_STREAM, auditEvent, type Actor } from '@journeyline/access';
import { WrongExpectedRevisionError, type EventStore, type StoredEvent } from '@journeyline/event-store';
import {
  checkTarget,
  foldTargets,
  readTargetEvent,
  TARGETS_STREAM,
  targetForScope,
  type Target,
  type TargetEvent,
  type TargetIssue,
  type TargetRequest,
} from '@journeyline/journey';

export class TargetInputError extends Error {
  constructor(readonly issues: TargetIssue[]) {
    super(issues.map((i) => `${i.field}: ${i.reason}`).join('; '));
    this.name = 'TargetInputError';
  }
}

/**
 * The targets, read from and written to their stream (`journeyline-targets`): each change one
 * event appended with the stream's expected revision, beside its audit entry in the same atomic
 * append. Targets are few, so every call folds the whole stream: what it answers is never stale.
 */
export class TargetBook {
  constructor(private readonly store: EventStore) {}

  async list(): Promise<Target[]> {
    const { targets } = await this.read();
    return [...targets.values()].sort(
      (a, b) => a.metric.localeCompare(b.metric) || a.scope.kind.localeCompare(b.scope.kind) || (a.scope.value ?? '').localeCompare(b.scope.value ?? ''),
    );
  }

  /** Sets a target; one already set for the metric and scope is replaced (it keeps its id). */
  async set(request: TargetRequest, actor: Actor): Promise<Target> {
    const checked = checkTarget(request);
    if ('issues' in checked) throw new TargetInputError(checked.issues);
    return this.retrying(async () => {
      const { targets, revision } = await this.read();
      const existing = targetForScope(targets.values(), checked.target.metric, checked.target.scope);
      const target: Target = { targetId: existing?.targetId ?? randomUUID().slice(0, 12), ...checked.target };
      await this.append(revision, 'TargetSet', { ...target }, auditEvent('target.set', actor, target.targetId, { ...target, replaced: existing !== null }));
      return target;
    });
  }

  /** Removes a target; false when there is none by that id. */
  async remove(targetId: string, actor: Actor): Promise<boolean> {
    return this.retrying(async () => {
      const { targets, revision } = await this.read();
      const target = targets.get(targetId);
      if (!target) return false;
      await this.append(revision, 'TargetRemoved', { targetId }, auditEvent('target.removed', actor, targetId, { ...target }));
      return true;
    });
  }

  private async append(revision: number, type: TargetEvent['type'], data: Record<string, unknown>, audit: ReturnType<typeof auditEvent>): Promise<void> {
    await this.store.append([
      {
        streamId: TARGETS_STREAM,
        expectedRevision: revision < 0 ? 'no_stream' : revision,
        events: [{ eventId: randomUUID(), type, occurredAt: new Date().toISOString(), data }],
      },
      { streamId: AUDIT_STREAM, expectedRevision: 'any', events: [audit] },
    ]);
  }

  private async retrying<T>(work: () => Promise<T>): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await work();
      } catch (error) {
        if (!(error instanceof WrongExpectedRevisionError) || attempt >= 5) throw error;
      }
    }
  }

  private async read(): Promise<{ targets: Map<string, Target>; revision: number }> {
    const events: StoredEvent[] = [];
    for (;;) {
      const page = await this.store.readStream(TARGETS_STREAM, { fromRevision: events.length, limit: 1000 });
      events.push(...page);
      if (page.length < 1000) break;
    }
    const targetEvents = events.map((e) => readTargetEvent(e.type, e.data)).filter((e): e is TargetEvent => e !== null);
    return { targets: foldTargets(targetEvents), revision: events.length - 1 };
  }
}
