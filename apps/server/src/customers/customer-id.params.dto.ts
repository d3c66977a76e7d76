import { IsString, Length } from 'class-validator';

/** A customer id in the path: an opaque string, as the wire format allows it. */
export class CustomerIdParamsDto {
  @IsString()
  @Length(1, 256)
  id!: string;
}
