import { FEEDBACK_KINDS, SCALES, STAGES, WIRE_EVENT_TYPES, type FeedbackKind, type Scale, type Stage, type WireEventType } from '@journeyline/journey';
import {
  IsDefined,
  IsEmail,
  IsIn,
  IsISO4217CurrencyCode,
  IsISO8601,
  IsNotEmpty,
  IsNumber,
  IsObject,
  IsOptional,
  IsString,
  Matches,
  Max,
  MaxLength,
  ValidateBy,
  ValidateIf,
  type ValidationArguments,
  type ValidationOptions,
} from 'class-validator';

/** The largest purchase amount taken: beyond it sums lose whole units (2^53 ≈ 9 × 10^15). */
export const MAX_AMOUNT = 1e15;

/** The event envelope on the wire (HTTP body, Kafka message value, NDJSON line). */
export class WireEventDto {
  @IsOptional()
  @IsString()
  @MaxLength(128)
  @Matches(/^[^\s]+$/, { message: 'eventId must not contain spaces (ids with spaces are the ones Journeyline derives for itself)' })
  eventId?: string;

  @IsIn(WIRE_EVENT_TYPES, { message: `type must be one of ${WIRE_EVENT_TYPES.join(', ')}` })
  type!: WireEventType;

  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  customerId!: string;

  @IsOptional()
  @MaxLength(64)
  @IsISO8601({ strict: true }, { message: 'occurredAt must be an ISO 8601 date-time, e.g. 2026-11-20T09:15:00+07:00' })
  occurredAt?: string;

  @IsOptional()
  @IsObject()
  data?: Record<string, unknown>;
}

const name = () => [IsString(), IsNotEmpty(), MaxLength(200)];
const apply =
  (...decorators: PropertyDecorator[]): PropertyDecorator =>
  (target, key) =>
    decorators.forEach((d) => d(target, key));
const Name = () => apply(...name());
const OptionalName = () => apply(IsOptional(), ...name());
const StageField = () => IsIn(STAGES, { message: `stage must be one of ${STAGES.join(', ')}` });

export class TouchpointVisitedDto {
  @Name() touchpoint!: string;
  @Name() channel!: string;
  @StageField() stage!: Stage;
  @IsOptional() @IsObject() properties?: Record<string, unknown>;
}

/** A score for every kind but a comment, which has none. */
function IsScoreOfKind(options?: ValidationOptions): PropertyDecorator {
  const isComment = (args?: ValidationArguments) => (args?.object as { kind?: unknown } | undefined)?.kind === 'comment';
  return ValidateBy(
    {
      name: 'isScoreOfKind',
      validator: {
        validate: (v, args) => (isComment(args) ? v === undefined : (typeof v === 'number' && Number.isFinite(v)) || typeof v === 'boolean'),
        defaultMessage: (args) =>
          isComment(args)
            ? 'score must be left out of a comment (a comment has no score; send a review for stars)'
            : 'score must be a number (or true/false on the yes-no scale)',
      },
    },
    options,
  );
}

export class FeedbackGivenDto {
  @IsIn(FEEDBACK_KINDS, { message: `kind must be one of ${FEEDBACK_KINDS.join(', ')}` }) kind!: FeedbackKind;
  /** Every kind but `comment` has a score; a comment has none. */
  @ValidateIf((o: FeedbackGivenDto) => o.kind !== 'comment' || (o.score !== undefined && o.score !== null))
  @IsScoreOfKind()
  score?: number | boolean;
  /** NPS is always 0-10 and a review 1-5 stars, so their scale may be left out; a comment has none. */
  @ValidateIf((o: FeedbackGivenDto) => (o.kind !== 'nps' && o.kind !== 'review' && o.kind !== 'comment') || o.scale !== undefined)
  @IsIn(SCALES, { message: `scale must be one of ${SCALES.join(', ')}` })
  scale?: Scale;
  @OptionalName() touchpoint?: string;
  @OptionalName() channel?: string;
  @IsOptional() @StageField() stage?: Stage;
  /** Required for a comment, which is nothing but its text. */
  @ValidateIf((o: FeedbackGivenDto) => o.kind === 'comment' || (o.comment !== undefined && o.comment !== null))
  @IsString()
  @Matches(/\S/, { message: 'comment must not be empty: a comment is its text' })
  @MaxLength(5000)
  comment?: string;
  /** Where a review or comment was posted: google, facebook, shopee, zalo... */
  @OptionalName() source?: string;
}

export class TicketOpenedDto {
  @Name() ticketId!: string;
  @OptionalName() touchpoint?: string;
  @OptionalName() channel?: string;
  @IsOptional() @IsString() @MaxLength(1000) subject?: string;
}

export class TicketResolvedDto {
  @Name() ticketId!: string;
}

export class PurchaseMadeDto {
  @Name() orderId!: string;
  @IsNumber({ allowNaN: false, allowInfinity: false }, { message: 'amount must be a number' })
  @Max(MAX_AMOUNT, { message: `amount must be at most ${MAX_AMOUNT}` })
  amount!: number;
  @IsOptional() @IsISO4217CurrencyCode({ message: 'currency must be an ISO 4217 code such as VND or USD' }) currency?: string;
}

export class CustomerProfiledDto {
  @OptionalName() segment?: string;
  @OptionalName() region?: string;
  @OptionalName() ageBand?: string;
  @OptionalName() gender?: string;
  @OptionalName() acquisitionChannel?: string;
  @OptionalName() name?: string;
  @IsOptional() @IsEmail({}, { message: 'email must be an e-mail address' }) email?: string;
  @IsOptional() @IsString() @Matches(/^\+?[0-9 ().-]{6,20}$/, { message: 'phone must be a phone number such as +84 28 3822 1234' }) phone?: string;
}

export class CustomerChurnedDto {
  @IsOptional() @IsString() @MaxLength(1000) reason?: string;
}

export class CustomerReactivatedDto {}

/** `customer.merged` / `customer.unmerged`: `customerId` is the customer who stays, `from` the one joining (or leaving) it. */
export class CustomerMergedDto {
  @Name() from!: string;
}

/** Which class validates `data` for each wire type (a Map: a type such as `toString` finds nothing). */
export const DATA_DTO: ReadonlyMap<string, new () => object> = new Map<WireEventType, new () => object>([
  ['touchpoint.visited', TouchpointVisitedDto],
  ['feedback.given', FeedbackGivenDto],
  ['ticket.opened', TicketOpenedDto],
  ['ticket.resolved', TicketResolvedDto],
  ['purchase.made', PurchaseMadeDto],
  ['customer.profiled', CustomerProfiledDto],
  ['customer.churned', CustomerChurnedDto],
  ['customer.reactivated', CustomerReactivatedDto],
  ['customer.merged', CustomerMergedDto],
  ['customer.unmerged', CustomerMergedDto],
]);
