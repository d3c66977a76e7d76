import { Module } from '@nestjs/common';
import { EVENT_STORE, type EventStore } from '@journeyline/event-store';
import { JOURNEYLINE_CONFIG, surveyCatalog, surveyLinkSigner, type JourneylineConfig } from '@journeyline/platform';
import { SurveyCatalog, SurveyLinkSigner } from '@journeyline/surveys';
import { AnswerSurveyController } from './answer-survey/answer-survey.controller';
import { DefineSurveyController } from './define-survey/define-survey.controller';
import { DefineSurveyHandler } from './define-survey/define-survey.handler';
import { GetResponseRateController } from './get-response-rate/get-response-rate.controller';
import { GetResponseRateHandler } from './get-response-rate/get-response-rate.handler';
import { GetSurveyController } from './get-survey/get-survey.controller';
import { GetSurveyHandler } from './get-survey/get-survey.handler';
import { IssueSurveyLinkController } from './issue-survey-link/issue-survey-link.controller';
import { IssueSurveyLinkHandler } from './issue-survey-link/issue-survey-link.handler';
import { ListResponseRatesController } from './list-response-rates/list-response-rates.controller';
import { ListResponseRatesHandler } from './list-response-rates/list-response-rates.handler';
import { ListSurveysController } from './list-surveys/list-surveys.controller';
import { ListSurveysHandler } from './list-surveys/list-surveys.handler';
import { RecordSurveyAnswerHandler } from './record-survey-answer/record-survey-answer.handler';
import { SurveyPageController } from './survey-page/survey-page.controller';

export const QueryHandlers = [ListSurveysHandler, GetSurveyHandler, GetResponseRateHandler, ListResponseRatesHandler];
export const CommandHandlers = [DefineSurveyHandler, IssueSurveyLinkHandler, RecordSurveyAnswerHandler];

/**
 * Hosted surveys: surveys as versioned data (admin), signed links per customer, the public survey
 * page at /s/:token, a JSON endpoint for other survey tools, and response rates. The catalog and
 * the link signer are shared by every use case (they cache the survey and key streams).
 */
@Module({
  controllers: [
    ListResponseRatesController,
    DefineSurveyController,
    ListSurveysController,
    GetSurveyController,
    IssueSurveyLinkController,
    AnswerSurveyController,
    GetResponseRateController,
    SurveyPageController,
  ],
  providers: [
    { provide: SurveyCatalog, inject: [EVENT_STORE], useFactory: (store: EventStore) => surveyCatalog(store) },
    {
      provide: SurveyLinkSigner,
      inject: [EVENT_STORE, JOURNEYLINE_CONFIG],
      useFactory: (store: EventStore, config: JourneylineConfig) => surveyLinkSigner(store, config),
    },
    ...QueryHandlers,
    ...CommandHandlers,
  ],
})
export class SurveysModule {}
