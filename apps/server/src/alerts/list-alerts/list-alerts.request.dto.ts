import { IsIn, IsOptional } from 'class-validator';

export class ListAlertsQueryDto {
  @IsOptional()
  @IsIn(['open', 'closed'], { message: 'status must be open or closed' })
  status?: 'open' | 'closed';
}
