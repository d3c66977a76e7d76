import { IsIn, IsOptional, IsString, Length, MaxLength } from 'class-validator';
import { EXPORT_FORMATS, EXPORT_KINDS, type ExportFormat, type ExportKind } from '@journeyline/projections/export';

/** `GET /api/v1/export?kind=events|customers&format=ndjson|csv&customerId=&type=&from=&to=`. */
export class ExportFileRequestDto {
  @IsIn(EXPORT_KINDS, { message: `kind must be one of ${EXPORT_KINDS.join(', ')}` })
  kind!: ExportKind;

  @IsOptional()
  @IsIn(EXPORT_FORMATS, { message: `format must be one of ${EXPORT_FORMATS.join(', ')}` })
  format?: ExportFormat;

  @IsOptional() @IsString() @Length(1, 256) customerId?: string;

  @IsOptional() @IsString() @MaxLength(1000) type?: string;

  @IsOptional() @IsString() @MaxLength(64) from?: string;

  @IsOptional() @IsString() @MaxLength(64) to?: string;
}
