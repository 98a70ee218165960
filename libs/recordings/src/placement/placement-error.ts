/**
 * Why a file could not be placed on the timeline. `code` is stable (the CLI, the gateway and the
 * upload page map it to a message); `message` is for people and already says what to do.
 */
export type PlacementErrorCode = 'CANNOT_PLACE' | 'INVALID_START' | 'INVALID_DURATION' | 'INVALID_TIMEZONE';

export class PlacementError extends Error {
  constructor(
    readonly code: PlacementErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'PlacementError';
  }
}
