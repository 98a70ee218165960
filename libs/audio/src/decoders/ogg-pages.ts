import { AudioDecodeError } from '../errors';

/** Ogg's CRC-32: polynomial 0x04C11DB7, not reflected, initial value 0, no final xor (RFC 3533). */
const CRC_TABLE = (() => {
  const table = new Uint32Array(256);
  for (let i = 0; i < 256; i++) {
    let r = i << 24;
    for (let b = 0; b < 8; b++) r = r & 0x80000000 ? (r << 1) ^ 0x04c11db7 : r << 1;
    table[i] = r >>> 0;
  }
  return table;
})();

export function oggCrc(page: Uint8Array): number {
  let crc = 0;
  for (let i = 0; i < page.length; i++) {
    // Bytes 22..25 hold the checksum itself and count as zero.
    const byte = i >= 22 && i < 26 ? 0 : page[i];
    crc = ((crc << 8) ^ CRC_TABLE[((crc >>> 24) ^ byte) & 0xff]) >>> 0;
  }
  return crc;
}

export interface OggPage {
  /** The whole page (header + body), a copy that the caller may keep. */
  bytes: Uint8Array;
  /** Byte offset of the page in the stream. */
  offset: number;
  serial: number;
  sequence: number;
  bos: boolean;
  eos: boolean;
}

const HEADER_BYTES = 27;
const FLAG_BOS = 0x02;
const FLAG_EOS = 0x04;
const MAX_PAGE_BYTES = HEADER_BYTES + 255 + 255 * 255;

/**
 * Splits a byte stream into Ogg pages and checks each one (capture pattern, version, CRC,
 * sequence continuity), so the decoder only ever sees intact pages and damage is reported where it
 * is instead of being decoded into silence or noise. Holds at most one page of pending bytes.
 */
export class OggPageScanner {
  private pending = new Uint8Array(MAX_PAGE_BYTES * 2);
  private pendingLength = 0;
  /** Stream offset of pending[0]. */
  private pendingOffset = 0;
  private readonly nextSequence = new Map<number, number>();
  private openStreams = 0;
  private pagesSeen = 0;
  private finishedAll = false;
  private lastEos = false;
  /** Set when damage was found; no further pages are returned. */
  error: AudioDecodeError | undefined;

  /** Adds bytes; returns the intact pages completed by them, in order. */
  push(chunk: Uint8Array): OggPage[] {
    const pages: OggPage[] = [];
    if (this.error || this.finishedAll) return pages;
    let offset = 0;
    while (offset < chunk.length && !this.error && !this.finishedAll) {
      const take = Math.min(chunk.length - offset, this.pending.length - this.pendingLength);
      this.pending.set(chunk.subarray(offset, offset + take), this.pendingLength);
      this.pendingLength += take;
      offset += take;
      this.extract(pages);
    }
    return pages;
  }

  /** Marks the end of input; sets `error` (TRUNCATED) when it stopped inside a page. */
  end(): void {
    if (this.error || this.finishedAll || this.pendingLength === 0) return;
    this.error = new AudioDecodeError(
      'TRUNCATED',
      `Ogg stream is truncated: it ends inside a page (${this.pendingLength} bytes of an incomplete page at byte ${this.pendingOffset})`,
      { byteOffset: this.pendingOffset },
    );
  }

  /** Whether the last page seen carried the end-of-stream flag. */
  get endedWithEos(): boolean {
    return this.lastEos;
  }

  private extract(pages: OggPage[]): void {
    let start = 0;
    const buf = this.pending;
    while (this.pendingLength - start >= HEADER_BYTES) {
      if (buf[start] !== 0x4f || buf[start + 1] !== 0x67 || buf[start + 2] !== 0x67 || buf[start + 3] !== 0x53) {
        if (this.pagesSeen > 0 && this.openStreams === 0) {
          // Every logical stream has ended: what follows is trailing junk (padding, tags), not audio.
          this.finishedAll = true;
          break;
        }
        this.fail('CORRUPT', `Ogg stream is corrupt: no page where one should start at byte ${this.pendingOffset + start}`, start);
        return;
      }
      if (buf[start + 4] !== 0) {
        this.fail('CORRUPT', `Ogg page at byte ${this.pendingOffset + start} has unknown version ${buf[start + 4]}`, start);
        return;
      }
      const segments = buf[start + 26];
      if (this.pendingLength - start < HEADER_BYTES + segments) break;
      let bodyLength = 0;
      for (let i = 0; i < segments; i++) bodyLength += buf[start + HEADER_BYTES + i];
      const pageLength = HEADER_BYTES + segments + bodyLength;
      if (this.pendingLength - start < pageLength) break;

      const bytes = buf.slice(start, start + pageLength);
      const view = new DataView(bytes.buffer);
      const stored = view.getUint32(22, true);
      if (oggCrc(bytes) !== stored) {
        this.fail('CORRUPT', `Ogg page at byte ${this.pendingOffset + start} is corrupt (checksum mismatch)`, start);
        return;
      }
      const flags = bytes[5];
      const serial = view.getUint32(14, true);
      const sequence = view.getUint32(18, true);
      const bos = (flags & FLAG_BOS) !== 0;
      const eos = (flags & FLAG_EOS) !== 0;
      const expected = this.nextSequence.get(serial);
      if (bos) {
        this.openStreams++;
      } else if (expected === undefined) {
        this.fail('CORRUPT', `Ogg page at byte ${this.pendingOffset + start} belongs to a stream that never started`, start);
        return;
      } else if (sequence !== expected) {
        this.fail(
          'CORRUPT',
          `Ogg stream is corrupt: page(s) missing before byte ${this.pendingOffset + start} (sequence ${expected} expected, ${sequence} found)`,
          start,
        );
        return;
      }
      if (eos) {
        this.nextSequence.delete(serial);
        this.openStreams = Math.max(0, this.openStreams - 1);
      } else {
        this.nextSequence.set(serial, sequence + 1);
      }
      this.pagesSeen++;
      this.lastEos = eos;
      pages.push({ bytes, offset: this.pendingOffset + start, serial, sequence, bos, eos });
      start += pageLength;
    }
    buf.copyWithin(0, start, this.pendingLength);
    this.pendingLength -= start;
    this.pendingOffset += start;
  }

  private fail(code: 'CORRUPT', message: string, start: number): void {
    this.error = new AudioDecodeError(code, message, { byteOffset: this.pendingOffset + start });
  }
}
