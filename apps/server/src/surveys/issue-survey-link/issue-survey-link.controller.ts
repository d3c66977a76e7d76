import { Body, Controller, HttpCode, Param, Post } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { Requires } from '../../access/requires.decorator';
import { SurveyIdParamsDto } from '../survey-id.params.dto';
import { IssueSurveyLinkCommand, type SurveyLinkAnswer } from './issue-survey-link.command';
import { IssueSurveyLinkRequestDto } from './issue-survey-link.request.dto';

/**
 * POST /api/v1/surveys/:surveyId/links (survey or admin) `{"customerId", "lang"?, "ttlDays"?,
 * "orderId"?, "ticketId"?}` → 201 `{url: "/s/<token>", token, linkId, surveyId, version, expiresAt}`:
 * a signed, expiring link for one customer, to send by e-mail, SMS or Zalo (add `?score=N` to a
 * score's button in an e-mail: one click records it).
 */
@Controller('api/v1/surveys')
@Requires('survey')
export class IssueSurveyLinkController {
  constructor(private readonly commandBus: CommandBus) {}

  @Post(':surveyId/links')
  @HttpCode(201)
  issue(@Param() { surveyId }: SurveyIdParamsDto, @Body() body: IssueSurveyLinkRequestDto): Promise<SurveyLinkAnswer> {
    return this.commandBus.execute(new IssueSurveyLinkCommand(surveyId, body));
  }
}
