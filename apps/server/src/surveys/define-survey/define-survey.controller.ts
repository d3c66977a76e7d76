import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import type { Principal as Who } from '@journeyline/access';
import { actorOf } from '../../access/actor';
import { Principal } from '../../access/principal.decorator';
import { Requires } from '../../access/requires.decorator';
import { badRequest } from '../../http/problem';
import { DefineSurveyCommand, type SurveyDefinedAnswer } from './define-survey.command';

/**
 * POST /api/v1/surveys (admin) `{"surveyId"?, "metric", "scale"?, "touchpoint", "channel", "stage",
 * "question": {"vi", "en"}, "followUp"?, "thanks"?}` → 201 `{surveyId, version}`. An existing
 * surveyId gets a new version: answers name the version whose wording they answered. The body is
 * checked by the survey's own rules (libs/surveys), which name every bad field.
 */
@Controller('api/v1/surveys')
@Requires('admin')
export class DefineSurveyController {
  constructor(private readonly commandBus: CommandBus) {}

  @Post()
  @HttpCode(201)
  define(@Body() body: unknown, @Principal() principal: Who): Promise<SurveyDefinedAnswer> {
    if (typeof body !== 'object' || body === null || Array.isArray(body))
      throw badRequest('body', 'the body must be a survey: {"metric", "touchpoint", "channel", "stage", "question": {"vi", "en"}, ...}');
    return this.commandBus.execute(new DefineSurveyCommand(body as Record<string, unknown>, actorOf(principal)));
  }
}
