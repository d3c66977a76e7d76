import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, Max, Min } from 'class-validator';
import { METRICS, type Dimension, type Metric } from '@journeyline/projections';
import { PLACE_PAIRS, type PlacePair } from '@journeyline/projections';
import { CutQueryDto } from '../../http/cut-query';
import { DefinitionsVersionParam } from '../../definitions/metric-definitions-in-force';

export class WorstQueryDto extends CutQueryDto {
  @IsIn(METRICS, { message: `metric must be one of ${METRICS.join(', ')}` }) metric!: Metric;
  @IsOptional()
  @IsIn(['touchpoint', 'channel', 'stage', ...PLACE_PAIRS], { message: 'by must be touchpoint, channel or stage, or two of them (touchpoint,stage)' })
  by?: Exclude<Dimension, 'all'> | PlacePair;
  @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(1000) limit?: number;
  @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(1_000_000) minSample?: number;
  /** Recompute with this version of the metric parameters (GET /api/v1/definitions/metrics); default: the version in force. */
  @DefinitionsVersionParam() definitionsVersion?: number;
}
