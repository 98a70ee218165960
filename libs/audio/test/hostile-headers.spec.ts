import { describe, expect, it } from 'vitest';
import {
  MAX_OGG_HEADER_PACKET_BYTES,
  MAX_OPUS_AUDIO_PACKET_BYTES,
  MAX_OPUS_PACKETS_PER_DECODE,
  MAX_SOURCE_CHANNELS,
  MAX_SOURCE_SAMPLE_RATE,
  MIN_SOURCE_SAMPLE_RATE,
  openAudio,
} from '../src';
import { oggCrc } from '../src/decoders/ogg-pages';
import { caught } from './helpers';
import { buildWav } from './wav-builder';

/**
 * Tiny crafted files whose headers declare absurd values: each must fail fast with a clear CORRUPT
 * error, before anything sized by the header is allocated.
 */

async function* once(bytes: Uint8Array): AsyncGenerator<Uint8Array> {
  yield bytes;
}

async function decodeAll(bytes: Uint8Array): Promise<{ chunks: number[] }> {
  const { samples } = await openAudio(once(bytes), { ffmpegPath: null });
  const chunks: number[] = [];
  for await (const chunk of samples) chunks.push(chunk.length);
  return { chunks };
}

/** An 844-byte 16-bit mono WAV (the example) with one fmt field overridden. */
function hostileWav(field: { sampleRate?: number; channels?: number; bitsPerSample?: number; blockAlign?: number }): Uint8Array {
  const wav = buildWav({ channels: 1, sampleRate: 16_000, bitsPerSample: 16, data: new Uint8Array(800) });
  const view = new DataView(wav.buffer);
  // fmt body starts at byte 20: tag, channels, rate, byte rate, block align, bits.
  if (field.channels !== undefined) view.setUint16(22, field.channels, true);
  if (field.sampleRate !== undefined) view.setUint32(24, field.sampleRate, true);
  if (field.blockAlign !== undefined) view.setUint16(32, field.blockAlign, true);
  if (field.bitsPerSample !== undefined) view.setUint16(34, field.bitsPerSample, true);
  return wav;
}

describe('hostile WAV headers', () => {
  it('refuses a 4 GHz sample rate before building a resampler for it', async () => {
    const wav = hostileWav({ sampleRate: 4_000_000_000 });
    expect(wav.length).toBe(844);
    const before = process.memoryUsage().rss;
    const started = performance.now();
    const error = await caught(() => decodeAll(wav));
    expect(error).toMatchObject({ code: 'CORRUPT' });
    expect(error.message).toContain('implausible sample rate of 4000000000 Hz');
    expect(performance.now() - started).toBeLessThan(1000);
    // The filter table for 4 GHz was ~700 MB; nothing of that size may appear.
    expect(process.memoryUsage().rss - before).toBeLessThan(50 * 1024 * 1024);
  });

  it.each([
    ['a rate above the maximum', { sampleRate: MAX_SOURCE_SAMPLE_RATE + 1 }, 'implausible sample rate'],
    ['a rate below the minimum (1 Hz would upsample each byte 16000-fold)', { sampleRate: 1 }, 'implausible sample rate of 1 Hz'],
    ['65535 channels', { channels: 65_535, blockAlign: 65_535 }, '65535 channels'],
    ['more channels than accepted', { channels: MAX_SOURCE_CHANNELS + 1, blockAlign: 2 * (MAX_SOURCE_CHANNELS + 1) }, `${MAX_SOURCE_CHANNELS + 1} channels`],
    ['65535-bit samples', { bitsPerSample: 65_535 }, '65535-bit samples'],
  ])('refuses %s', async (_name, field, message) => {
    const error = await caught(() => decodeAll(hostileWav(field)));
    expect(error).toMatchObject({ code: 'CORRUPT' });
    expect(error.message).toContain(message);
  });

  it('still accepts the limits themselves', async () => {
    for (const sampleRate of [MIN_SOURCE_SAMPLE_RATE, MAX_SOURCE_SAMPLE_RATE]) {
      const { chunks } = await decodeAll(hostileWav({ sampleRate }));
      // 400 frames at that rate, resampled to 16 kHz.
      expect(chunks.reduce((a, b) => a + b, 0)).toBe(Math.ceil((400 * 16_000) / sampleRate));
    }
  });

  it('refuses a 4 GB fmt chunk without reading it', async () => {
    const wav = hostileWav({});
    new DataView(wav.buffer).setUint32(16, 0xfffffff0, true);
    const error = await caught(() => decodeAll(wav));
    expect(error.code === 'CORRUPT' || error.code === 'TRUNCATED').toBe(true);
  });

  it('a data chunk declaring 4 GB in a tiny file is truncated, not allocated', async () => {
    const wav = buildWav({ channels: 1, sampleRate: 16_000, bitsPerSample: 16, data: new Uint8Array(800), dataSize: 0xfffffff0 });
    const before = process.memoryUsage().rss;
    const error = await caught(() => decodeAll(wav));
    expect(error).toMatchObject({ code: 'TRUNCATED' });
    expect(process.memoryUsage().rss - before).toBeLessThan(50 * 1024 * 1024);
  });

  it('an unknown chunk declaring 4 GB before fmt is truncated, not waited for', async () => {
    const wav = buildWav({ channels: 1, sampleRate: 16_000, bitsPerSample: 16, data: new Uint8Array(8), before: [{ id: 'JUNK', body: new Uint8Array(4) }] });
    new DataView(wav.buffer).setUint32(16, 0xfffffff0, true);
    const error = await caught(() => decodeAll(wav));
    expect(error).toMatchObject({ code: 'TRUNCATED' });
  });
});

// --- Ogg Opus ---------------------------------------------------------------------------------

function oggPage(serial: number, sequence: number, flags: number, granule: bigint, lacing: number[], body: Uint8Array): Uint8Array {
  const page = new Uint8Array(27 + lacing.length + body.length);
  const view = new DataView(page.buffer);
  page.set([0x4f, 0x67, 0x67, 0x53], 0);
  page[5] = flags;
  view.setBigInt64(6, granule, true);
  view.setUint32(14, serial, true);
  view.setUint32(18, sequence, true);
  page[26] = lacing.length;
  page.set(lacing, 27);
  page.set(body, 27 + lacing.length);
  view.setUint32(22, oggCrc(page), true);
  return page;
}

function lacingFor(length: number): number[] {
  const values = new Array<number>(Math.floor(length / 255)).fill(255);
  values.push(length % 255);
  return values;
}

function opusHead(channels: number): Uint8Array {
  const head = new Uint8Array(19);
  head.set(new TextEncoder().encode('OpusHead'), 0);
  head[8] = 1;
  head[9] = channels;
  new DataView(head.buffer).setUint16(10, 312, true); // pre-skip
  new DataView(head.buffer).setUint32(12, 48_000, true);
  return head;
}

function opusTags(): Uint8Array {
  const vendor = new TextEncoder().encode('hostile');
  const tags = new Uint8Array(8 + 4 + vendor.length + 4);
  tags.set(new TextEncoder().encode('OpusTags'), 0);
  new DataView(tags.buffer).setUint32(8, vendor.length, true);
  tags.set(vendor, 12);
  return tags;
}

function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}

const SERIAL = 0x4849;

function headerPages(channels = 1): Uint8Array[] {
  const head = opusHead(channels);
  const tags = opusTags();
  return [oggPage(SERIAL, 0, 0x02, 0n, lacingFor(head.length), head), oggPage(SERIAL, 1, 0, 0n, lacingFor(tags.length), tags)];
}

/** Pages carrying one packet of `length` bytes, continued over as many pages as it takes. */
function continuedPacket(firstSequence: number, length: number): Uint8Array[] {
  const pages: Uint8Array[] = [];
  let left = length;
  let sequence = firstSequence;
  while (left > 0) {
    const take = Math.min(left, 255 * 255);
    const lacing = new Array<number>(Math.ceil(take / 255)).fill(255);
    if (take === left && take % 255 !== 0) lacing[lacing.length - 1] = take % 255;
    left -= take;
    const continued = sequence !== firstSequence ? 0x01 : 0;
    pages.push(oggPage(SERIAL, sequence++, continued, left > 0 ? -1n : 0n, lacing, new Uint8Array(take)));
  }
  return pages;
}

describe('hostile Ogg Opus headers', () => {
  it('refuses an OpusHead declaring 255 channels', async () => {
    const error = await caught(() => decodeAll(concat(headerPages(255))));
    expect(error).toMatchObject({ code: 'CORRUPT' });
    expect(error.message).toContain('255 channels');
  });

  it('refuses an audio packet longer than Opus allows, continued over pages', async () => {
    const file = concat([...headerPages(), ...continuedPacket(2, MAX_OPUS_AUDIO_PACKET_BYTES + 1000)]);
    expect(file.length).toBeLessThan(80_000);
    const error = await caught(() => decodeAll(file));
    expect(error).toMatchObject({ code: 'CORRUPT' });
    expect(error.message).toContain(`longer than ${MAX_OPUS_AUDIO_PACKET_BYTES} bytes`);
  });

  it('refuses a header packet (OpusTags) over its allowance', async () => {
    const head = opusHead(1);
    const pages = [oggPage(SERIAL, 0, 0x02, 0n, lacingFor(head.length), head), ...continuedPacket(1, MAX_OGG_HEADER_PACKET_BYTES + 1)];
    const error = await caught(() => decodeAll(concat(pages)));
    expect(error).toMatchObject({ code: 'CORRUPT' });
    expect(error.message).toContain(`longer than ${MAX_OGG_HEADER_PACKET_BYTES} bytes`);
  });

  it('decodes a flood of tiny 120 ms packets in bounded batches, not one hour-long buffer', async () => {
    // Code-3 packets of two empty 60 ms frames: 2 bytes each, 120 ms of audio (concealment) each.
    // 200 pages × 255 packets ≈ 150 KB of file, 1.7 hours of audio.
    const pages = headerPages();
    const packet = new Uint8Array([(3 << 3) | 3, 2]); // SILK NB 60 ms, code 3, 2 frames CBR
    let granule = 312n;
    for (let p = 0; p < 200; p++) {
      granule += 255n * 5760n;
      const body = new Uint8Array(255 * 2);
      for (let i = 0; i < 255; i++) body.set(packet, i * 2);
      pages.push(oggPage(SERIAL, 2 + p, p === 199 ? 0x04 : 0, granule, new Array<number>(255).fill(2), body));
    }
    const file = concat(pages);
    expect(file.length).toBeLessThan(200_000);
    const { chunks } = await decodeAll(file);
    const total = chunks.reduce((a, b) => a + b, 0);
    // The whole stream minus its pre-skip (312 samples at 48 kHz).
    expect(total).toBe(200 * 255 * 0.12 * 16_000 - 312 / 3);
    // No single buffer holds more than one bounded batch of packets.
    expect(Math.max(...chunks)).toBeLessThanOrEqual(MAX_OPUS_PACKETS_PER_DECODE * 0.12 * 16_000);
  });
});
