import { Matches } from 'class-validator';

export class KeyIdParamsDto {
  @Matches(/^[0-9a-f]{16}$/, { message: 'id must be a key id as GET /api/v1/keys lists them (16 hex digits)' })
  id!: string;
}
