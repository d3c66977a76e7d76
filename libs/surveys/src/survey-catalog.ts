import { randomUUID } from 'node:crypto';
import { AUDIT_STREAM, auditEvent, type Actor } from '@journeyline/access';
import { WrongExpectedRevisionError, type EventStore } from '@journeyline/event-store';
import { checkSurvey, type Survey, type SurveyDefinition, type SurveyIssue } from './survey';

/** Every survey's versions, as `SurveyDefined` events in one stream (surveys are few; each change is a version). */
export const SURVEYS_STREAM = 'journeyline-surveys';

export class SurveyInputError extends Error {
  constructor(readonly issues: SurveyIssue[]) {
    super(issues.map((i) => `${i.field}: ${i.reason}`).join('; '));
    this.name = 'SurveyInputError';
  }
}

/**
 * The surveys, folded from their stream and refreshed at least every second (so a change made by
 * the CLI reaches the server). `define` appends a version; `get` answers the latest version or a
 * named one, so an answer can be told apart by the wording it answered.
 */
export class SurveyCatalog {
  private readonly versions = new Map<string, Survey[]>();
  private revision = -1;
  private refreshedAt = 0;
  private refreshing: Promise<void> | null = null;

  constructor(
    private readonly store: EventStore,
    private readonly refreshMs = 1000,
  ) {}

  refresh(): Promise<void> {
    this.refreshing ??= this.readNewEvents().finally(() => (this.refreshing = null));
    return this.refreshing;
  }

  async list(): Promise<Survey[]> {
    await this.fresh();
    return [...this.versions.values()].map((versions) => versions[versions.length - 1]).sort((a, b) => a.surveyId.localeCompare(b.surveyId));
  }

  /** The latest version, or the one named; null when there is none. */
  async get(surveyId: string, version?: number): Promise<Survey | null> {
    await this.fresh();
    let versions = this.versions.get(surveyId);
    if (!versions || (version !== undefined && version > versions.length)) {
      await this.refresh();
      versions = this.versions.get(surveyId);
    }
    if (!versions) return null;
    return version === undefined ? versions[versions.length - 1] : (versions[version - 1] ?? null);
  }

  /** Every version of a survey, oldest first; empty when there is none. */
  async history(surveyId: string): Promise<Survey[]> {
    await this.get(surveyId);
    return [...(this.versions.get(surveyId) ?? [])];
  }

  /** A new survey, or a new version of one (its answers from now on name the new version). */
  async define(input: Record<string, unknown>, actor: Actor): Promise<Survey> {
    const requested = Object.prototype.hasOwnProperty.call(input, 'surveyId') ? input.surveyId : undefined;
    // a surveyId that is not text is refused by checkSurvey (an empty id), never replaced by a new one
    const surveyId = requested === undefined ? randomUUID().slice(0, 8) : typeof requested === 'string' ? requested : '';
    const checked = checkSurvey(input, surveyId);
    if ('issues' in checked) throw new SurveyInputError(checked.issues);
    for (let attempt = 1; ; attempt++) {
      await this.refresh();
      const version = (this.versions.get(surveyId)?.length ?? 0) + 1;
      const data: SurveyDefinition & { version: number } = { ...checked.survey, version };
      try {
        await this.store.append([
          {
            streamId: SURVEYS_STREAM,
            expectedRevision: this.revision < 0 ? 'no_stream' : this.revision,
            events: [{ eventId: randomUUID(), type: 'SurveyDefined', occurredAt: new Date().toISOString(), data: { ...data } }],
          },
          { streamId: AUDIT_STREAM, expectedRevision: 'any', events: [auditEvent('survey.defined', actor, surveyId, { version })] },
        ]);
        await this.refreshing?.catch(() => undefined);
        await this.refresh();
        return (await this.get(surveyId, version))!;
      } catch (error) {
        if (!(error instanceof WrongExpectedRevisionError) || attempt >= 5) throw error;
      }
    }
  }

  private async fresh(): Promise<void> {
    if (Date.now() - this.refreshedAt < this.refreshMs) return;
    try {
      await this.refresh();
    } catch (error) {
      if (this.refreshedAt === 0) throw error;
    }
  }

  private async readNewEvents(): Promise<void> {
    const startedAt = Date.now();
    for (;;) {
      const events = await this.store.readStream(SURVEYS_STREAM, { fromRevision: this.revision + 1, limit: 1000 });
      for (const event of events) {
        if (event.type === 'SurveyDefined') {
          const survey = { ...(event.data as unknown as SurveyDefinition & { version: number }), definedAt: event.recordedAt };
          const versions = this.versions.get(survey.surveyId) ?? [];
          versions.push(survey);
          this.versions.set(survey.surveyId, versions);
        }
        this.revision = event.revision;
      }
      if (events.length < 1000) break;
    }
    this.refreshedAt = startedAt;
  }
}
