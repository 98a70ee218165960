import { ValidationPipe, type Type } from '@nestjs/common';

/**
 * A pipe that validates a body or query against `dto` (class-validator, whitelisting: unknown
 * fields are refused with 400). Naming the class here, rather than relying on decorator metadata,
 * keeps validation working whatever the compiler emits for `import type` DTOs.
 */
export function validated<T>(dto: Type<T>): ValidationPipe {
  return new ValidationPipe({
    expectedType: dto,
    whitelist: true,
    forbidNonWhitelisted: true,
    transform: true,
    transformOptions: { enableImplicitConversion: false },
    validationError: { target: false, value: false },
  });
}
