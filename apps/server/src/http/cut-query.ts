import { IsIn, IsOptional, IsString, MaxLength } from 'class-validator';
import { STAGES, type Stage } from '@journeyline/journey';
import type { JourneylineConfig } from '@journeyline/platform';
import {
  cutDimensions,
  isPlacePair,
  PORTRAIT_FIELDS,
  type JourneyFilter,
  type MetricCut,
  type PortraitField,
  type PortraitFilter,
} from '@journeyline/projections';
import { badRequest } from './problem';
import { WindowQueryDto } from './window-query';

/** Portrait filters (`segment=SME&region=north`): the funnel and retention take several at once, the metrics one. */
export class PortraitQueryDto extends WindowQueryDto {
  @IsOptional() @IsString() @MaxLength(200) segment?: string;
  @IsOptional() @IsString() @MaxLength(200) region?: string;
  @IsOptional() @IsString() @MaxLength(200) ageBand?: string;
  @IsOptional() @IsString() @MaxLength(200) gender?: string;
  @IsOptional() @IsString() @MaxLength(200) acquisitionChannel?: string;
}

/** Portrait and place filters of the metric reads, the funnel, retention and cohorts. */
export class CutQueryDto extends PortraitQueryDto {
  @IsOptional() @IsString() @MaxLength(200) touchpoint?: string;
  @IsOptional() @IsString() @MaxLength(200) channel?: string;
  @IsOptional() @IsIn(STAGES, { message: `stage must be one of ${STAGES.join(', ')}` }) stage?: Stage;
}

/** The filters a request gives (portrait and place), by name. */
export function cutFilters(query: CutQueryDto): string[] {
  return [...PORTRAIT_FIELDS, 'touchpoint', 'channel', 'stage'].filter((f) => query[f as keyof CutQueryDto] !== undefined);
}

/**
 * The portrait filters of a request. A field sealed as personal data (JOURNEYLINE_PERSONAL_FIELDS)
 * is stored as a different ciphertext for every customer, so nothing can be grouped or matched on
 * it: asking is a 400 that says so rather than an empty answer.
 */
export function portraitFilterOf(query: PortraitQueryDto, config: Pick<JourneylineConfig, 'privacy'>): PortraitFilter {
  const filter: PortraitFilter = {};
  for (const field of PORTRAIT_FIELDS) {
    const value = query[field];
    if (value === undefined) continue;
    if (config.privacy.personalPortrait.includes(field)) {
      throw badRequest(field, `${field} is sealed as personal data (JOURNEYLINE_PERSONAL_FIELDS): each customer's value is encrypted, so it cannot filter`);
    }
    filter[field] = value;
  }
  return filter;
}

/**
 * The filters of a funnel, retention or cohorts read: the portrait's (portraitFilterOf), and the
 * places: customers who visited the touchpoint, used the channel, reached the stage.
 */
export function journeyFilterOf(query: CutQueryDto, config: Pick<JourneylineConfig, 'privacy'>): JourneyFilter {
  return {
    ...portraitFilterOf(query, config),
    ...(query.touchpoint !== undefined && { touchpoint: query.touchpoint }),
    ...(query.channel !== undefined && { channel: query.channel }),
    ...(query.stage !== undefined && { stage: query.stage }),
  };
}

/**
 * The cut a metric read asks for, or null when it asks for none (one dimension, no filter: the
 * single-dimension read model answers). `by` is `all`, one or two of touchpoint, channel, stage.
 */
export function metricCutOf(query: CutQueryDto, by: string, config: Pick<JourneylineConfig, 'privacy'>): MetricCut | null {
  const portrait = portraitFilterOf(query, config);
  const place = {
    ...(query.touchpoint !== undefined && { touchpoint: query.touchpoint }),
    ...(query.channel !== undefined && { channel: query.channel }),
    ...(query.stage !== undefined && { stage: query.stage }),
  };
  const fields = Object.keys(portrait) as PortraitField[];
  if (fields.length === 0 && Object.keys(place).length === 0 && !isPlacePair(by)) return null;
  const dimensions = cutDimensions(by);
  if (dimensions === null) throw badRequest('by', `filters go with by=touchpoint, channel, stage, all or two of touchpoint, channel, stage (got by=${by})`);
  if (fields.length > 1) {
    throw badRequest(fields[1], `metrics take one portrait filter at a time (got ${fields.join(' and ')}): the day buckets keep one portrait field each`);
  }
  return { by: dimensions, place, ...(fields.length === 1 && { portrait: { field: fields[0], value: portrait[fields[0]]! } }) };
}
