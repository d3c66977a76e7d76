import { Controller, Get, Param } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { Requires } from '../../access/requires.decorator';
import { SurveyIdParamsDto } from '../survey-id.params.dto';
import { unknownSurvey } from '../unknown-survey';
import { GetSurveyQuery, type SurveyWithVersions } from './get-survey.query';

/** GET /api/v1/surveys/:surveyId (admin): the survey at its latest version, and `versions`, oldest first. */
@Controller('api/v1/surveys')
@Requires('admin')
export class GetSurveyController {
  constructor(private readonly queryBus: QueryBus) {}

  @Get(':surveyId')
  async get(@Param() { surveyId }: SurveyIdParamsDto): Promise<SurveyWithVersions> {
    const survey = await this.queryBus.execute(new GetSurveyQuery(surveyId));
    if (!survey) throw unknownSurvey(surveyId);
    return survey;
  }
}
