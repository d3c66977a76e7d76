import { IsOptional, IsString, Matches } from 'class-validator';
import { CutQueryDto } from '../../http/cut-query';

export class RetentionQueryDto extends CutQueryDto {
  /** A month (2026-11), a quarter (2026-Q4) or a year (2026), in the request's time zone. */
  @IsOptional()
  @IsString()
  @Matches(/^\d{4}(-(0[1-9]|1[0-2]|Q[1-4]))?$/, { message: 'period must be a month (2026-11), a quarter (2026-Q4) or a year (2026)' })
  period?: string;
}
