import { ArrayMaxSize, ArrayNotEmpty, IsArray, IsIn, IsString, Length } from 'class-validator';
import { SCOPES, type Scope } from '@journeyline/access';

export class CreateKeyRequestDto {
  @IsString()
  @Length(1, 100)
  name!: string;

  @IsArray()
  @ArrayNotEmpty()
  @ArrayMaxSize(SCOPES.length)
  @IsIn(SCOPES, { each: true, message: `each scope must be one of ${SCOPES.join(', ')}` })
  scopes!: Scope[];
}
