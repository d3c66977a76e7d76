import { IsIn, IsOptional, IsString, MaxLength } from 'class-validator';
import { PageQueryDto } from '../../http/page-query.dto';

export class ChurnRisksQueryDto extends PageQueryDto {
  @IsOptional() @IsString() @MaxLength(100) rule?: string;
  @IsOptional() @IsIn(['en', 'vi'], { message: 'lang must be en or vi' }) lang?: 'en' | 'vi';
}
