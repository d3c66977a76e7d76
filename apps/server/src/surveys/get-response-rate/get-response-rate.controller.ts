import { Controller, Get, Param, Query } from '@nestjs/common';
import { Requires } from '../../access/requires.decorator';
import { QueryController } from '../../http/query-controller';
import { WindowQueryDto } from '../../http/window-query';
import { SurveyIdParamsDto } from '../survey-id.params.dto';
import { unknownSurvey } from '../unknown-survey';
import { GetResponseRateQuery, type ResponseRateAnswer } from './get-response-rate.query';

/**
 * GET /api/v1/surveys/:surveyId/response-rate?window=30d (read) → `{sent, answered, rate,
 * unlinkedAnswers, byTouchpoint, byChannel, window}`: of the links sent in the window, how many
 * were answered (`rate` = answered / sent, null when none was sent), so 30 answers read as 30 of
 * 40 or 30 of 4,000. Answers without a link are counted apart (`unlinkedAnswers`), never in the rate.
 */
@Controller('api/v1/surveys')
@Requires('read')
export class GetResponseRateController extends QueryController {
  protected override readonly answersAsOf = true;

  @Get(':surveyId/response-rate')
  async rate(@Param() { surveyId }: SurveyIdParamsDto, @Query() query: WindowQueryDto): Promise<ResponseRateAnswer> {
    const window = this.windowOf(query);
    // as of a past moment: the links sent and answered as recorded by then (replayed); the survey is looked up in today's catalog
    return this.readModelsAsOf(query, async (readModels, asOf) => {
      const answer = await this.queryBus.execute(new GetResponseRateQuery(surveyId, window, readModels));
      if (!answer) throw unknownSurvey(surveyId);
      return { ...answer, ...(asOf ? { asOf } : {}) };
    });
  }
}
