import { IsNotEmpty, IsOptional, IsString, MaxLength, ValidateBy } from 'class-validator';
import type { Score } from '@journeyline/journey';

/** A score as JSON has it: a number, or true / false on a yes-no scale (whether it is on the survey's scale is checked against the survey). */
function IsScoreValue(): PropertyDecorator {
  return ValidateBy({
    name: 'isScoreValue',
    validator: {
      validate: (value) => typeof value === 'number' || typeof value === 'boolean',
      defaultMessage: () => 'score must be a number (true or false on a yes-no survey)',
    },
  });
}

/**
 * An answer from another tool (Formbricks, a Google Form's script, a Zalo OA bot): the customer,
 * the score on the survey's scale, an optional comment; `answerId` (the tool's own id of the
 * answer) makes a retry record it once; `linkToken` answers through a link made by Journeyline.
 */
export class AnswerSurveyRequestDto {
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  customerId!: string;

  @IsOptional()
  @IsScoreValue()
  score?: Score;

  @IsOptional()
  @IsString()
  @MaxLength(5000)
  comment?: string;

  @IsOptional()
  @IsString()
  @IsNotEmpty()
  @MaxLength(100)
  answerId?: string;

  @IsOptional()
  @IsString()
  @IsNotEmpty()
  @MaxLength(2000)
  linkToken?: string;
}
