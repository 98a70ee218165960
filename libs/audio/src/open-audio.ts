import { YAMNET_SAMPLE_RATE } from './constants';
import { startFfmpegDecode } from './decoders/ffmpeg';
import { findFfmpeg } from './decoders/ffmpeg-locate';
import { decodeOggOpus } from './decoders/ogg-opus';
import { SNIFF_BYTES, sniffFormat } from './decoders/sniff';
import { probeWavFormat, type WavFormat } from './decoders/wav-format';
import { decodeWavTo16k } from './decoders/wav-stream';
import { AudioDecodeError, FFMPEG_INSTALL_HINT } from './errors';
import { checkAudioFile, readFileChunks } from './io/file-source';
import { MAX_SOURCE_CHANNELS, MAX_SOURCE_SAMPLE_RATE } from './limits';
import { PeekableByteStream } from './io/byte-stream';
import { type StreamingResamplerOptions } from './resample/streaming-resampler';

export interface AudioSourceInfo {
  container: 'ogg-opus' | 'wav' | 'ffmpeg';
  /** The rate the codec delivers before conversion to 16 kHz (Opus: always 48000). */
  sourceSampleRate: number;
  channels: number;
  /** Codec name, when known (e.g. "opus", "PCM (format tag 0x0001)", ffmpeg's "mp3"). */
  codec?: string;
}

export interface OpenAudioOptions {
  /** ffmpeg executable for formats other than Ogg Opus and WAV; null disables ffmpeg. */
  ffmpegPath?: string | null;
  /** Read size for file sources (default 64 KiB); also bounds the compressed bytes per Opus decode call. */
  chunkBytes?: number;
  signal?: AbortSignal;
  /** Resampler settings for WAV files that are not at 16 kHz. */
  resampler?: StreamingResamplerOptions;
}

export interface OpenedAudio {
  info: AudioSourceInfo;
  /** 16 kHz mono chunks, iterable once. Errors are AudioDecodeError (or the abort reason). */
  samples: AsyncIterable<Float32Array>;
  /** Releases the file / ffmpeg process when the samples will not be read to the end. */
  close(): Promise<void>;
}

const DEFAULT_CHUNK_BYTES = 64 * 1024;
/** A WAV whose fmt chunk is not within this many bytes is not worth waiting for. */
const MAX_WAV_PROBE_BYTES = 1024 * 1024;

/**
 * Opens a file path or a byte stream and yields 16 kHz mono Float32 chunks, streaming: memory stays
 * bounded whatever the recording length. Ogg Opus and WAV are decoded natively; other formats (and
 * WAV codecs such as ADPCM) go through ffmpeg when it is available.
 *
 * The samples add up to exactly the decoded duration (Opus: granule-trimmed length; WAV: ⌈frames ·
 * 16000 / rate⌉). Damaged input (TRUNCATED, CORRUPT) yields every sample decodable before the damage
 * and then throws, with `decodedSeconds` on the error, so callers may keep partial results.
 * Problems found before any audio (NOT_FOUND, EMPTY, NOT_AUDIO, UNSUPPORTED_CODEC, FFMPEG_MISSING)
 * reject the returned promise. A stream that decodes to no samples at all throws EMPTY.
 */
export async function openAudio(source: string | AsyncIterable<Uint8Array>, options: OpenAudioOptions = {}): Promise<OpenedAudio> {
  const { signal } = options;
  signal?.throwIfAborted();
  const chunkBytes = options.chunkBytes ?? DEFAULT_CHUNK_BYTES;
  if (!Number.isInteger(chunkBytes) || chunkBytes < 1) throw new RangeError(`chunkBytes must be a positive integer, got ${chunkBytes}`);
  const path = typeof source === 'string' ? source : undefined;
  const label = path ?? 'the audio stream';
  if (path !== undefined) await checkAudioFile(path);
  const stream = new PeekableByteStream(abortable(path !== undefined ? readFileChunks(path, chunkBytes) : (source as AsyncIterable<Uint8Array>), signal));
  try {
    let prefix = await stream.peek(SNIFF_BYTES);
    if (prefix.length === 0) throw new AudioDecodeError('EMPTY', `${label} is empty (0 bytes)`);
    const sniffed = sniffFormat(prefix);
    switch (sniffed.kind) {
      case 'ogg-opus':
        return opened(
          { container: 'ogg-opus', sourceSampleRate: 48000, channels: sniffed.channels, codec: 'opus' },
          decodeOggOpus(stream, { batchBytes: chunkBytes }),
          stream,
          signal,
        );
      case 'wav': {
        let probe = probeWavFormat(prefix, stream.endedWithinPeek);
        while (probe.status === 'need-more') {
          if (prefix.length >= MAX_WAV_PROBE_BYTES) {
            throw new AudioDecodeError('CORRUPT', `${label} has no WAV fmt chunk in its first ${MAX_WAV_PROBE_BYTES} bytes`);
          }
          prefix = await stream.peek(prefix.length * 2);
          probe = probeWavFormat(prefix, stream.endedWithinPeek);
        }
        const format: WavFormat = probe.format;
        if (format.encoding) {
          return opened(
            { container: 'wav', sourceSampleRate: format.sampleRate, channels: format.channels, codec: format.codecName },
            decodeWavTo16k(stream, options.resampler),
            stream,
            signal,
          );
        }
        const ffmpeg = await findFfmpeg(options.ffmpegPath);
        if (!ffmpeg) {
          throw new AudioDecodeError('UNSUPPORTED_CODEC', `${label} uses WAV codec ${format.codecName}, which needs ffmpeg: ${FFMPEG_INSTALL_HINT}`);
        }
        return await viaFfmpeg(ffmpeg, path, stream, `WAV (${format.codecName})`, signal);
      }
      case 'text':
        throw new AudioDecodeError('NOT_AUDIO', `${label} is a text file, not audio`);
      case 'other': {
        const ffmpeg = await findFfmpeg(options.ffmpegPath);
        if (!ffmpeg) {
          const what = sniffed.format ? `${sniffed.format} audio` : 'neither Ogg Opus nor WAV';
          throw new AudioDecodeError('FFMPEG_MISSING', `${label} is ${what}; decoding it needs ffmpeg: ${FFMPEG_INSTALL_HINT}`);
        }
        return await viaFfmpeg(ffmpeg, path, stream, sniffed.format, signal);
      }
    }
  } catch (error) {
    await stream.close();
    throw error;
  }
}

async function viaFfmpeg(
  ffmpegPath: string,
  path: string | undefined,
  stream: PeekableByteStream,
  formatHint: string | undefined,
  signal: AbortSignal | undefined,
): Promise<OpenedAudio> {
  // A file goes to ffmpeg by path: containers like MP4 keep their index at the end and need seeking.
  if (path !== undefined) await stream.close();
  const decoding = await startFfmpegDecode(path !== undefined ? { path } : { stream }, { ffmpegPath, formatHint, signal });
  // ffmpeg decodes in its own process, but inside the same memory limit: refuse absurd headers there too.
  if (decoding.sourceSampleRate > MAX_SOURCE_SAMPLE_RATE || decoding.channels > MAX_SOURCE_CHANNELS) {
    decoding.close();
    throw new AudioDecodeError(
      'CORRUPT',
      `${path ?? 'the audio stream'} declares ${decoding.sourceSampleRate} Hz and ${decoding.channels} channels (at most ${MAX_SOURCE_SAMPLE_RATE} Hz and ${MAX_SOURCE_CHANNELS} channels are accepted)`,
    );
  }
  return opened(
    { container: 'ffmpeg', sourceSampleRate: decoding.sourceSampleRate, channels: decoding.channels, codec: decoding.codec },
    decoding.samples,
    stream,
    signal,
    decoding.close,
  );
}

function opened(
  info: AudioSourceInfo,
  decoded: AsyncIterable<Float32Array>,
  stream: PeekableByteStream,
  signal: AbortSignal | undefined,
  closeDecoder?: () => void,
): OpenedAudio {
  const samples = checked(decoded, signal);
  return {
    info,
    samples,
    async close() {
      closeDecoder?.();
      await samples.return(undefined);
      await stream.close();
    },
  };
}

/**
 * Counts what was yielded, so errors say how much audio came out before them, and turns a
 * stream with no samples into EMPTY.
 */
async function* checked(decoded: AsyncIterable<Float32Array>, signal: AbortSignal | undefined): AsyncGenerator<Float32Array, void, undefined> {
  let count = 0;
  try {
    for await (const chunk of decoded) {
      signal?.throwIfAborted();
      count += chunk.length;
      yield chunk;
    }
  } catch (error) {
    if (error instanceof AudioDecodeError && error.decodedSeconds === undefined) {
      const decodedSeconds = count / YAMNET_SAMPLE_RATE;
      throw new AudioDecodeError(error.code, `${error.message} (after ${decodedSeconds.toFixed(2)} s of audio)`, {
        decodedSeconds,
        byteOffset: error.byteOffset,
        cause: error.cause,
      });
    }
    throw error;
  }
  signal?.throwIfAborted();
  if (count === 0) throw new AudioDecodeError('EMPTY', 'the input contains no audio samples', { decodedSeconds: 0 });
}

async function* abortable(source: AsyncIterable<Uint8Array>, signal: AbortSignal | undefined): AsyncGenerator<Uint8Array> {
  signal?.throwIfAborted();
  for await (const chunk of source) {
    signal?.throwIfAborted();
    yield chunk;
  }
}
