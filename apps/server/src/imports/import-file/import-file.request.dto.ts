import { IsIn, IsOptional, IsString, MaxLength } from 'class-validator';
import { IMPORT_FORMATS, type ImportFormat } from '@journeyline/recording/files/import-format';

/** `POST /api/v1/import?format=&delimiter=&dateFormat=&columns=`: how to read the file in the body (what each means: `journeyline import --help`). */
export class ImportFileRequestDto {
  @IsOptional()
  @IsIn(IMPORT_FORMATS, { message: `format must be one of ${IMPORT_FORMATS.join(', ')}` })
  format?: ImportFormat;

  @IsOptional() @IsString() @MaxLength(8) delimiter?: string;

  @IsOptional() @IsString() @MaxLength(64) dateFormat?: string;

  @IsOptional() @IsString() @MaxLength(10_000) columns?: string;
}
