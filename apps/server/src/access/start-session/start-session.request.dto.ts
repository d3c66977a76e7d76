import { IsString, Length } from 'class-validator';

export class StartSessionRequestDto {
  @IsString()
  @Length(1, 512)
  key!: string;
}
