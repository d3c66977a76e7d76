import { Type } from 'class-transformer';
import { IsInt, IsOptional, Max, Min } from 'class-validator';
import { WindowQueryDto } from '../../http/window-query';

export class TouchpointCommentsQueryDto extends WindowQueryDto {
  @IsOptional() @Type(() => Number) @IsInt({ message: 'limit must be a whole number' }) @Min(1) @Max(100) limit?: number;
}
