import { LogMelPatcher } from '../features/log-mel-patcher';
import { openAudio } from '../open-audio';
import { type FrontEndChunk, type FrontEndSlice, type FrontEndTimings, type PatchStream, type PatchStreamOptions } from './patch-stream';

/**
 * The front end on the calling thread: openAudio's 16 kHz chunks cut into slices, each pushed
 * through one LogMelPatcher. The worker runs exactly this too, so both paths give the same patches.
 */
export async function openPatchStreamInThread(source: string | AsyncIterable<Uint8Array>, options: PatchStreamOptions): Promise<PatchStream> {
  const { sliceSamples, withSamples } = options;
  if (!Number.isInteger(sliceSamples) || sliceSamples < 1) throw new RangeError(`sliceSamples must be a positive integer, got ${sliceSamples}`);
  const opened = await openAudio(source, { ffmpegPath: options.ffmpegPath, signal: options.signal });
  const patcher = new LogMelPatcher();
  const timings: FrontEndTimings = { decodeMs: 0, featuresMs: 0 };
  const iterator = opened.samples[Symbol.asyncIterator]();

  async function* chunks(): AsyncGenerator<FrontEndChunk> {
    for (;;) {
      const started = performance.now();
      const next = await iterator.next();
      timings.decodeMs += performance.now() - started;
      if (next.done) return;
      const decoded = next.value;
      const slices: FrontEndSlice[] = [];
      const featuresStarted = performance.now();
      for (let at = 0; at < decoded.length; at += sliceSamples) {
        const samples = decoded.subarray(at, at + sliceSamples);
        slices.push({ length: samples.length, samples: withSamples ? samples : undefined, patches: patcher.push(samples) });
      }
      timings.featuresMs += performance.now() - featuresStarted;
      yield { slices };
    }
  }

  return {
    info: opened.info,
    chunks: chunks(),
    end: () => {
      const started = performance.now();
      const patches = patcher.end();
      timings.featuresMs += performance.now() - started;
      return Promise.resolve(patches);
    },
    timings: () => ({ ...timings }),
    close: () => opened.close(),
  };
}
