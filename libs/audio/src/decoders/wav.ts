import { AudioDecodeError } from '../errors';
import { ALAW_TABLE, MULAW_TABLE } from './g711';
import { parseFmtChunk, type WavFormat } from './wav-format';

type State = 'riff' | 'chunk-header' | 'fmt' | 'data' | 'skip' | 'done';

const MAX_FMT_BYTES = 1024;

/**
 * Incremental RIFF/WAVE decoder: bytes in (split anywhere, even inside a header or a sample),
 * mono Float32 samples at the file's own rate out. Handles 8/16/24/32-bit PCM, 32/64-bit float,
 * A-law/µ-law, WAVE_FORMAT_EXTENSIBLE, any channel count (averaged to mono), unknown chunks before
 * or after the data (LIST, bext, JUNK, …) and the pad byte after odd-sized chunks. State is a few
 * header bytes and at most one partial sample frame.
 */
export class WavDecoder {
  format: WavFormat | undefined;
  private state: State = 'riff';
  /** Bytes of the fixed-size item being collected (RIFF header, chunk header, fmt body). */
  private acc = new Uint8Array(12);
  private accLength = 0;
  private accNeeded = 12;
  private offset = 0;
  private riffSize = 0;
  private chunkOffset = 0;
  private remaining = 0;
  private padAfter = 0;
  private dataSeen = false;
  private unknownDataLength = false;
  private carry = new Uint8Array(0);
  private carryLength = 0;
  private framesOut = 0;

  /** Mono frames decoded so far. */
  get framesDecoded(): number {
    return this.framesOut;
  }

  push(chunk: Uint8Array): Float32Array {
    const outputs: Float32Array[] = [];
    let i = 0;
    while (i < chunk.length && this.state !== 'done') {
      if (this.state === 'data') {
        const take = Math.min(chunk.length - i, this.remaining);
        if (take > 0) outputs.push(this.decodeData(chunk.subarray(i, i + take)));
        i += take;
        this.offset += take;
        this.remaining -= take;
        if (this.remaining === 0) this.startChunkHeader(this.padAfter);
      } else if (this.state === 'skip') {
        const take = Math.min(chunk.length - i, this.remaining);
        i += take;
        this.offset += take;
        this.remaining -= take;
        if (this.remaining === 0) this.startChunkHeader(0);
      } else {
        const take = Math.min(chunk.length - i, this.accNeeded - this.accLength);
        this.acc.set(chunk.subarray(i, i + take), this.accLength);
        this.accLength += take;
        i += take;
        this.offset += take;
        if (this.accLength === this.accNeeded) this.completeHeaderItem();
      }
    }
    return concat(outputs);
  }

  /** Ends the input; throws TRUNCATED when it stopped before or inside the audio data. */
  end(): void {
    if (this.state === 'data' && this.unknownDataLength) {
      this.state = 'done';
      return this.checkPartialFrame();
    }
    if (!this.dataSeen) {
      const where = this.format ? 'before its audio data' : 'before its fmt chunk';
      throw new AudioDecodeError('TRUNCATED', `WAV file is truncated: it ends ${where} (byte ${this.offset})`, { byteOffset: this.offset });
    }
    if (this.state === 'data') {
      throw new AudioDecodeError(
        'TRUNCATED',
        `WAV file is truncated: its data chunk declares ${this.remaining} more bytes than the file holds (ends at byte ${this.offset})`,
        { byteOffset: this.offset },
      );
    }
    // Ending inside a chunk after the audio (a cut-off LIST tag, a missing pad byte) loses no audio.
    this.state = 'done';
  }

  private checkPartialFrame(): void {
    if (this.carryLength) {
      throw new AudioDecodeError('TRUNCATED', `WAV file is truncated: it ends inside a sample frame (byte ${this.offset})`, { byteOffset: this.offset });
    }
  }

  private startChunkHeader(skip: number): void {
    if (skip) {
      this.state = 'skip';
      this.remaining = skip;
      this.padAfter = 0;
      return;
    }
    this.state = 'chunk-header';
    this.expect(8);
  }

  private expect(bytes: number): void {
    if (this.acc.length < bytes) this.acc = new Uint8Array(bytes);
    this.accLength = 0;
    this.accNeeded = bytes;
  }

  private completeHeaderItem(): void {
    const view = new DataView(this.acc.buffer, 0, this.accLength);
    if (this.state === 'riff') {
      const riff = String.fromCharCode(...this.acc.subarray(0, 4));
      const wave = String.fromCharCode(...this.acc.subarray(8, 12));
      if (riff !== 'RIFF' || wave !== 'WAVE') throw new AudioDecodeError('NOT_AUDIO', 'input is not a RIFF/WAVE file', { byteOffset: 0 });
      this.riffSize = view.getUint32(4, true);
      this.startChunkHeader(0);
      return;
    }
    if (this.state === 'fmt') {
      this.format = parseFmtChunk(this.acc.subarray(0, this.accLength), this.chunkOffset + 8);
      if (!this.format.encoding) {
        throw new AudioDecodeError('UNSUPPORTED_CODEC', `WAV codec ${this.format.codecName} is not supported natively`, { byteOffset: this.chunkOffset });
      }
      this.carry = new Uint8Array(this.format.blockAlign);
      this.startChunkHeader(this.padAfter);
      return;
    }
    // chunk-header
    const id = String.fromCharCode(...this.acc.subarray(0, 4));
    const size = view.getUint32(4, true);
    this.chunkOffset = this.offset - 8;
    this.padAfter = size & 1;
    if (id === 'fmt ') {
      if (size > MAX_FMT_BYTES) throw new AudioDecodeError('CORRUPT', `WAV fmt chunk at byte ${this.chunkOffset} is implausibly large (${size} bytes)`, { byteOffset: this.chunkOffset });
      this.state = 'fmt';
      this.expect(size);
      if (size === 0) this.completeHeaderItem();
    } else if (id === 'data') {
      if (!this.format) throw new AudioDecodeError('CORRUPT', `WAV data chunk at byte ${this.chunkOffset} comes before any fmt chunk`, { byteOffset: this.chunkOffset });
      this.dataSeen = true;
      // Writers streaming to a pipe cannot seek back to fill in sizes: 0xFFFFFFFF, or 0 with a RIFF
      // size that stops at this header, means "until the end of the file".
      const placeholder = size === 0xffffffff || (size === 0 && this.riffSize + 8 <= this.offset);
      this.unknownDataLength = placeholder;
      this.state = 'data';
      this.remaining = placeholder ? Number.POSITIVE_INFINITY : size;
      if (this.remaining === 0) this.startChunkHeader(0);
    } else {
      this.state = 'skip';
      this.remaining = size + (size & 1);
      this.padAfter = 0;
      if (this.remaining === 0) this.startChunkHeader(0);
    }
  }

  /** Decodes whole sample frames, keeping a partial frame across calls. */
  private decodeData(bytes: Uint8Array): Float32Array {
    const format = this.format as WavFormat;
    const block = format.blockAlign;
    let start = 0;
    const pieces: Float32Array[] = [];
    if (this.carryLength) {
      const take = Math.min(block - this.carryLength, bytes.length);
      this.carry.set(bytes.subarray(0, take), this.carryLength);
      this.carryLength += take;
      start = take;
      if (this.carryLength < block) return new Float32Array(0);
      pieces.push(decodeFrames(format, this.carry, 0, 1));
      this.carryLength = 0;
    }
    const frames = Math.floor((bytes.length - start) / block);
    if (frames) pieces.push(decodeFrames(format, bytes, start, frames));
    const rest = bytes.length - start - frames * block;
    if (rest) {
      this.carry.set(bytes.subarray(bytes.length - rest), 0);
      this.carryLength = rest;
    }
    const out = concat(pieces);
    this.framesOut += out.length;
    return out;
  }
}

/** Converts `frames` interleaved frames starting at `start`, averaging channels. */
function decodeFrames(format: WavFormat, bytes: Uint8Array, start: number, frames: number): Float32Array {
  const { channels, bytesPerSample, blockAlign } = format;
  const out = new Float32Array(frames);
  const view = new DataView(bytes.buffer, bytes.byteOffset + start, frames * blockAlign);
  const scale = 1 / channels;
  let p = 0;
  for (let f = 0; f < frames; f++) {
    let sum = 0;
    for (let c = 0; c < channels; c++, p += bytesPerSample) sum += readSample(format, view, p, bytesPerSample);
    out[f] = sum * scale;
  }
  return out;
}

function readSample(format: WavFormat, view: DataView, p: number, bytes: number): number {
  switch (format.encoding) {
    case 'pcm':
      switch (bytes) {
        case 1:
          return (view.getUint8(p) - 128) / 128; // 8-bit WAV is unsigned
        case 2:
          return view.getInt16(p, true) / 32768;
        case 3:
          return (view.getUint8(p) | (view.getUint8(p + 1) << 8) | (view.getInt8(p + 2) << 16)) / 8388608;
        default:
          return view.getInt32(p, true) / 2147483648;
      }
    case 'float': {
      const value = bytes === 4 ? view.getFloat32(p, true) : view.getFloat64(p, true);
      return Number.isFinite(value) ? value : 0;
    }
    case 'alaw':
      return ALAW_TABLE[view.getUint8(p)];
    case 'mulaw':
      return MULAW_TABLE[view.getUint8(p)];
    default:
      throw new AudioDecodeError('UNSUPPORTED_CODEC', `WAV codec ${format.codecName} is not supported natively`);
  }
}

function concat(parts: Float32Array[]): Float32Array {
  if (parts.length === 1) return parts[0];
  let length = 0;
  for (const part of parts) length += part.length;
  const out = new Float32Array(length);
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}
