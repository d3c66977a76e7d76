import { BadRequestException } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { SurveyCatalog, SurveyInputError } from '@journeyline/surveys';
import { problem } from '../../http/problem';
import { DefineSurveyCommand, type SurveyDefinedAnswer } from './define-survey.command';

/** Appends the survey's next version (and its audit entry); a body that is not a survey is a 400 naming each field. */
@CommandHandler(DefineSurveyCommand)
export class DefineSurveyHandler implements ICommandHandler<DefineSurveyCommand, SurveyDefinedAnswer> {
  constructor(private readonly catalog: SurveyCatalog) {}

  async execute({ body, actor }: DefineSurveyCommand): Promise<SurveyDefinedAnswer> {
    try {
      const survey = await this.catalog.define(body, actor);
      return { surveyId: survey.surveyId, version: survey.version };
    } catch (error) {
      if (error instanceof SurveyInputError)
        throw new BadRequestException(
          problem(
            400,
            `the survey is invalid: ${error.message}`,
            error.issues.map((issue) => ({ ...issue })),
          ),
        );
      throw error;
    }
  }
}
