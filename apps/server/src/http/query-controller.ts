import { Inject } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { JOURNEYLINE_CONFIG, type JourneylineConfig } from '@journeyline/platform';
import type { DayWindow } from '@journeyline/projections';
import { windowFrom, type WindowQueryDto } from './window-query';

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

  /** The request's window in day buckets (a 400 naming the field when it names none). */
  protected windowOf(query: WindowQueryDto): DayWindow {
    return windowFrom(query, this.config);
  }

  /** The request's minimum sample, else JOURNEYLINE_MIN_SAMPLE. */
  protected minSampleOf(query: { minSample?: number }): number {
    return query.minSample ?? this.config.minSample;
  }
}
