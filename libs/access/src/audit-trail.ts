import { randomUUID } from 'node:crypto';
import type { EventStore, NewEvent } from '@journeyline/event-store';

/**
 * Who did what that matters for trust: keys made, rotated and revoked, customers erased and
 * exported, projections rebuilt, dashboard sign-ins. Each is an event of its own in the stream
 * `journeyline-audit` (never a customer stream, so no projection counts it), appended in the same
 * atomic call as the change it records where there is one. Admins read it at GET /api/v1/audit.
 */
export const AUDIT_STREAM = 'journeyline-audit';

export const AUDIT_ACTIONS = [
  'key.created',
  'key.rotated',
  'key.revoked',
  'customer.erased',
  'customer.exported',
  'customer.merged',
  'customer.unmerged',
  'survey.defined',
  'survey.key-rotated',
  'touchpoint.registered',
  'projections.rebuilt',
  'session.started',
  'events.imported',
  'events.exported',
  'customers.exported',
  'target.set',
  'target.removed',
  'definitions.changed',
] as const;
export type AuditAction = (typeof AUDIT_ACTIONS)[number];

/** Who acted: a key (by id and name), or a person at the command line. */
export interface Actor {
  keyId: string | null;
  name: string;
}

export interface AuditEntry {
  id: string;
  action: AuditAction;
  at: string;
  actor: Actor;
  /** What it was done to: a key id, a customer id. */
  subject: string | null;
  details: Record<string, unknown>;
}

export interface AuditPage {
  items: AuditEntry[];
  /** Revision to read below for the next (older) page; null on the last. */
  before: number | null;
}

export function auditEvent(action: AuditAction, actor: Actor, subject: string | null, details: Record<string, unknown> = {}, at = new Date()): NewEvent {
  return { eventId: randomUUID(), type: action, occurredAt: at.toISOString(), data: { actor: { keyId: actor.keyId, name: actor.name }, subject, details } };
}

export class AuditTrail {
  constructor(private readonly store: EventStore) {}

  async record(action: AuditAction, actor: Actor, subject: string | null, details: Record<string, unknown> = {}): Promise<void> {
    await this.store.append([{ streamId: AUDIT_STREAM, expectedRevision: 'any', events: [auditEvent(action, actor, subject, details)] }]);
  }

  /** Newest first: `limit` entries recorded before revision `before` (null: from the newest). */
  async page(before: number | null, limit: number): Promise<AuditPage> {
    const end = before ?? (await this.store.streamRevision(AUDIT_STREAM)) + 1;
    const from = Math.max(0, end - limit);
    if (end <= 0) return { items: [], before: null };
    const events = await this.store.readStream(AUDIT_STREAM, { fromRevision: from, limit: end - from });
    const items = events.reverse().map((event): AuditEntry => {
      const data = event.data as { actor?: Actor; subject?: string | null; details?: Record<string, unknown> };
      return {
        id: event.eventId,
        action: event.type as AuditAction,
        at: event.recordedAt,
        actor: data.actor ?? { keyId: null, name: 'unknown' },
        subject: data.subject ?? null,
        details: data.details ?? {},
      };
    });
    return { items, before: from > 0 ? from : null };
  }
}
