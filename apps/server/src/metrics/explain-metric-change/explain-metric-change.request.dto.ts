import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';
import { SCALES, STAGES, type Scale, type Stage } from '@journeyline/journey';
import { EXPLAIN_GROUPINGS, METRICS, type ExplainGrouping, type Metric } from '@journeyline/projections';
import { WindowQueryDto } from '../../http/window-query';
import { DefinitionsVersionParam } from '../../definitions/metric-definitions-in-force';

/** `metric`, the window (compared with the one of equal length before it), the place filters, `by`, `scale` and how many answers. */
export class ExplainMetricChangeQueryDto extends WindowQueryDto {
  @IsIn(METRICS, { message: `metric must be one of ${METRICS.join(', ')}` }) metric!: Metric;
  @IsOptional() @IsIn(EXPLAIN_GROUPINGS, { message: `by must be one of ${EXPLAIN_GROUPINGS.join(', ')}` }) by?: ExplainGrouping;
  @IsOptional() @IsString() @MaxLength(200) touchpoint?: string;
  @IsOptional() @IsString() @MaxLength(200) channel?: string;
  @IsOptional() @IsIn(STAGES, { message: `stage must be one of ${STAGES.join(', ')}` }) stage?: Stage;
  /** CSAT and CES: which scale to explain (else the one answered most in the two windows). */
  @IsOptional() @IsIn(SCALES, { message: `scale must be one of ${SCALES.join(', ')}` }) scale?: Scale;
  /** How many answers to list (at most 10). */
  @IsOptional() @Type(() => Number) @IsInt({ message: 'limit must be a whole number' }) @Min(0) @Max(10) limit?: number;
  /** Explain under this version of the metric parameters (GET /api/v1/definitions/metrics); default: the version in force. */
  @DefinitionsVersionParam() definitionsVersion?: number;
}
