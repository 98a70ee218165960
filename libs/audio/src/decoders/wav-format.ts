import { AudioDecodeError } from '../errors';
import { MAX_BITS_PER_SAMPLE, MAX_SOURCE_CHANNELS, MAX_SOURCE_SAMPLE_RATE, MIN_SOURCE_SAMPLE_RATE } from '../limits';

export type WavSampleEncoding = 'pcm' | 'float' | 'alaw' | 'mulaw';

export interface WavFormat {
  /** The format tag, with WAVE_FORMAT_EXTENSIBLE resolved to its sub-format. */
  formatTag: number;
  codecName: string;
  /** Set when we decode this codec natively. */
  encoding: WavSampleEncoding | undefined;
  channels: number;
  sampleRate: number;
  blockAlign: number;
  /** Bytes per sample of one channel (blockAlign / channels). */
  bytesPerSample: number;
}

const WAVE_FORMAT_EXTENSIBLE = 0xfffe;

const CODEC_NAMES: Record<number, string> = {
  0x0001: 'PCM',
  0x0002: 'Microsoft ADPCM',
  0x0003: 'IEEE float',
  0x0006: 'A-law',
  0x0007: 'µ-law',
  0x0011: 'IMA ADPCM',
  0x0022: 'TrueSpeech',
  0x0031: 'GSM 6.10',
  0x0040: 'G.721 ADPCM',
  0x0050: 'MPEG',
  0x0055: 'MP3',
  0x00ff: 'AAC',
  0x0160: 'WMA',
  0x0161: 'WMA',
  0x1610: 'AAC',
};

export function wavCodecName(tag: number): string {
  return `${CODEC_NAMES[tag] ?? 'unknown codec'} (format tag 0x${tag.toString(16).padStart(4, '0')})`;
}

/** Parses a `fmt ` chunk body. Throws CORRUPT when it is inconsistent. */
export function parseFmtChunk(body: Uint8Array, byteOffset: number): WavFormat {
  if (body.length < 16) throw new AudioDecodeError('CORRUPT', `WAV fmt chunk at byte ${byteOffset} is too short (${body.length} bytes)`, { byteOffset });
  const view = new DataView(body.buffer, body.byteOffset, body.byteLength);
  let formatTag = view.getUint16(0, true);
  const channels = view.getUint16(2, true);
  const sampleRate = view.getUint32(4, true);
  const blockAlign = view.getUint16(12, true);
  const bitsPerSample = view.getUint16(14, true);
  if (formatTag === WAVE_FORMAT_EXTENSIBLE) {
    if (body.length < 40) throw new AudioDecodeError('CORRUPT', `WAV extensible fmt chunk at byte ${byteOffset} is too short`, { byteOffset });
    // The sub-format GUID starts with the ordinary format tag.
    formatTag = view.getUint16(24, true);
  }
  if (channels === 0 || sampleRate === 0 || blockAlign === 0) {
    throw new AudioDecodeError('CORRUPT', `WAV header is invalid: ${channels} channels, ${sampleRate} Hz, block size ${blockAlign}`, { byteOffset });
  }
  checkHeaderBounds(channels, sampleRate, bitsPerSample, byteOffset);
  const bytesPerSample = blockAlign / channels;
  const encoding = nativeEncoding(formatTag, bytesPerSample, bitsPerSample);
  if (encoding && !Number.isInteger(bytesPerSample)) {
    throw new AudioDecodeError('CORRUPT', `WAV header is invalid: block size ${blockAlign} for ${channels} channels`, { byteOffset });
  }
  return { formatTag, codecName: wavCodecName(formatTag), encoding, channels, sampleRate, blockAlign, bytesPerSample };
}

/** Refuses header values no recorder writes before they size any buffer or filter (see limits.ts). */
function checkHeaderBounds(channels: number, sampleRate: number, bitsPerSample: number, byteOffset: number): void {
  if (sampleRate > MAX_SOURCE_SAMPLE_RATE || sampleRate < MIN_SOURCE_SAMPLE_RATE) {
    throw new AudioDecodeError(
      'CORRUPT',
      `WAV header declares an implausible sample rate of ${sampleRate} Hz (accepted: ${MIN_SOURCE_SAMPLE_RATE}–${MAX_SOURCE_SAMPLE_RATE} Hz)`,
      { byteOffset },
    );
  }
  if (channels > MAX_SOURCE_CHANNELS) {
    throw new AudioDecodeError('CORRUPT', `WAV header declares ${channels} channels (at most ${MAX_SOURCE_CHANNELS} are accepted)`, { byteOffset });
  }
  if (bitsPerSample > MAX_BITS_PER_SAMPLE) {
    throw new AudioDecodeError('CORRUPT', `WAV header declares ${bitsPerSample}-bit samples (at most ${MAX_BITS_PER_SAMPLE} bits are accepted)`, { byteOffset });
  }
}

function nativeEncoding(tag: number, bytesPerSample: number, bits: number): WavSampleEncoding | undefined {
  switch (tag) {
    case 0x0001:
      // Container bytes decide the layout; samples narrower than their container are left-justified.
      return bytesPerSample >= 1 && bytesPerSample <= 4 && bits <= bytesPerSample * 8 ? 'pcm' : undefined;
    case 0x0003:
      return bytesPerSample === 4 || bytesPerSample === 8 ? 'float' : undefined;
    case 0x0006:
      return bytesPerSample === 1 ? 'alaw' : undefined;
    case 0x0007:
      return bytesPerSample === 1 ? 'mulaw' : undefined;
    default:
      return undefined;
  }
}

export type WavProbe = { status: 'format'; format: WavFormat } | { status: 'need-more' };

/**
 * Finds and parses the fmt chunk in the first bytes of a RIFF/WAVE stream, so the caller can pick
 * the native decoder or ffmpeg before consuming the stream. `complete` says the prefix is the
 * whole input.
 */
export function probeWavFormat(prefix: Uint8Array, complete: boolean): WavProbe {
  const view = new DataView(prefix.buffer, prefix.byteOffset, prefix.byteLength);
  let offset = 12;
  while (offset + 8 <= prefix.length) {
    const id = String.fromCharCode(prefix[offset], prefix[offset + 1], prefix[offset + 2], prefix[offset + 3]);
    const size = view.getUint32(offset + 4, true);
    if (id === 'fmt ') {
      if (offset + 8 + size > prefix.length) break;
      return { status: 'format', format: parseFmtChunk(prefix.subarray(offset + 8, offset + 8 + size), offset + 8) };
    }
    if (id === 'data') throw new AudioDecodeError('CORRUPT', `WAV data chunk at byte ${offset} comes before any fmt chunk`, { byteOffset: offset });
    offset += 8 + size + (size & 1);
  }
  if (complete) throw new AudioDecodeError('TRUNCATED', 'WAV file is truncated: it ends before its fmt chunk', { byteOffset: prefix.length });
  return { status: 'need-more' };
}
