import { Controller, Get, Inject, Query, Res } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import type { FastifyReply } from 'fastify';
import { churnRuleLabels, churnRuleSeverity, type ChurnRule } from '@journeyline/journey';
import { JOURNEYLINE_CONFIG, type JourneylineConfig } from '@journeyline/platform';
import { PersonalData } from '@journeyline/privacy';
import { ChurnRulesRegistry, isChurnRiskCursor, type ChurnRiskListQuery, type ChurnRulesInForce } from '@journeyline/projections';
import { csvLine, spreadsheetSafe, UTF8_BOM } from '@journeyline/recording/files/csv-text';
import { decodeCursor, encodeCursor } from '../../http/cursor';
import { badRequest } from '../../http/problem';
import { EvaluateChurnRisksQuery, type Evaluation } from '../evaluate-churn-risks/evaluate-churn-risks.query';
import { ListChurnRisksQuery, type ChurnRisksPage } from './list-churn-risks.query';
import { ChurnRisksQueryDto } from './list-churn-risks.request.dto';
import { QueryController } from '../../http/query-controller';
import { Requires } from '../../access/requires.decorator';

/** A customer's value is what they bought over the last 365 days. */
const VALUE_WINDOW_MS = 365 * 24 * 3600 * 1000;
/** Customers per read while writing the CSV. */
const CSV_PAGE = 500;
const CSV_COLUMNS = ['customerId', 'name', 'priority', 'value', 'severity', 'rules', 'labels', 'latestFlaggedAt', 'evidence'];

/**
 * GET /api/v1/churn-risks: customers with open churn-risk flags, their name, the rules with their
 * labels, the evidence (what each event was) and a priority (customer value × rule severity),
 * sorted and keyset-paged; `format=csv` the whole list as Excel-safe CSV.
 */
@Controller('api/v1/churn-risks')
@Requires('read')
export class ListChurnRisksController extends QueryController {
  constructor(
    queryBus: QueryBus,
    @Inject(JOURNEYLINE_CONFIG) config: JourneylineConfig,
    private readonly churnRules: ChurnRulesRegistry,
    private readonly personal: PersonalData,
  ) {
    super(queryBus, config);
  }

  @Get()
  async list(@Query() query: ChurnRisksQueryDto, @Res({ passthrough: true }) reply: FastifyReply) {
    const sort = query.sort ?? '-flaggedAt';
    const lang = query.lang ?? 'en';
    const inForce = await this.rulesOf(query.rulesVersion);
    const rules = inForce.rules;
    const base: ChurnRiskListQuery = {
      rule: query.rule,
      sort,
      limit: query.limit ?? 100,
      severities: new Map(rules.map((r) => [r.id, churnRuleSeverity(r)])),
      valueSince: Date.now() - VALUE_WINDOW_MS,
    };
    // rulesVersion: what that version would flag now, evaluated; else the flags recorded
    const pageOf = (q: ChurnRiskListQuery): Promise<ChurnRisksPage & { evaluation?: Evaluation }> =>
      query.rulesVersion === undefined ? this.queryBus.execute(new ListChurnRisksQuery(q)) : this.queryBus.execute(new EvaluateChurnRisksQuery(inForce, q));
    if (query.format === 'csv') {
      void reply.header('content-type', 'text/csv; charset=utf-8');
      void reply.header('content-disposition', `attachment; filename="journeyline-churn-risks-${new Date().toISOString().slice(0, 10)}.csv"`);
      // text, not the JSON answer the dashboard types (it links to the CSV, never reads it)
      return (await this.csv(base, lang, rules, pageOf)) as never;
    }
    const cursor = decodeCursor(query.cursor, (v): v is { s: string; v: string | number; id: string } => isChurnRiskCursor(v) && v.s === sort);
    const page = await pageOf({ ...base, after: cursor ? [cursor.v, cursor.id] : undefined });
    return {
      /** The rules version the flags are judged by: in force, or the one asked for (then `evaluated` says when, over how many customers). */
      rulesVersion: inForce.version,
      ...(page.evaluation ? { evaluated: page.evaluation } : {}),
      items: this.items(page, lang, rules),
      rules: rules.map((r) => ({
        id: r.id,
        kind: r.kind,
        label: this.label(r.id, lang, rules),
        severity: churnRuleSeverity(r),
        customers: page.byRule.find((b) => b.rule === r.id)?.customers ?? 0,
      })),
      ...(page.next ? { nextCursor: encodeCursor({ s: sort, v: page.next[0], id: page.next[1] }) } : {}),
    };
  }

  /** The rules in force, or version `n` (400 when there is none). */
  private async rulesOf(n: number | undefined): Promise<ChurnRulesInForce> {
    const found = n === undefined ? await this.churnRules.current() : await this.churnRules.version(n);
    if (!found) throw badRequest('rulesVersion', `there is no version ${n} of the churn-risk rules (GET /api/v1/definitions/churn-rules lists them)`);
    return found;
  }

  private label(rule: string, lang: 'en' | 'vi', rules: readonly ChurnRule[]): string | null {
    const found = rules.find((r) => r.id === rule);
    return found ? churnRuleLabels(found)[lang] : null;
  }

  private items(page: ChurnRisksPage, lang: 'en' | 'vi', rules: readonly ChurnRule[]) {
    return page.items.map((item) => ({
      ...item,
      flags: item.flags.map((f) => ({
        ...f,
        label: this.label(f.rule, lang, rules),
        evidenceEvents: f.evidence.map((id) => {
          const event = page.evidence.get(id);
          return { eventId: id, type: event?.type ?? null, occurredAt: event?.occurredAt ?? null, text: event?.text[lang] ?? null };
        }),
      })),
    }));
  }

  /** Every page, names opened here (the answer is text, which the reveal hook does not look into). */
  private async csv(
    base: ChurnRiskListQuery,
    lang: 'en' | 'vi',
    rules: readonly ChurnRule[],
    pageOf: (query: ChurnRiskListQuery) => Promise<ChurnRisksPage>,
  ): Promise<string> {
    const lines = [UTF8_BOM + csvLine(CSV_COLUMNS)];
    let after: [string | number, string] | undefined;
    do {
      const page = await pageOf({ ...base, limit: CSV_PAGE, after });
      for (const item of await this.personal.reveal(this.items(page, lang, rules))) {
        const cells = [
          item.customerId,
          item.name,
          item.priority,
          item.value,
          item.severity,
          item.flags.map((f) => f.rule).join('; '),
          item.flags.map((f) => f.label ?? f.reason).join('; '),
          item.latestFlaggedAt,
          item.flags.flatMap((f) => f.evidenceEvents.map((e) => e.text ?? e.eventId)).join('; '),
        ];
        lines.push(csvLine(cells.map(spreadsheetSafe)));
      }
      after = page.next;
    } while (after);
    return lines.join('');
  }
}
