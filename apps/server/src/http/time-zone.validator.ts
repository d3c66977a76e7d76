import { ValidateBy, type ValidationOptions } from 'class-validator';
import { IANAZone } from 'luxon';

/** `tz=`: an IANA zone such as Asia/Ho_Chi_Minh, or UTC. An empty or unknown zone is a 400, never an Invalid Date further on. */
export function IsTimeZone(options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'isTimeZone',
      validator: {
        validate: (value) => typeof value === 'string' && (value.toUpperCase() === 'UTC' || IANAZone.isValidZone(value)),
        defaultMessage: (args) => `tz must be an IANA time zone such as Asia/Ho_Chi_Minh or UTC, got "${String(args?.value).slice(0, 64)}"`,
      },
    },
    options,
  );
}
