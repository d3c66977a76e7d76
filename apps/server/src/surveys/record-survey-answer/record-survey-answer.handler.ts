import { Inject } from '@nestjs/common';
import { CommandBus, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { randomUUID } from 'node:crypto';
import { EVENT_STORE, type EventStore } from '@journeyline/event-store';
import { customerStreamId, type RecordFeedback } from '@journeyline/journey';
import { JOURNEYLINE_CONFIG, type JourneylineConfig } from '@journeyline/platform';
import { BatchRejectedError, type RecordedEvent } from '@journeyline/recording';
import { RecordEventsCommand } from '../../events/record-events/record-events.command';
import { RecordSurveyAnswerCommand, SurveyLinkAnsweredError, type SurveyAnswerRecorded } from './record-survey-answer.command';

/**
 * Through the one write path (RecordEventsCommand: personal fields sealed, the journey rules
 * decide): a second answer through the same link within JOURNEYLINE_SURVEY_REPLACE_MINUTES
 * replaces the first (it counts once, with the new score); later, the decider refuses it
 * (`survey-link-answered`), thrown here as SurveyLinkAnsweredError for the caller to say so.
 */
@CommandHandler(RecordSurveyAnswerCommand)
export class RecordSurveyAnswerHandler implements ICommandHandler<RecordSurveyAnswerCommand, SurveyAnswerRecorded> {
  constructor(
    private readonly commandBus: CommandBus,
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(JOURNEYLINE_CONFIG) private readonly config: JourneylineConfig,
  ) {}

  async execute({ survey, answer }: RecordSurveyAnswerCommand): Promise<SurveyAnswerRecorded> {
    const ref = { surveyId: survey.surveyId, version: survey.version, ...(answer.linkId ? { linkId: answer.linkId } : {}) };
    const where = { touchpoint: survey.touchpoint, channel: survey.channel, stage: survey.stage };
    const comment = answer.comment?.trim() ? { comment: answer.comment.trim() } : {};
    const data: RecordFeedback['data'] =
      answer.score === undefined
        ? { kind: 'comment', ...where, ...comment, survey: ref }
        : { kind: survey.metric, score: answer.score, scale: survey.scale, ...where, ...comment, survey: ref };
    if (answer.linkId) data.replaceWithinMs = this.config.surveys.replaceWithinMs;
    const command: RecordFeedback = {
      type: 'RecordFeedback',
      eventId: answer.eventId ?? randomUUID(),
      customerId: answer.customerId,
      occurredAt: new Date().toISOString(),
      data,
    };
    // another tool sending its answer again (a retry, at another time): answered as the first, not refused as a different event
    const earlier = answer.eventId === undefined ? undefined : (await this.store.findByEventIds([answer.eventId])).get(answer.eventId);
    if (earlier && earlier.streamId === customerStreamId(answer.customerId)) {
      return {
        eventId: earlier.eventId,
        customerId: answer.customerId,
        surveyId: survey.surveyId,
        version: survey.version,
        position: earlier.position,
        duplicate: true,
      };
    }
    let recorded: RecordedEvent;
    try {
      [recorded] = await this.commandBus.execute<RecordEventsCommand, RecordedEvent[]>(new RecordEventsCommand([command]));
    } catch (error) {
      if (answer.linkId && error instanceof BatchRejectedError && error.violations.some((v) => v.rule === 'survey-link-answered')) {
        throw new SurveyLinkAnsweredError(answer.linkId);
      }
      throw error;
    }
    return {
      eventId: recorded.eventId,
      customerId: recorded.customerId,
      surveyId: survey.surveyId,
      version: survey.version,
      ...(answer.linkId ? { linkId: answer.linkId } : {}),
      position: recorded.position,
      duplicate: recorded.duplicate,
    };
  }
}
