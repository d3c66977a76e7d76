import { IsIn, IsNumber, IsOptional, IsString, Length } from 'class-validator';
import { METRICS, type Metric } from '@journeyline/journey';

/** `{"metric", "touchpoint"? | "owner"?, "min"? | "max"?}`: the shape; which bound a metric takes is the domain's rule (checkTarget). */
export class SetTargetRequestDto {
  @IsIn(METRICS, { message: `metric must be one of ${METRICS.join(', ')}` })
  metric!: Metric;

  @IsOptional()
  @IsString()
  @Length(1, 200)
  touchpoint?: string;

  @IsOptional()
  @IsString()
  @Length(1, 200)
  owner?: string;

  @IsOptional()
  @IsNumber({ allowNaN: false, allowInfinity: false }, { message: 'min must be a number' })
  min?: number;

  @IsOptional()
  @IsNumber({ allowNaN: false, allowInfinity: false }, { message: 'max must be a number' })
  max?: number;
}
