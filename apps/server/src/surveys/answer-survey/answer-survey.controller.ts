import { BadRequestException, Body, ConflictException, Controller, GoneException, Param, Post, Res } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import type { FastifyReply } from 'fastify';
import { scoreExpected, scoreOnScale, SurveyCatalog, SurveyLinkSigner } from '@journeyline/surveys';
import { Requires } from '../../access/requires.decorator';
import { badRequest, problem } from '../../http/problem';
import { RecordSurveyAnswerCommand, SurveyLinkAnsweredError, type SurveyAnswerRecorded } from '../record-survey-answer/record-survey-answer.command';
import { SurveyIdParamsDto } from '../survey-id.params.dto';
import { unknownSurvey } from '../unknown-survey';
import { AnswerSurveyRequestDto } from './answer-survey.request.dto';

/**
 * POST /api/v1/surveys/:surveyId/answers (survey) `{"customerId", "score"?, "comment"?,
 * "answerId"?, "linkToken"?}` → 201 `{eventId, customerId, surveyId, version, position, duplicate}`
 * (200 when the same answerId was recorded before). The score must be on the survey's scale (400
 * naming `score`); without a score, a comment is recorded as an unscored `comment` at the survey's
 * touchpoint. With `linkToken`, the answer is the link's, as if given on its page.
 */
@Controller('api/v1/surveys')
@Requires('survey')
export class AnswerSurveyController {
  constructor(
    private readonly commandBus: CommandBus,
    private readonly catalog: SurveyCatalog,
    private readonly signer: SurveyLinkSigner,
  ) {}

  @Post(':surveyId/answers')
  async answer(
    @Param() { surveyId }: SurveyIdParamsDto,
    @Body() body: AnswerSurveyRequestDto,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<SurveyAnswerRecorded> {
    const survey = await this.catalog.get(surveyId);
    if (!survey) throw unknownSurvey(surveyId);
    const score = body.score === undefined ? undefined : scoreOnScale(survey.scale, body.score);
    if (score === null)
      throw badRequest(
        'score',
        `score ${JSON.stringify(body.score)} is not on this ${survey.metric} survey's scale ${survey.scale}: expected ${scoreExpected(survey.scale)}`,
      );
    if (score === undefined && !body.comment?.trim()) throw badRequest('score', `an answer needs a score (${scoreExpected(survey.scale)}), or a comment`);
    const linkId = body.linkToken === undefined ? undefined : await this.linkOf(body.linkToken, surveyId, body.customerId);
    if (linkId && score === undefined) throw badRequest('score', `an answer through a link needs a score (${scoreExpected(survey.scale)})`);
    try {
      const recorded: SurveyAnswerRecorded = await this.commandBus.execute(
        new RecordSurveyAnswerCommand(survey, {
          customerId: body.customerId,
          score,
          comment: body.comment,
          linkId,
          // the tool's own id, in a namespace no sender's eventId can reach (those have no spaces)
          eventId: body.answerId === undefined ? undefined : `survey ${surveyId} ${body.answerId}`,
        }),
      );
      reply.status(recorded.duplicate ? 200 : 201);
      return recorded;
    } catch (error) {
      if (error instanceof SurveyLinkAnsweredError) throw new ConflictException(problem(409, error.message, [{ field: 'linkToken', reason: error.message }]));
      throw error;
    }
  }

  private async linkOf(token: string, surveyId: string, customerId: string): Promise<string> {
    const check = await this.signer.verify(token);
    if (!check.ok) {
      const reason = check.reason === 'expired' ? 'the link has expired' : 'linkToken is not a link Journeyline signed (or it was altered)';
      const body = problem(check.reason === 'expired' ? 410 : 400, reason, [{ field: 'linkToken', reason }]);
      throw check.reason === 'expired' ? new GoneException(body) : new BadRequestException(body);
    }
    if (check.link.surveyId !== surveyId) throw badRequest('linkToken', `the link is for survey ${check.link.surveyId}, not ${surveyId}`);
    if (check.link.customerId !== customerId) throw badRequest('customerId', 'the link was made for another customer');
    return check.link.id;
  }
}
