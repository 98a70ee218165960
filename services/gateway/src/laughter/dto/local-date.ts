import { BadRequestException, type PipeTransform } from '@nestjs/common';
import { isLocalDate } from '@giggles/contracts';
import { ValidateBy, type ValidationOptions } from 'class-validator';

const MESSAGE = 'must be a real calendar date as YYYY-MM-DD';

/** A body or query field naming a calendar day `YYYY-MM-DD` that exists (no 2026-02-30). */
export function IsLocalDate(options?: ValidationOptions): PropertyDecorator {
  return ValidateBy({ name: 'isLocalDate', validator: { validate: isLocalDate, defaultMessage: () => `$property ${MESSAGE}` } }, options);
}

/** Route parameter `{date}`: 400 with a message unless it is a real `YYYY-MM-DD` day. */
export class LocalDatePipe implements PipeTransform<string, string> {
  transform(value: string): string {
    if (!isLocalDate(value)) throw new BadRequestException(`date ${MESSAGE}`);
    return value;
  }
}
