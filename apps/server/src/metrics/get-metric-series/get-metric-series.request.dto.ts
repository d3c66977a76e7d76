import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';
import { DIMENSIONS, PLACE_PAIRS, type Dimension, type PlacePair } from '@journeyline/projections';
import { MetricsQueryDto } from '../get-metrics/get-metrics.request.dto';

export class MetricKeyQueryDto extends MetricsQueryDto {
  @IsString() @MaxLength(200) key!: string;
  /** One key's series or distribution: by experience type or owner is for GET /api/v1/metrics only. */
  @IsOptional()
  @IsIn([...DIMENSIONS, ...PLACE_PAIRS], {
    message: `by must be one of ${DIMENSIONS.filter((d) => d !== 'all').join(', ')} (or all), or two of them (touchpoint,stage)`,
  })
  override by?: Dimension | PlacePair;
}

export class MetricSeriesQueryDto extends MetricKeyQueryDto {
  /** Days per point (a week: 7), counted from the window's first day; each point from its days' summed counts. */
  @IsOptional() @Type(() => Number) @IsInt({ message: 'step must be a whole number of days' }) @Min(1) @Max(366) step?: number;
}
