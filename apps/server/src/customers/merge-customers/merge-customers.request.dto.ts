import { IsNotEmpty, IsString, MaxLength } from 'class-validator';

/** `from` joins `into`: two ids found to be one person. */
export class MergeCustomersRequestDto {
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  from!: string;

  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  into!: string;
}
