import { IsIn, IsOptional, IsString, MaxLength } from 'class-validator';
import { FOLLOW_UP_STATUSES, type FollowUpStatus } from '@journeyline/journey';
import { PageQueryDto } from '../../http/page-query.dto';

export class ListFollowUpsQueryDto extends PageQueryDto {
  @IsOptional() @IsIn(FOLLOW_UP_STATUSES, { message: `status must be one of ${FOLLOW_UP_STATUSES.join(', ')}` }) status?: FollowUpStatus;
  @IsOptional() @IsString() @MaxLength(200) owner?: string;
  @IsOptional() @IsString() @MaxLength(200) touchpoint?: string;
  @IsOptional() @IsString() @MaxLength(256) customerId?: string;
}
