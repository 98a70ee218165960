import { YAMNET_SAMPLE_RATE } from '../constants';
import { StreamingResampler, type StreamingResamplerOptions } from '../resample/streaming-resampler';
import { WavDecoder } from './wav';

/**
 * WAV bytes → 16 kHz mono: the incremental WavDecoder followed, when the file is not already at
 * 16 kHz, by the anti-aliasing resampler. On damage the resampler's tail is still emitted before
 * the error, so every decodable sample comes out.
 */
export async function* decodeWavTo16k(bytes: AsyncIterable<Uint8Array>, resamplerOptions?: StreamingResamplerOptions): AsyncGenerator<Float32Array> {
  const decoder = new WavDecoder();
  let resampler: StreamingResampler | undefined;
  let failure: unknown;
  try {
    for await (const chunk of bytes) {
      const pcm = decoder.push(chunk);
      if (!resampler && decoder.format && decoder.format.sampleRate !== YAMNET_SAMPLE_RATE) {
        resampler = new StreamingResampler(decoder.format.sampleRate, YAMNET_SAMPLE_RATE, resamplerOptions);
      }
      const out = resampler ? resampler.process(pcm) : pcm;
      if (out.length) yield out;
    }
    decoder.end();
  } catch (error) {
    failure = error;
  }
  const tail = resampler?.flush();
  if (tail?.length) yield tail;
  if (failure !== undefined) throw failure;
}
