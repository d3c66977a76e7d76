import { IsIn, IsOptional, IsString, MaxLength } from 'class-validator';
import { CHURN_RISK_SORTS, type ChurnRiskSort } from '@journeyline/projections';
import { PageQueryDto } from '../../http/page-query.dto';

export class ChurnRisksQueryDto extends PageQueryDto {
  @IsOptional() @IsString() @MaxLength(100) rule?: string;
  @IsOptional() @IsIn(['en', 'vi'], { message: 'lang must be en or vi' }) lang?: 'en' | 'vi';
  @IsOptional() @IsIn(CHURN_RISK_SORTS, { message: `sort must be one of ${CHURN_RISK_SORTS.join(', ')}` }) sort?: ChurnRiskSort;
  @IsOptional() @IsIn(['json', 'csv'], { message: 'format must be json or csv' }) format?: 'json' | 'csv';
}
