import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, Max, Min } from 'class-validator';
import { CATALOG_GROUPINGS, DIMENSIONS, METRICS, type CatalogGrouping, type Dimension, type Metric } from '@journeyline/projections';
import { PLACE_PAIRS, type PlacePair } from '@journeyline/projections';
import { CutQueryDto } from '../../http/cut-query';
import { DefinitionsVersionParam } from '../../definitions/metric-definitions-in-force';

const BY = DIMENSIONS.filter((d) => d !== 'all');

/** `metric`, `by`, the window and `minSample`: what every metric read takes. */
export class MetricsQueryDto extends CutQueryDto {
  @IsIn(METRICS, { message: `metric must be one of ${METRICS.join(', ')}` }) metric!: Metric;
  @IsOptional()
  @IsIn([...DIMENSIONS, ...CATALOG_GROUPINGS, ...PLACE_PAIRS], {
    message: `by must be one of ${[...BY, ...CATALOG_GROUPINGS].join(', ')} (or all), or two of touchpoint, channel, stage (touchpoint,stage)`,
  })
  by?: Dimension | CatalogGrouping | PlacePair;
  @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(1_000_000) minSample?: number;
  /** Recompute with this version of the metric parameters (GET /api/v1/definitions/metrics); default: the version in force. */
  @DefinitionsVersionParam() definitionsVersion?: number;
}

export class GetMetricsQueryDto extends MetricsQueryDto {
  /** `previous`: each row also carries its trend against the window of equal length before. */
  @IsOptional() @IsIn(['previous'], { message: 'compare must be previous' }) compare?: 'previous';
}
