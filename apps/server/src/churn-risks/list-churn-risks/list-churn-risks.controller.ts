import { Controller, Get, Inject, Query } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { churnRuleLabels, type ChurnRule } from '@journeyline/journey';
import { CHURN_RULES, JOURNEYLINE_CONFIG, type JourneylineConfig } from '@journeyline/platform';
import { isChurnRiskCursor } from '@journeyline/projections';
import { decodeCursor, encodeCursor } from '../../http/cursor';
import { ListChurnRisksQuery } from './list-churn-risks.query';
import { ChurnRisksQueryDto } from './list-churn-risks.request.dto';
import { QueryController } from '../../http/query-controller';
import { Requires } from '../../access/requires.decorator';

/** GET /api/v1/churn-risks: customers with open churn-risk flags, their reasons and evidence. */
@Controller('api/v1/churn-risks')
@Requires('read')
export class ListChurnRisksController extends QueryController {
  constructor(
    queryBus: QueryBus,
    @Inject(JOURNEYLINE_CONFIG) config: JourneylineConfig,
    @Inject(CHURN_RULES) private readonly rules: readonly ChurnRule[],
  ) {
    super(queryBus, config);
  }

  @Get()
  async list(@Query() query: ChurnRisksQueryDto) {
    const cursor = decodeCursor(query.cursor, isChurnRiskCursor) ?? undefined;
    const after = cursor ? { flaggedAt: cursor.flaggedAt, customerId: cursor.customerId } : undefined;
    const page = await this.queryBus.execute(new ListChurnRisksQuery(query.rule, query.limit ?? 100, after));
    const labels = new Map(this.rules.map((r) => [r.id, churnRuleLabels(r)]));
    const label = (rule: string) => labels.get(rule)?.[query.lang ?? 'en'] ?? null;
    return {
      items: page.items.map((item) => ({ ...item, flags: item.flags.map((f) => ({ ...f, label: label(f.rule) })) })),
      rules: this.rules.map((r) => ({ id: r.id, kind: r.kind, label: label(r.id), customers: page.byRule.find((b) => b.rule === r.id)?.customers ?? 0 })),
      ...(page.next ? { nextCursor: encodeCursor({ ...page.next }) } : {}),
    };
  }
}
