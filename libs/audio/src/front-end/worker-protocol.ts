import { AudioDecodeError, type AudioDecodeErrorCode } from '../errors';
import { type AudioSourceInfo } from '../open-audio';
import { type FrontEndTimings } from './patch-stream';

/** Messages between the main thread and a front-end worker (one job at a time per worker). */
export type ToWorker =
  | {
      type: 'start';
      /** A file the worker reads itself; absent: the bytes come as 'bytes' messages after 'pull'. */
      path?: string;
      ffmpegPath?: string | null;
      sliceSamples: number;
      withSamples: boolean;
      /** Chunks the worker may send before the main thread has taken them (backpressure). */
      maxChunksAhead: number;
    }
  | { type: 'bytes'; chunk: Uint8Array }
  | { type: 'bytes-end' }
  | { type: 'bytes-error'; error: SerializedError }
  /** The main thread has taken one chunk: the worker may send one more. */
  | { type: 'credit' };

export type FromWorker =
  | { type: 'opened'; info: AudioSourceInfo }
  /** The worker wants the next bytes of a streamed source. */
  | { type: 'pull' }
  | {
      type: 'chunk';
      /** Samples of each slice. */
      sliceLengths: Int32Array;
      /** Patches each slice completed; their data is back to back in `patches`. */
      patchCounts: Int32Array;
      patches: Float32Array;
      /** The slices' samples back to back, when the job asked for them. */
      samples?: Float32Array;
    }
  | { type: 'done'; endPatches: Float32Array; endCount: number; timings: FrontEndTimings }
  | { type: 'failed'; error: SerializedError; timings: FrontEndTimings };

export interface SerializedError {
  name: string;
  message: string;
  code?: AudioDecodeErrorCode;
  decodedSeconds?: number;
  byteOffset?: number;
}

export function serializeError(error: unknown): SerializedError {
  if (error instanceof AudioDecodeError) {
    return { name: error.name, message: error.message, code: error.code, decodedSeconds: error.decodedSeconds, byteOffset: error.byteOffset };
  }
  if (error instanceof Error) return { name: error.name, message: error.message };
  return { name: 'Error', message: String(error) };
}

/** The same error on this side of the thread boundary: AudioDecodeErrors keep code, message and details. */
export function deserializeError(error: SerializedError): Error {
  if (error.code !== undefined) {
    return new AudioDecodeError(error.code, error.message, { decodedSeconds: error.decodedSeconds, byteOffset: error.byteOffset });
  }
  const Type = error.name === 'RangeError' ? RangeError : error.name === 'TypeError' ? TypeError : Error;
  const out = new Type(error.message);
  if (out.name !== error.name) out.name = error.name;
  return out;
}
