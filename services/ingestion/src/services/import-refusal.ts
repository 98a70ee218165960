import { type IMPORT_ERROR_CODES } from '@giggles/contracts';

export type ImportRefusalCode = (typeof IMPORT_ERROR_CODES)[keyof typeof IMPORT_ERROR_CODES];

/**
 * A file refused for what it is (too large, not audio, corrupt, cannot be placed): recorded with
 * the reason and answered, never retried. Anything else thrown by an import is transient.
 */
export class ImportRefusal extends Error {
  override readonly name = 'ImportRefusal';
  constructor(
    readonly code: ImportRefusalCode,
    message: string,
  ) {
    super(message);
  }
}

export function isImportRefusal(value: unknown): value is ImportRefusal {
  return value instanceof ImportRefusal;
}
