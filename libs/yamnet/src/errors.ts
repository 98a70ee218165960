/**
 * Every failure to turn a file into a runnable YAMNet model surfaces as a ModelLoadError, so
 * callers (the inference service, the CLI) can tell "the model is unusable" apart from transient
 * runtime failures and report the file and reason to the user.
 */
export type ModelLoadErrorCode =
  | 'NOT_FOUND'
  | 'NOT_TFLITE'
  | 'MALFORMED'
  | 'UNSUPPORTED_OP'
  | 'UNSUPPORTED_TYPE'
  | 'WRONG_SHAPE'
  | 'CLASS_MAP'
  | 'CACHE'
  | 'RUNTIME';

export class ModelLoadError extends Error {
  override readonly name = 'ModelLoadError';

  constructor(
    readonly code: ModelLoadErrorCode,
    message: string,
    readonly path?: string,
    options?: { cause?: unknown },
  ) {
    super(path ? `${message} (${path})` : message, options);
  }
}
