import { Matches } from 'class-validator';

export class TargetIdParamsDto {
  @Matches(/^[A-Za-z0-9_-]{1,64}$/, { message: 'targetId must be a target id as GET /api/v1/targets lists them' })
  targetId!: string;
}
