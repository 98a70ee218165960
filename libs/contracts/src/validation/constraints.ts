import { ValidateBy, ValidateIf, type ValidationArguments, type ValidationOptions } from 'class-validator';

/**
 * Validators class-validator lacks. Each checks one field; when a field they compare against is
 * itself malformed they pass, because that field already reports its own problem.
 */

const LOCAL_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const ISO_INSTANT = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.\d{1,9})?(Z|[+-](\d{2}):(\d{2}))$/;
/** IANA zone names are words joined by slashes; this rejects offsets such as `+01:00` that newer Intl versions accept. */
const IANA_NAME = /^[A-Za-z][A-Za-z0-9_+-]*(?:\/[A-Za-z0-9_+-]+)*$/;

function isCalendarDate(year: number, month: number, day: number): boolean {
  const date = new Date(Date.UTC(year, month - 1, day));
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}

/** `YYYY-MM-DD` naming a day that exists (no 2023-02-29). */
export function isLocalDate(value: unknown): value is string {
  if (typeof value !== 'string') return false;
  const match = LOCAL_DATE.exec(value);
  return match !== null && isCalendarDate(Number(match[1]), Number(match[2]), Number(match[3]));
}

/** A timezone name the runtime's ICU knows, e.g. `Europe/Berlin` or `UTC`. */
export function isIanaTimezone(value: unknown): value is string {
  if (typeof value !== 'string' || !IANA_NAME.test(value)) return false;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: value });
    return true;
  } catch {
    return false;
  }
}

/** An ISO 8601 instant with date, time and zone, e.g. `2024-05-01T12:00:00.000Z`. */
export function isIsoInstant(value: unknown): value is string {
  if (typeof value !== 'string') return false;
  const m = ISO_INSTANT.exec(value);
  if (m === null) return false;
  const [hour, minute, second] = [Number(m[4]), Number(m[5]), Number(m[6])];
  const offsetOk = m[7] === 'Z' || (Number(m[8]) <= 23 && Number(m[9]) <= 59);
  return isCalendarDate(Number(m[1]), Number(m[2]), Number(m[3])) && hour <= 23 && minute <= 59 && second <= 59 && offsetOk;
}

export function IsLocalDate(options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    { name: 'isLocalDate', validator: { validate: isLocalDate, defaultMessage: () => '$property must be a real calendar date as YYYY-MM-DD' } },
    options,
  );
}

export function IsIanaTimezone(options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    { name: 'isIanaTimezone', validator: { validate: isIanaTimezone, defaultMessage: () => '$property must be an IANA timezone name' } },
    options,
  );
}

export function IsIsoInstant(options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    { name: 'isIsoInstant', validator: { validate: isIsoInstant, defaultMessage: () => '$property must be an ISO 8601 instant with a zone' } },
    options,
  );
}

function numberAt(args: ValidationArguments, property: string): number | undefined {
  const v = (args.object as Record<string, unknown>)[property];
  return typeof v === 'number' && Number.isFinite(v) ? v : undefined;
}

/** The field must be strictly greater than another numeric field of the same object. */
export function IsGreaterThanField(other: string, options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'isGreaterThanField',
      constraints: [other],
      validator: {
        validate: (value, args) => {
          const bound = args ? numberAt(args, other) : undefined;
          return typeof value !== 'number' || bound === undefined || value > bound;
        },
        defaultMessage: () => `$property must be greater than ${other}`,
      },
    },
    options,
  );
}

/** The field must lie in [lower, upper] given by two other numeric fields of the same object. */
export function IsBetweenFields(lower: string, upper: string, options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'isBetweenFields',
      constraints: [lower, upper],
      validator: {
        validate: (value, args) => {
          if (typeof value !== 'number' || !args) return true;
          const lo = numberAt(args, lower);
          const hi = numberAt(args, upper);
          return (lo === undefined || value >= lo) && (hi === undefined || value <= hi);
        },
        defaultMessage: () => `$property must lie between ${lower} and ${upper}`,
      },
    },
    options,
  );
}

/**
 * Optional means absent, not null: class-validator's `@IsOptional` also lets `null` through,
 * which would hand consumers a value their types say cannot exist.
 */
export function IsAbsentOr(): PropertyDecorator {
  return ValidateIf((_object, value) => value !== undefined);
}

/** A local date that is not earlier than another local-date field (YYYY-MM-DD sorts as text). */
export function IsNotBefore(other: string, options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'isNotBefore',
      constraints: [other],
      validator: {
        validate: (value, args) => {
          const bound = args ? (args.object as Record<string, unknown>)[other] : undefined;
          return !isLocalDate(value) || !isLocalDate(bound) || value >= bound;
        },
        defaultMessage: () => `$property must not be before ${other}`,
      },
    },
    options,
  );
}

/**
 * Exactly one of the named fields is present. Put on a property that never holds a value
 * (class-validator has no class-level rules), e.g. `user` for `userId` | `email`.
 */
export function ExactlyOneOf(fields: readonly string[], options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'exactlyOneOf',
      constraints: [fields],
      validator: {
        validate: (value, args) => {
          if (value !== undefined) return false;
          const object = (args?.object ?? {}) as Record<string, unknown>;
          return fields.filter((field) => object[field] !== undefined).length === 1;
        },
        defaultMessage: () => `$property: give exactly one of ${fields.join(' or ')}`,
      },
    },
    options,
  );
}
