import { Body, Controller, Get, Inject, Param, Post, Query, Req, Res, UseFilters } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Score } from '@journeyline/journey';
import { JOURNEYLINE_CONFIG, type JourneylineConfig } from '@journeyline/platform';
import { READ_MODEL_DATABASE, surveyLinkAnsweredAt, type ReadModelDatabase } from '@journeyline/projections';
import { scoreFromText, SurveyCatalog, SurveyLinkSigner, type Survey, type SurveyLink } from '@journeyline/surveys';
import { Public } from '../../access/requires.decorator';
import { RecordSurveyAnswerCommand, SurveyLinkAnsweredError } from '../record-survey-answer/record-survey-answer.command';
import { askPage, langOf, refusalPage, thanksPage, type Lang } from './survey-page.html';
import { SurveyPageFilter } from './survey-page.filter';
import { sendPage } from './survey-page.reply';

interface Opened {
  link: SurveyLink;
  survey: Survey;
  lang: Lang;
}

/**
 * The survey page of a signed link, public (the link is the credential) and rate-limited per
 * address. `GET /s/:token` asks the question in the link's language, else the browser's, else
 * Vietnamese; `?score=N` (a score's button in an e-mail) records that score at once and asks for
 * the comment, which then replaces the answer within the replacement window. `POST /s/:token` (a
 * plain form: `score`, `comment`) records the answer and thanks. A forged link is a 403 page, an
 * expired one 410, a link answered longer ago than the window 409, a survey that is gone 404:
 * every answer here is a page (SurveyPageFilter), never JSON.
 */
@Controller('s')
@Public({ rateLimited: true })
@UseFilters(SurveyPageFilter)
export class SurveyPageController {
  constructor(
    private readonly commandBus: CommandBus,
    private readonly catalog: SurveyCatalog,
    private readonly signer: SurveyLinkSigner,
    @Inject(READ_MODEL_DATABASE) private readonly db: ReadModelDatabase,
    @Inject(JOURNEYLINE_CONFIG) private readonly config: JourneylineConfig,
  ) {}

  @Get(':token')
  async show(
    @Param('token') token: string,
    @Query() query: Record<string, unknown>,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const opened = await this.open(token, undefined, request, reply);
    if (!opened) return;
    const { link, survey, lang } = opened;
    const score = scoreFromText(survey.scale, first(query?.score));
    if (score === null) {
      if (await this.answeredBeyondWindow(link.id)) return sendPage(reply, 409, refusalPage(lang, 'answered'));
      return sendPage(reply, 200, askPage({ survey, lang, token, score: null }));
    }
    if (!(await this.record(opened, score, undefined, reply))) return;
    sendPage(reply, 200, askPage({ survey, lang, token, score: String(score), recorded: true }));
  }

  @Post(':token')
  async answer(@Param('token') token: string, @Body() body: unknown, @Req() request: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    const form = typeof body === 'object' && body !== null && !Array.isArray(body) ? (body as Record<string, unknown>) : {};
    const formLang = first(form.lang);
    const opened = await this.open(token, formLang === 'vi' || formLang === 'en' ? formLang : undefined, request, reply, first(form.version));
    if (!opened) return;
    const { survey, lang } = opened;
    const text = first(form.comment);
    const comment = typeof text === 'string' ? text.slice(0, 5000) : undefined;
    const score = scoreFromText(survey.scale, first(form.score));
    if (score === null) return sendPage(reply, 400, askPage({ survey, lang, token, score: null, comment, error: 'scoreMissing' }));
    if (!(await this.record(opened, score, comment, reply))) return;
    sendPage(reply, 200, thanksPage(lang, survey));
  }

  /** The link checked and its survey found (at the version the form was shown with, else the latest); else the refusal page is sent and null returned. */
  private async open(token: string, formLang: Lang | undefined, request: FastifyRequest, reply: FastifyReply, version?: unknown): Promise<Opened | null> {
    const check = await this.signer.verify(token);
    const lang = langOf(check.link?.lang ?? formLang ?? null, request.headers['accept-language']);
    if (!check.ok) {
      sendPage(reply, check.reason === 'expired' ? 410 : 403, refusalPage(lang, check.reason === 'expired' ? 'expired' : 'forged'));
      return null;
    }
    const shown = typeof version === 'string' && /^[1-9]\d{0,5}$/.test(version) ? Number(version) : undefined;
    const survey = (shown !== undefined ? await this.catalog.get(check.link.surveyId, shown) : null) ?? (await this.catalog.get(check.link.surveyId));
    if (!survey) {
      sendPage(reply, 404, refusalPage(lang, 'unavailable'));
      return null;
    }
    return { link: check.link, survey, lang };
  }

  /** Records the link's answer; false (and the page sent) when the link was answered beyond the window. */
  private async record({ link, survey, lang }: Opened, score: Score, comment: string | undefined, reply: FastifyReply): Promise<boolean> {
    try {
      await this.commandBus.execute(new RecordSurveyAnswerCommand(survey, { customerId: link.customerId, score, comment, linkId: link.id }));
      return true;
    } catch (error) {
      if (!(error instanceof SurveyLinkAnsweredError)) throw error;
      sendPage(reply, 409, refusalPage(lang, 'answered'));
      return false;
    }
  }

  /** Whether the link took an answer longer ago than the replacement window (the read model's view; the decider has the last word on a POST). */
  private async answeredBeyondWindow(linkId: string): Promise<boolean> {
    const answeredAt = await surveyLinkAnsweredAt(this.db.reader, linkId);
    return answeredAt !== null && Date.now() - Date.parse(answeredAt) > this.config.surveys.replaceWithinMs;
  }
}

/** A form field or query parameter given once or many times: its first value. */
function first(value: unknown): unknown {
  return Array.isArray(value) ? value[0] : value;
}
