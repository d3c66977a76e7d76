import { IsString, Length } from 'class-validator';

/** A follow-up id in the path (`follow-up <answer event id>`, percent-encoded in the URL). */
export class FollowUpIdParamsDto {
  @IsString()
  @Length(1, 600)
  id!: string;
}
