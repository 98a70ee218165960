import 'reflect-metadata';
import { plainToInstance, type ClassConstructor } from 'class-transformer';
import { validateSync, type ValidationError } from 'class-validator';
import { ContractViolation } from '../contract-violation';

/**
 * Checks `json` against a DTO class and returns `json` itself, typed: the validated input rather
 * than the DTO instance, so callers get plain objects (no class prototypes) exactly as received.
 * Unknown fields are violations (`forbidNonWhitelisted`), not silently dropped: an unexpected
 * field usually means producer and consumer disagree about the contract.
 */
export function parseWithDto<T>(dto: ClassConstructor<object>, contract: string, json: unknown): T {
  if (typeof json !== 'object' || json === null || Array.isArray(json)) {
    throw new ContractViolation(contract, [`${contract} must be a JSON object`]);
  }
  const errors = validateSync(plainToInstance(dto, json), {
    whitelist: true,
    forbidNonWhitelisted: true,
    forbidUnknownValues: true,
    // One problem per field is enough to act on; "must be a string; must be shorter than…" is noise.
    stopAtFirstError: true,
    validationError: { target: false, value: true },
  });
  if (errors.length > 0) throw new ContractViolation(contract, describeErrors(errors));
  return json as T;
}

/** One line per problem, with dotted paths for nested fields (`limitlessCalls.0.status ...`). */
export function describeErrors(errors: readonly ValidationError[], parentPath = ''): string[] {
  const problems: string[] = [];
  for (const error of errors) {
    const path = parentPath ? `${parentPath}.${error.property}` : error.property;
    if (!error.constraints) {
      problems.push(...describeErrors(error.children ?? [], path));
    } else if (error.value === undefined && !error.constraints['whitelistValidation'] && !error.constraints['exactlyOneOf'] && !error.constraints['atLeastOneOf']) {
      problems.push(`${path} is missing`);
    } else {
      // Children are skipped here: a field that is already the wrong shape says enough by itself.
      for (const [kind, message] of Object.entries(error.constraints)) {
        problems.push(rephrase(kind, message, error.property, path));
      }
    }
  }
  return problems;
}

function rephrase(kind: string, message: string, property: string, path: string): string {
  if (kind === 'whitelistValidation') return `${path} is not an allowed field`;
  if (kind === 'nestedValidation') return `${path} must be an object`;
  if (message.startsWith(`${property} `)) return `${path}${message.slice(property.length)}`;
  return `${path}: ${message}`;
}

/** For requests without fields: class-validator cannot check a class that has no decorated fields. */
export function parseEmptyObject<T>(contract: string, json: unknown): T {
  if (typeof json !== 'object' || json === null || Array.isArray(json)) {
    throw new ContractViolation(contract, [`${contract} must be a JSON object`]);
  }
  const extra = Object.keys(json);
  if (extra.length > 0) throw new ContractViolation(contract, extra.map((key) => `${key} is not an allowed field`));
  return json as T;
}
