import type { EventStore } from '@journeyline/event-store';
import { SurveyCatalog, SurveyLinkSigner } from '@journeyline/surveys';
import type { JourneylineConfig } from '../config/journeyline-config';

/** The surveys of the configured store, as the server and the CLI both see them. */
export function surveyCatalog(store: EventStore): SurveyCatalog {
  return new SurveyCatalog(store);
}

/** Survey links signed and checked with the store's rotating keys (wrapped with JOURNEYLINE_MASTER_KEY when it is set). */
export function surveyLinkSigner(store: EventStore, config: JourneylineConfig): SurveyLinkSigner {
  return new SurveyLinkSigner(store, { masterKey: config.privacy.masterKey, rotateAfterDays: config.surveys.keyRotateDays });
}
