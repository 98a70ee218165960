/**
 * Why an input could not be (fully) decoded. Callers branch on `code`, never on the message text:
 * e.g. the inference service keeps partial results for TRUNCATED/CORRUPT (the samples before the
 * damage were already yielded) but treats NOT_AUDIO/UNSUPPORTED_CODEC as permanent failures.
 */
export type AudioDecodeErrorCode =
  | 'NOT_FOUND'
  | 'EMPTY'
  | 'TRUNCATED'
  | 'CORRUPT'
  | 'NOT_AUDIO'
  | 'UNSUPPORTED_CODEC'
  | 'FFMPEG_MISSING';

export interface AudioDecodeErrorDetails {
  /** Seconds of 16 kHz audio yielded before the error (0 when it happened before any output). */
  decodedSeconds?: number;
  /** Byte offset in the input where the problem was found, when known. */
  byteOffset?: number;
  cause?: unknown;
}

/** The one error type openAudio and the decoders throw for problems with the input itself. */
export class AudioDecodeError extends Error {
  override readonly name = 'AudioDecodeError';
  readonly decodedSeconds: number | undefined;
  readonly byteOffset: number | undefined;

  constructor(
    readonly code: AudioDecodeErrorCode,
    message: string,
    details: AudioDecodeErrorDetails = {},
  ) {
    // One line: the message ends up in processing-log rows and JSON logs.
    super(message.replace(/\s*\n\s*/g, ' '), details.cause === undefined ? undefined : { cause: details.cause });
    this.decodedSeconds = details.decodedSeconds;
    this.byteOffset = details.byteOffset;
  }
}

export function isAudioDecodeError(value: unknown): value is AudioDecodeError {
  return value instanceof AudioDecodeError;
}

export const FFMPEG_INSTALL_HINT =
  'install ffmpeg (e.g. "apt-get install ffmpeg", "brew install ffmpeg") or set its path with the ffmpegPath option';
