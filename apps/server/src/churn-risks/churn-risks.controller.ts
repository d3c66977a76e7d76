import { Controller, Get, Inject, Query } from '@nestjs/common';
import { Query as CqrsQuery, QueryBus, QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';
import { churnRuleLabels, type ChurnRule } from '@journeyline/journey';
import {
  countChurnRisksByRule, isChurnRiskCursor, listChurnRisks, READ_MODEL_DATABASE, type ChurnRiskCursor, type ReadModelDatabase,
} from '@journeyline/projections';
import { decodeCursor, encodeCursor } from '../http/cursor';
import { CHURN_RULES } from '../projections/churn-rules.provider';

export class ChurnRisksQueryDto {
  @IsOptional() @IsString() @MaxLength(100) rule?: string;
  @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(1000) limit?: number;
  @IsOptional() @IsString() cursor?: string;
  @IsOptional() @IsIn(['en', 'vi'], { message: 'lang must be en or vi' }) lang?: 'en' | 'vi';
}

/** A page of flagged customers, and how many customers each rule flags. */
export type ChurnRisksPage = Awaited<ReturnType<typeof listChurnRisks>> & { byRule: Awaited<ReturnType<typeof countChurnRisksByRule>> };

export class ListChurnRisksQuery extends CqrsQuery<ChurnRisksPage> {
  constructor(readonly rule: string | undefined, readonly limit: number, readonly after: ChurnRiskCursor | undefined) {
    super();
  }
}

@QueryHandler(ListChurnRisksQuery)
export class ListChurnRisksHandler implements IQueryHandler<ListChurnRisksQuery> {
  constructor(@Inject(READ_MODEL_DATABASE) private readonly db: ReadModelDatabase) {}

  async execute({ rule, limit, after }: ListChurnRisksQuery) {
    const page = await listChurnRisks(this.db.reader, { rule, limit, after });
    return { ...page, byRule: await countChurnRisksByRule(this.db.reader) };
  }
}

/** GET /api/v1/churn-risks: customers with open churn-risk flags, their reasons and evidence. */
@Controller('api/v1/churn-risks')
export class ChurnRisksController {
  constructor(private readonly queryBus: QueryBus, @Inject(CHURN_RULES) private readonly rules: readonly ChurnRule[]) {}

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
