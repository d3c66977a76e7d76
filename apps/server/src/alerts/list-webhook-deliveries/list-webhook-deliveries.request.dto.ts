import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, Max, Min } from 'class-validator';

export class ListWebhookDeliveriesQueryDto {
  @IsOptional()
  @IsIn(['pending', 'delivered', 'dead'], { message: 'status must be pending, delivered or dead' })
  status?: 'pending' | 'delivered' | 'dead';

  @IsOptional()
  @Type(() => Number)
  @IsInt({ message: 'limit must be a whole number' })
  @Min(1)
  @Max(1000)
  limit?: number;
}
