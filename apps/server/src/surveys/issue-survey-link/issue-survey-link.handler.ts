import { Inject } from '@nestjs/common';
import { CommandHandler, EventBus, type ICommandHandler } from '@nestjs/cqrs';
import { EVENT_STORE, type EventStore } from '@journeyline/event-store';
import { JOURNEYLINE_CONFIG, type JourneylineConfig } from '@journeyline/platform';
import { issueSurveyLink, SurveyCatalog, SurveyLinkSigner } from '@journeyline/surveys';
import { EventsAppended } from '../../events/events-appended.event';
import { unknownSurvey } from '../unknown-survey';
import { IssueSurveyLinkCommand, type SurveyLinkAnswer } from './issue-survey-link.command';

/** Signs the link (HMAC under the current, rotating key) and records it as sent, for response rates. */
@CommandHandler(IssueSurveyLinkCommand)
export class IssueSurveyLinkHandler implements ICommandHandler<IssueSurveyLinkCommand, SurveyLinkAnswer> {
  constructor(
    private readonly catalog: SurveyCatalog,
    private readonly signer: SurveyLinkSigner,
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(JOURNEYLINE_CONFIG) private readonly config: JourneylineConfig,
    private readonly eventBus: EventBus,
  ) {}

  async execute({ surveyId, request }: IssueSurveyLinkCommand): Promise<SurveyLinkAnswer> {
    const issued = await issueSurveyLink(
      { store: this.store, catalog: this.catalog, signer: this.signer },
      surveyId,
      { ...request, ttlDays: request.ttlDays ?? this.config.surveys.linkDays },
      { publicUrl: this.config.surveys.publicUrl },
    );
    if (!issued) throw unknownSurvey(surveyId);
    const { position, ...answer } = issued;
    this.eventBus.publish(new EventsAppended(position, 1));
    return answer;
  }
}
