import { IsISO8601, IsOptional } from 'class-validator';

export class JourneyQueryDto {
  @IsOptional()
  @IsISO8601({ strict: true }, { message: 'asOf must be an ISO 8601 instant, e.g. 2026-11-20T00:00:00+07:00' })
  asOf?: string;
}
