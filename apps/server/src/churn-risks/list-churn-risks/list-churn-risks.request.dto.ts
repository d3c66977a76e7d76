import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';
import { CHURN_RISK_SORTS, type ChurnRiskSort } from '@journeyline/projections';
import { PageQueryDto } from '../../http/page-query.dto';

export class ChurnRisksQueryDto extends PageQueryDto {
  @IsOptional() @IsString() @MaxLength(100) rule?: string;
  @IsOptional() @IsIn(['en', 'vi'], { message: 'lang must be en or vi' }) lang?: 'en' | 'vi';
  @IsOptional() @IsIn(CHURN_RISK_SORTS, { message: `sort must be one of ${CHURN_RISK_SORTS.join(', ')}` }) sort?: ChurnRiskSort;
  @IsOptional() @IsIn(['json', 'csv'], { message: 'format must be json or csv' }) format?: 'json' | 'csv';
  /** The flags this version of the rules would raise on today's data, evaluated now, nothing written (GET /api/v1/definitions/churn-rules lists the versions). */
  @IsOptional()
  @Type(() => Number)
  @IsInt({ message: 'rulesVersion must be a whole number: a version of GET /api/v1/definitions/churn-rules' })
  @Min(1)
  @Max(1_000_000_000)
  rulesVersion?: number;
}
