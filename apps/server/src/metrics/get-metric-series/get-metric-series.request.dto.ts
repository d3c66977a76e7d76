import { Type } from 'class-transformer';
import { IsInt, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';
import { MetricsQueryDto } from '../get-metrics/get-metrics.request.dto';

export class MetricKeyQueryDto extends MetricsQueryDto {
  @IsString() @MaxLength(200) key!: string;
}

export class MetricSeriesQueryDto extends MetricKeyQueryDto {
  /** Days per point (a week: 7), counted from the window's first day; each point from its days' summed counts. */
  @IsOptional() @Type(() => Number) @IsInt({ message: 'step must be a whole number of days' }) @Min(1) @Max(366) step?: number;
}
