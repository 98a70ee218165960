import { isAudioDecodeError } from '@giggles/audio';
import type { ErrorInfo } from '@giggles/contracts';
import { AudioObjectMissingError } from './ports';

/** A problem with the segment's audio itself: reported as a 'failed' result, never retried. */
export interface SegmentFailure extends ErrorInfo {
  decodedSeconds: number;
}

export const AUDIO_OBJECT_MISSING = 'AUDIO_OBJECT_MISSING';

/** ErrorInfo.message is capped by the contract; keep well inside it. */
const MAX_MESSAGE = 2_000;

/**
 * Which errors end a segment as 'failed' (the rest of the day goes on): undecodable audio
 * (`AUDIO_<code>` from @giggles/audio: AUDIO_CORRUPT, AUDIO_TRUNCATED, AUDIO_NOT_AUDIO, AUDIO_EMPTY,
 * AUDIO_UNSUPPORTED_CODEC, AUDIO_FFMPEG_MISSING) and a missing audio object. Anything else is
 * undefined here: transient (NATS, object store, runtime), so the segment is retried.
 */
export function segmentFailure(error: unknown): SegmentFailure | undefined {
  if (error instanceof AudioObjectMissingError || (error instanceof Error && error.name === 'AudioObjectMissingError')) {
    return { code: AUDIO_OBJECT_MISSING, message: clip(error.message), decodedSeconds: 0 };
  }
  if (isAudioDecodeError(error) || (error instanceof Error && error.name === 'AudioDecodeError' && typeof (error as { code?: unknown }).code === 'string')) {
    const decodeError = error as Error & { code: string; decodedSeconds?: number };
    return { code: `AUDIO_${decodeError.code}`, message: clip(decodeError.message), decodedSeconds: decodeError.decodedSeconds ?? 0 };
  }
  return undefined;
}

function clip(message: string): string {
  return message.length > MAX_MESSAGE ? `${message.slice(0, MAX_MESSAGE - 1)}…` : message;
}
