import { IsString, MaxLength } from 'class-validator';
import { MetricsQueryDto } from '../get-metrics/get-metrics.request.dto';

export class MetricKeyQueryDto extends MetricsQueryDto {
  @IsString() @MaxLength(200) key!: string;
}
