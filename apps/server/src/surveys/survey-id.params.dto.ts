import { IsString, Length } from 'class-validator';

/** A survey id in the path. */
export class SurveyIdParamsDto {
  @IsString()
  @Length(1, 80)
  surveyId!: string;
}
