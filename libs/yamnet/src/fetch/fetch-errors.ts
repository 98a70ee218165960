export type ModelFetchErrorCode = 'HTTP' | 'NETWORK' | 'TRUNCATED' | 'TOO_LARGE' | 'CHECKSUM' | 'NOT_A_MODEL' | 'NO_CHECKSUM';

/** Why a model download was refused; nothing of it is left on disk when this is thrown. */
export class ModelFetchError extends Error {
  override readonly name = 'ModelFetchError';

  constructor(
    readonly code: ModelFetchErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}
