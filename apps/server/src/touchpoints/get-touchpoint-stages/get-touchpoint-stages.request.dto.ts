import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, Max, Min } from 'class-validator';
import { METRICS, type Metric } from '@journeyline/projections';
import { WindowQueryDto } from '../../http/window-query';
import { DefinitionsVersionParam } from '../../definitions/metric-definitions-in-force';

export class TouchpointStagesQueryDto extends WindowQueryDto {
  @IsIn(METRICS, { message: `metric must be one of ${METRICS.join(', ')}` }) metric!: Metric;
  @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(1_000_000) minSample?: number;
  /** Recompute with this version of the metric parameters (GET /api/v1/definitions/metrics); default: the version in force. */
  @DefinitionsVersionParam() definitionsVersion?: number;
}
