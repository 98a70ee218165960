import { IsIn, IsInt, IsNumber, IsString, IsUUID, Matches, Max, MaxLength, Min, MinLength } from 'class-validator';

/**
 * The field kinds the contracts are made of, each one class-validator decorator stack, so every
 * DTO says what a field is (`@EpochMs()`) rather than how it is checked.
 */

function all(...decorators: PropertyDecorator[]): PropertyDecorator {
  return (target, key) => decorators.forEach((decorate) => decorate(target, key));
}

const finite = { allowNaN: false, allowInfinity: false };

/** A Supabase user id. */
export const UserId = (): PropertyDecorator => IsUUID('all');

/** A Unix epoch instant in whole milliseconds. */
export const EpochMs = (): PropertyDecorator => all(IsInt(), Min(0));

/** A whole count (windows, bytes, deliveries). */
export const Count = (): PropertyDecorator => all(IsInt(), Min(0));

/** A measured quantity (a duration, seconds decoded); fractional values are fine. */
export const NonNegative = (): PropertyDecorator => all(IsNumber(finite), Min(0));

/** A probability in [0, 1]. */
export const Probability = (): PropertyDecorator => all(IsNumber(finite), Min(0), Max(1));

/**
 * A machine-made name: job ids, object names, error codes. Printable ASCII without spaces, so it
 * is safe in NATS headers, logs and object-store keys.
 */
export const Identifier = (maxLength = 256): PropertyDecorator =>
  all(IsString(), Matches(/^[\x21-\x7E]+$/, { message: '$property must be printable ASCII without spaces' }), MaxLength(maxLength));

/** Human-readable text that must not be empty. */
export const Text = (maxLength: number): PropertyDecorator => all(IsString(), MinLength(1), MaxLength(maxLength));

/** Free text that may be empty (an error message, an original message body). */
export const AnyText = (maxLength: number): PropertyDecorator => all(IsString(), MaxLength(maxLength));

export const OneOf = (values: readonly string[]): PropertyDecorator => IsIn([...values]);

/** An HTTP status, or 0 for a request that got no response (network error, timeout). */
export const HttpStatusOrZero = (): PropertyDecorator => all(IsInt(), Min(0), Max(599));
