import { randomUUID } from 'node:crypto';
import { AUDIT_STREAM, auditEvent, type Actor } from '@journeyline/access';
import { WrongExpectedRevisionError, type EventStore } from '@journeyline/event-store';
import {
  checkTouchpointRegistration,
  readTouchpointRegistered,
  registerTouchpoint,
  TOUCHPOINT_REGISTERED,
  TOUCHPOINTS_STREAM,
  type TouchpointIssue,
  type TouchpointRegistered,
} from '@journeyline/journey';

export class TouchpointInputError extends Error {
  constructor(readonly issues: TouchpointIssue[]) {
    super(issues.map((i) => `${i.field}: ${i.reason}`).join('; '));
    this.name = 'TouchpointInputError';
  }
}

/** One version of a touchpoint's definition, as its history lists it. */
export interface TouchpointVersion extends TouchpointRegistered {
  registeredAt: string;
}

export interface Registration {
  entry: TouchpointVersion;
  /** False when the definition was already the latest one: nothing was recorded. */
  changed: boolean;
  /** Where the new version sits in the log (read-your-writes); null when nothing was recorded. */
  position: number | null;
}

/**
 * The write side of the touchpoint catalog: `TouchpointRegistered` versions in one stream (a
 * catalog is a few hundred touchpoints; each change is a version), appended with the stream's
 * expected revision so two admins never take the same version, each with its audit entry
 * (`touchpoint.registered`). It folds the stream itself (from where it last read), so the CLI and
 * the history need no projector.
 */
export class TouchpointRegistry {
  private readonly versions = new Map<string, TouchpointVersion[]>();
  private revision = -1;
  private refreshing: Promise<void> | null = null;

  constructor(private readonly store: EventStore) {}

  /** Registers a touchpoint or changes its definition; the same definition again records nothing. */
  async register(touchpoint: unknown, body: unknown, actor: Actor): Promise<Registration> {
    const checked = checkTouchpointRegistration(touchpoint, body);
    if ('issues' in checked) throw new TouchpointInputError(checked.issues);
    const { definition } = checked;
    for (let attempt = 1; ; attempt++) {
      await this.refresh();
      const history = this.versions.get(definition.touchpoint) ?? [];
      const latest = history[history.length - 1] ?? null;
      const [registered] = registerTouchpoint(latest, definition, actor.name);
      if (!registered) return { entry: latest!, changed: false, position: null };
      try {
        const result = await this.store.append([
          {
            streamId: TOUCHPOINTS_STREAM,
            expectedRevision: this.revision < 0 ? 'no_stream' : this.revision,
            events: [{ eventId: randomUUID(), type: TOUCHPOINT_REGISTERED, occurredAt: new Date().toISOString(), data: { ...registered } }],
          },
          {
            streamId: AUDIT_STREAM,
            expectedRevision: 'any',
            events: [auditEvent('touchpoint.registered', actor, definition.touchpoint, { version: registered.version, owner: registered.owner })],
          },
        ]);
        await this.refreshing?.catch(() => undefined);
        await this.refresh();
        const entry = this.versions.get(definition.touchpoint)!.find((v) => v.version === registered.version)!;
        return { entry, changed: true, position: result.events[0].position };
      } catch (error) {
        if (!(error instanceof WrongExpectedRevisionError) || attempt >= 5) throw error;
      }
    }
  }

  /** Every version of a touchpoint's definition, oldest first; empty when it was never registered. */
  async history(touchpoint: string): Promise<TouchpointVersion[]> {
    await this.refresh();
    return [...(this.versions.get(touchpoint) ?? [])];
  }

  /** Every registered touchpoint at its latest version, by touchpoint. */
  async latest(): Promise<TouchpointVersion[]> {
    await this.refresh();
    return [...this.versions.values()].map((versions) => versions[versions.length - 1]).sort((a, b) => (a.touchpoint < b.touchpoint ? -1 : 1));
  }

  /** Reads what was appended since the last read; concurrent callers share one read (a version is folded once). */
  private refresh(): Promise<void> {
    this.refreshing ??= this.readNewEvents().finally(() => (this.refreshing = null));
    return this.refreshing;
  }

  private async readNewEvents(): Promise<void> {
    for (;;) {
      const events = await this.store.readStream(TOUCHPOINTS_STREAM, { fromRevision: this.revision + 1, limit: 1000 });
      for (const event of events) {
        const registered = event.type === TOUCHPOINT_REGISTERED ? readTouchpointRegistered(event.data) : null;
        if (registered) {
          const versions = this.versions.get(registered.touchpoint) ?? [];
          versions.push({ ...registered, registeredAt: event.recordedAt });
          this.versions.set(registered.touchpoint, versions);
        }
        this.revision = event.revision;
      }
      if (events.length < 1000) return;
    }
  }
}
