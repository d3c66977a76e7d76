import { IsISO8601, IsOptional, IsString, MaxLength } from 'class-validator';
import { IsTimeZone } from '../../http/time-zone.validator';

export class JourneyQueryDto {
  @IsOptional()
  @IsISO8601(
    { strict: true },
    { message: 'asOf must be an ISO 8601 instant (2026-11-20T00:00:00+07:00) or a date (2026-11-20: midnight in tz or JOURNEYLINE_TZ)' },
  )
  asOf?: string;
  /** The zone of a bare-date `asOf` (midnight there); default JOURNEYLINE_TZ. */
  @IsOptional() @IsString() @MaxLength(64) @IsTimeZone() tz?: string;
}
