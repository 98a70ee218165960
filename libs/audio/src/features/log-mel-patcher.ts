import {
  FFT_LENGTH,
  LOG_OFFSET,
  MEL_BANDS,
  PATCH_FRAMES,
  PATCH_HOP_FRAMES,
  PATCH_HOP_SAMPLES,
  PATCH_WINDOW_SAMPLES,
  SPECTRUM_BINS,
  STFT_HOP_SAMPLES,
  STFT_WINDOW_SAMPLES,
} from '../constants';
import { RealFft } from './fft';
import { periodicHann } from './hann';
import { MelFilterbank } from './mel-matrix';

export interface LogMelPatcherOptions {
  /**
   * At end(), zero-pad the waveform so the samples after the last full patch form one more patch,
   * exactly like YAMNet's `features.pad_waveform` (which rounds the waveform up to a whole number of
   * patch hops). Default false: only full patches, except that a recording too short for any full
   * patch still yields one zero-padded patch (pad_waveform's minimum length), so every non-empty
   * recording gets at least one score.
   */
  emitPartialFinalPatch?: boolean;
}

const SAMPLE_BUFFER = 8192;
// Module-local copies: some CommonJS transpilers (tsx/esbuild, SWC) turn imported bindings into
// getter calls, which costs 2× in the per-sample loops below.
const WINDOW = STFT_WINDOW_SAMPLES;
const HOP = STFT_HOP_SAMPLES;
const BANDS = MEL_BANDS;
const FRAMES = PATCH_FRAMES;
const HOP_FRAMES = PATCH_HOP_FRAMES;
const OFFSET = LOG_OFFSET;

/**
 * YAMNet's log-mel front end, computed incrementally: 16 kHz mono samples in, 96×64 log-mel patches
 * out (Float32Array, row-major frame × band), patch i starting at sample i·7680 (i·0.48 s).
 *
 * Frame j covers samples [160j, 160j+400) (tf.signal.stft has no centre padding), is multiplied by a
 * periodic Hann window, zero-padded to 512, and its magnitude spectrum (257 bins) goes through the
 * TF mel matrix (64 bands, 125–7500 Hz) and log(mel + 0.001).
 *
 * State is bounded: at most one analysis window of samples and one patch of frames are kept,
 * whatever the recording length.
 */
export class LogMelPatcher {
  private readonly emitPartial: boolean;
  private readonly fft = new RealFft(FFT_LENGTH);
  private readonly window = periodicHann(STFT_WINDOW_SAMPLES);
  private readonly mel = new MelFilterbank();
  private readonly spectrum = new Float64Array(SPECTRUM_BINS);
  private readonly melOut = new Float64Array(MEL_BANDS);
  /** Unconsumed samples; samples[0] is absolute sample `bufferStart`. */
  private readonly samples = new Float64Array(SAMPLE_BUFFER);
  private bufferLength = 0;
  /** Circular store of the last PATCH_FRAMES log-mel frames. */
  private readonly frames = new Float32Array(PATCH_FRAMES * MEL_BANDS);
  private framesDone = 0;
  private patchesDone = 0;
  private seen = 0;
  private ended = false;

  constructor(options: LogMelPatcherOptions = {}) {
    this.emitPartial = options.emitPartialFinalPatch ?? false;
  }

  /** Samples pushed so far (excluding end-of-stream padding). */
  get samplesSeen(): number {
    return this.seen;
  }

  /** Patches emitted so far. */
  get patchesEmitted(): number {
    return this.patchesDone;
  }

  /** Adds samples; returns the patches they completed (often none). */
  push(input: Float32Array): Float32Array[] {
    if (this.ended) throw new Error('LogMelPatcher: push() after end()');
    this.seen += input.length;
    const out: Float32Array[] = [];
    this.consume(input, out);
    return out;
  }

  /** Ends the stream: pads as documented on LogMelPatcherOptions and returns the final patches. */
  end(): Float32Array[] {
    if (this.ended) return [];
    this.ended = true;
    const out: Float32Array[] = [];
    const total = this.seen;
    if (total === 0) return out;
    let target = total;
    if (total < PATCH_WINDOW_SAMPLES) {
      target = PATCH_WINDOW_SAMPLES;
    } else if (this.emitPartial) {
      target = PATCH_WINDOW_SAMPLES + Math.ceil((total - PATCH_WINDOW_SAMPLES) / PATCH_HOP_SAMPLES) * PATCH_HOP_SAMPLES;
    }
    const zeros = new Float32Array(Math.min(target - total, SAMPLE_BUFFER));
    for (let left = target - total; left > 0; left -= zeros.length) {
      this.consume(left >= zeros.length ? zeros : zeros.subarray(0, left), out);
    }
    return out;
  }

  private consume(input: Float32Array, out: Float32Array[]): void {
    let offset = 0;
    while (offset < input.length) {
      const take = Math.min(input.length - offset, SAMPLE_BUFFER - this.bufferLength);
      this.samples.set(input.subarray(offset, offset + take), this.bufferLength);
      this.bufferLength += take;
      offset += take;
      let start = 0;
      while (start + WINDOW <= this.bufferLength) {
        this.computeFrame(start);
        start += HOP;
        if (this.framesDone >= FRAMES && (this.framesDone - FRAMES) % HOP_FRAMES === 0) {
          out.push(this.copyPatch());
        }
      }
      // Keep only the tail that later frames still need.
      this.samples.copyWithin(0, start, this.bufferLength);
      this.bufferLength -= start;
    }
  }

  private computeFrame(start: number): void {
    // Window the 400 samples and zero-pad them to 512 as the FFT loads them.
    this.fft.windowedMagnitude(this.samples, start, this.window, this.spectrum);
    this.mel.apply(this.spectrum, this.melOut);
    const row = (this.framesDone % FRAMES) * BANDS;
    for (let m = 0; m < BANDS; m++) this.frames[row + m] = Math.log(this.melOut[m] + OFFSET);
    this.framesDone++;
  }

  /** The last PATCH_FRAMES frames, oldest first. */
  private copyPatch(): Float32Array {
    const patch = new Float32Array(FRAMES * BANDS);
    const oldest = (this.framesDone % FRAMES) * BANDS;
    patch.set(this.frames.subarray(oldest), 0);
    patch.set(this.frames.subarray(0, oldest), this.frames.length - oldest);
    this.patchesDone++;
    return patch;
  }
}
