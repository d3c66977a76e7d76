import { Inject } from '@nestjs/common';
import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { LRUCache } from 'lru-cache';
import { EVENT_STORE, type EventStore } from '@journeyline/event-store';
import { stableJson } from '@journeyline/journey';
import {
  countEvaluatedByRule,
  evaluateChurnRisks,
  listEvaluatedChurnRisks,
  READ_MODEL_DATABASE,
  type EvaluatedChurnRisks,
  type ReadModelDatabase,
} from '@journeyline/projections';
import { describeEvidence } from '../list-churn-risks/churn-evidence';
import type { ChurnRisksPage } from '../list-churn-risks/list-churn-risks.query';
import { EvaluateChurnRisksQuery, type Evaluation } from './evaluate-churn-risks.query';

/** An evaluation holds while the log has not moved, for at most this long (time-based rules move with the clock). */
const KEEP_MS = 60_000;

/**
 * Evaluates every customer's stream under the version's rules (churn-risk.what-if.ts), once per
 * set of rules while the log stays where it was (and at most a minute): the pages and the CSV of
 * one comparison read the same evaluation instead of reading every stream again, and versions
 * holding the same rules (a change and its undoing) share it.
 */
@QueryHandler(EvaluateChurnRisksQuery)
export class EvaluateChurnRisksHandler implements IQueryHandler<EvaluateChurnRisksQuery> {
  private readonly evaluations = new LRUCache<string, { head: number; until: number; evaluated: Promise<EvaluatedChurnRisks> }>({ max: 20 });

  constructor(
    @Inject(READ_MODEL_DATABASE) private readonly db: ReadModelDatabase,
    @Inject(EVENT_STORE) private readonly store: EventStore,
  ) {}

  async execute({ rules, query }: EvaluateChurnRisksQuery): Promise<ChurnRisksPage & { evaluation: Evaluation }> {
    const evaluated = await this.evaluation(rules.rules);
    const page = await listEvaluatedChurnRisks(this.db.reader, evaluated, query);
    // the flags this version would raise (an evaluation of the same rules under another version says so of them)
    for (const item of page.items) item.flags = item.flags.map((f) => ({ ...f, rulesVersion: rules.version }));
    return {
      ...page,
      byRule: countEvaluatedByRule(evaluated),
      evidence: await describeEvidence(this.store, page.items),
      evaluation: { evaluatedAt: evaluated.evaluatedAt, customersEvaluated: evaluated.customersEvaluated },
    };
  }

  private async evaluation(rules: EvaluatedRules): Promise<EvaluatedChurnRisks> {
    const head = await this.store.headPosition();
    const now = Date.now();
    const id = stableJson(rules);
    const kept = this.evaluations.get(id);
    if (kept && kept.head === head && kept.until > now) return kept.evaluated;
    const evaluated = evaluateChurnRisks(this.store, this.db.reader, rules, 0, new Date(now));
    this.evaluations.set(id, { head, until: now + KEEP_MS, evaluated });
    evaluated.catch(() => this.evaluations.get(id)?.evaluated === evaluated && this.evaluations.delete(id));
    return evaluated;
  }
}

type EvaluatedRules = EvaluateChurnRisksQuery['rules']['rules'];
