import { EXIT } from './operator-io';

/**
 * A failure an operator command reports as one line on stderr with its exit code: a usage mistake
 * (2) or something the scheduler or NATS said or did not say (1).
 */
export class OperatorError extends Error {
  override name = 'OperatorError';
  constructor(
    message: string,
    readonly exitCode: number = EXIT.failed,
  ) {
    super(message);
  }

  static usage(message: string): OperatorError {
    return new OperatorError(message, EXIT.usage);
  }
}
