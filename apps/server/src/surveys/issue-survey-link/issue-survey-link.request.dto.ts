import { IsIn, IsInt, IsNotEmpty, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';

/** A link for one customer (optionally about an order or a ticket), in a language, valid for `ttlDays`. */
export class IssueSurveyLinkRequestDto {
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  customerId!: string;

  @IsOptional()
  @IsIn(['vi', 'en'], { message: 'lang must be vi or en (without it, the page follows the browser)' })
  lang?: 'vi' | 'en';

  @IsOptional()
  @IsInt({ message: 'ttlDays must be a whole number of days' })
  @Min(1)
  @Max(3650)
  ttlDays?: number;

  @IsOptional()
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  orderId?: string;

  @IsOptional()
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  ticketId?: string;
}
