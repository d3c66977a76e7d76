import { Query } from '@nestjs/cqrs';
import type { Survey } from '@journeyline/surveys';

/** Every survey, at its latest version. */
export class ListSurveysQuery extends Query<{ items: Survey[] }> {}
