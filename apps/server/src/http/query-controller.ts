import { Inject } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { JOURNEYLINE_CONFIG, type JourneylineConfig } from '@journeyline/platform';
import { MetricDefinitionsRegistry, type AsOfReplays, type DayWindow, type ReplayStatement, type SqlExecutor } from '@journeyline/projections';
import { AsOfMetricReadModels, AsOfReadModels } from '../as-of/as-of.module';
import { MetricsAsOfSource } from '../as-of/metrics-as-of.source';
import { metricDefinitionsFor, type DefinitionsInForce } from '../definitions/metric-definitions-in-force';
import { badRequest } from './problem';
import { asOfFrom, windowFrom, type WindowQueryDto } from './window-query';

/**
 * What every read controller holds: the query bus its use case goes through and the
 * configuration its windows, time zone and minimum sample come from. A use case's controller
 * extends it and adds only its route (Nest injects through the inherited constructor).
 */
export abstract class QueryController {
  constructor(
    protected readonly queryBus: QueryBus,
    @Inject(JOURNEYLINE_CONFIG) protected readonly config: JourneylineConfig,
  ) {}

  /**
   * Whether this read answers `asOf` (reads that do override it and call `asOfOf` or a replay); every
   * windowed read does today, but a new read given `asOf` answers 400 until it opts in, rather than
   * silently answering for now.
   */
  protected readonly answersAsOf: boolean = false;

  /** The request's window in day buckets (a 400 naming the field when it names none). */
  protected windowOf(query: WindowQueryDto): DayWindow {
    if (query.asOf !== undefined && !this.answersAsOf)
      throw badRequest(
        'asOf',
        'this read does not answer asOf yet; the journey, the customer list, the funnel, retention and cohorts, the metrics (rows, series, distribution, worst touchpoints, with any by or filter), attention, explain, touchpoints by stage, touchpoint comments, follow-up stats and survey response rates do',
      );
    return windowFrom(query, this.config);
  }

  /** The per-customer read models as of a past moment (injected by property, as the definitions below). */
  @Inject(AsOfReadModels) private readonly asOfReadModels!: AsOfReadModels;

  /** The metrics, the touchpoint catalog and the targets as of a past moment. */
  @Inject(AsOfMetricReadModels) private readonly asOfMetricReadModels!: AsOfMetricReadModels;

  /** Metric reads as of a past moment, by their fast path (the reads that answer `asOf` so: `this.metricsAsOf.read(this.asOfOf(query), ...)`). */
  @Inject(MetricsAsOfSource) protected readonly metricsAsOf!: MetricsAsOfSource;

  /**
   * For the reads answered from the per-customer read models (funnel, retention, cohorts, the
   * customer list, the metric cuts, explain): with `asOf`, those read models replayed up to it
   * and what to say of them; without, `read(undefined, undefined)` (today's read models).
   */
  protected readModelsAsOf<T>(query: { asOf?: string; tz?: string }, read: ReadAsOf<T>): Promise<T> {
    return this.replayedAsOf(this.asOfReadModels, query, read);
  }

  /** As readModelsAsOf, for the reads of the metrics with the touchpoint catalog or the targets (by experience type or owner, attention). */
  protected metricReadModelsAsOf<T>(query: { asOf?: string; tz?: string }, read: ReadAsOf<T>): Promise<T> {
    return this.replayedAsOf(this.asOfMetricReadModels, query, read);
  }

  private async replayedAsOf<T>(replays: AsOfReplays, query: { asOf?: string; tz?: string }, read: ReadAsOf<T>): Promise<T> {
    const asOf = asOfFrom(query, this.config);
    if (!asOf) return read(undefined, undefined);
    const lent = await replays.at(asOf);
    try {
      return await read(lent.reader, lent.statement);
    } finally {
      await lent.release();
    }
  }

  /** The request's `asOf` as an instant (null: now). */
  protected asOfOf(query: WindowQueryDto): Date | null {
    return asOfFrom(query, this.config);
  }

  /** The versioned metric parameters (injected by property, so the controllers' constructors stay as they are). */
  @Inject(MetricDefinitionsRegistry) protected readonly metricDefinitions!: MetricDefinitionsRegistry;

  /** The metric parameters the answer uses: the version in force, or `definitionsVersion` (400 unknown, 409 in another time zone). */
  protected definitionsOf(query: { definitionsVersion?: number }): Promise<DefinitionsInForce> {
    return metricDefinitionsFor(this.metricDefinitions, query.definitionsVersion, this.config.timeZone);
  }

  /** The request's minimum sample, else that of the metric parameters used, else JOURNEYLINE_MIN_SAMPLE. */
  protected minSampleOf(query: { minSample?: number }, definitions?: DefinitionsInForce): number {
    return query.minSample ?? definitions?.parameters.minSample ?? this.config.minSample;
  }
}

/** A read given the read models as of a past moment and what to say of them (both absent: now). */
type ReadAsOf<T> = (readModels: SqlExecutor | undefined, asOf: ReplayStatement | undefined) => Promise<T>;
