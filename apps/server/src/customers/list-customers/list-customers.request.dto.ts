import { Transform } from 'class-transformer';
import { IsBoolean, IsIn, IsISO8601, IsOptional, IsString, MaxLength, MinLength } from 'class-validator';
import { STAGES, type Stage } from '@journeyline/journey';
import { CUSTOMER_SORTS, type CustomerSort } from '@journeyline/projections';
import { PageQueryDto } from '../../http/page-query.dto';
import { IsTimeZone } from '../../http/time-zone.validator';

const toBoolean = ({ value }: { value: unknown }) => (value === 'true' ? true : value === 'false' ? false : value);

export class ListCustomersQueryDto extends PageQueryDto {
  /** Id prefix, or name / e-mail / phone prefix (accents and case ignored). */
  @IsOptional() @IsString() @MinLength(1, { message: 'q must not be empty' }) @MaxLength(200) q?: string;
  @IsOptional() @Transform(toBoolean) @IsBoolean({ message: 'detractor must be true or false' }) detractor?: boolean;
  @IsOptional() @Transform(toBoolean) @IsBoolean({ message: 'openTickets must be true or false' }) openTickets?: boolean;
  @IsOptional() @Transform(toBoolean) @IsBoolean({ message: 'openFollowUp must be true or false' }) openFollowUp?: boolean;
  @IsOptional() @IsIn(STAGES, { message: `stage must be one of ${STAGES.join(', ')}` }) stage?: Stage;
  @IsOptional() @IsString() @MaxLength(200) segment?: string;
  @IsOptional() @IsString() @MaxLength(200) region?: string;
  @IsOptional() @IsString() @MaxLength(200) acquisitionChannel?: string;
  @IsOptional() @IsString() @MaxLength(200) touchpoint?: string;
  @IsOptional() @Transform(toBoolean) @IsBoolean({ message: 'churnRisk must be true or false' }) churnRisk?: boolean;
  @IsOptional() @Transform(toBoolean) @IsBoolean({ message: 'churned must be true or false' }) churned?: boolean;
  @IsOptional() @IsISO8601({ strict: true }, { message: 'since must be a date or ISO 8601 timestamp' }) since?: string;
  @IsOptional() @IsIn(CUSTOMER_SORTS, { message: `sort must be one of ${CUSTOMER_SORTS.join(', ')}` }) sort?: CustomerSort;
  @IsOptional() @IsString() @MaxLength(64) @IsTimeZone() tz?: string;
  /** The list as Journeyline had it at this moment (an ISO 8601 instant, or a date: midnight in tz or JOURNEYLINE_TZ), replayed from the log. */
  @IsOptional() @IsString() @MaxLength(64) asOf?: string;
}
