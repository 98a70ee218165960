import { type AudioSourceInfo } from '../open-audio';

/**
 * The audio front end's output for one recording: the decoded 16 kHz audio in slices, each with
 * the log-mel patches it completed. Consumers feed slice by slice, so what they see does not depend
 * on where the front end runs (this thread or a worker) nor on how the decoder chunks its output.
 */
export interface FrontEndSlice {
  /** Samples in the slice (16 kHz mono). */
  length: number;
  /** The slice's samples; only when the stream was opened with `withSamples`. */
  samples: Float32Array | undefined;
  /** The 96×64 patches this slice completed, in order (often none). */
  patches: Float32Array[];
}

/** The slices of one decoded chunk: a progress report after each is natural. */
export interface FrontEndChunk {
  slices: FrontEndSlice[];
}

export interface FrontEndTimings {
  /** Milliseconds spent waiting for the decoder (reading, demuxing, decoding, resampling). */
  decodeMs: number;
  /** Milliseconds spent in the log-mel front end. */
  featuresMs: number;
}

export interface PatchStream {
  info: AudioSourceInfo;
  /**
   * The decoded chunks, iterable once. Errors are those of openAudio's samples (AudioDecodeError
   * after the chunks decodable before the damage, or the abort reason).
   */
  chunks: AsyncIterable<FrontEndChunk>;
  /** The patches of the end-of-stream padding; call once after the chunks are exhausted. */
  end(): Promise<Float32Array[]>;
  /** Time spent so far, wherever the front end ran. */
  timings(): FrontEndTimings;
  /** Releases the decoder (file, ffmpeg process, worker) when the chunks will not be read to the end. */
  close(): Promise<void>;
}

export interface PatchStreamOptions {
  /** ffmpeg for formats other than Ogg Opus and WAV; null disables the fallback. */
  ffmpegPath?: string | null;
  signal?: AbortSignal;
  /** Samples per slice (decoded chunks are cut into slices of at most this many samples). */
  sliceSamples: number;
  /** Whether slices carry their samples (for clip cutting); without, only their lengths travel. */
  withSamples: boolean;
}
