import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { decodeOggOpus } from './decode-ogg-opus';
import { oggCrc32 } from './ogg-crc';
import { OGG_BOS, OGG_EOS, oggPackets, parseOggPages, writeOggPage } from './ogg-pages';
import { opusPacketSamples, opusSilence, opusSilencePacket } from './opus-packet';
import { parseOpusRecording } from './recording';
import { evalRecording } from './test-recordings';

describe('Ogg CRC-32', () => {
  it('matches the checksum of every page of a real file', () => {
    const data = readFileSync(evalRecording('long_d1'));
    const pages = parseOggPages(data); // throws on any CRC mismatch
    expect(pages.length).toBeGreaterThan(600);
    const first = Buffer.from(data.subarray(0, pages[0].length));
    const stored = first.readUInt32LE(22);
    first.writeUInt32LE(0, 22);
    expect(oggCrc32(first)).toBe(stored);
  });

  it('is the unreflected 0x04c11db7 CRC with zero init (check value of "123456789")', () => {
    // CRC-32/MPEG-2 without the 0xffffffff init and final XOR: known value 0x89a1897f.
    expect(oggCrc32(Buffer.from('123456789'))).toBe(0x89a1897f);
  });

  it('detects a corrupted page', () => {
    const data = Buffer.from(readFileSync(evalRecording('long_d1')).subarray(0, 20_000));
    const pages = parseOggPages(data.subarray(0, pages0End(data)));
    expect(pages.length).toBeGreaterThan(2);
    data[pages[2].offset + 40] ^= 0x55;
    expect(() => parseOggPages(data.subarray(0, pages0End(data)))).toThrow(/CRC/);
  });
});

/** End offset of the last complete page in a prefix of an Ogg file. */
function pages0End(data: Buffer): number {
  let o = 0;
  for (;;) {
    if (o + 27 > data.length) return o;
    const n = data[o + 26];
    let len = 27 + n;
    for (let i = 0; i < n; i++) len += data[o + 27 + i];
    if (o + len > data.length) return o;
    o += len;
  }
}

describe('Ogg pages', () => {
  it('round-trips packets, including ones longer than 255 bytes', () => {
    const packets = [Buffer.alloc(10, 1), Buffer.alloc(255, 2), Buffer.alloc(600, 3), Buffer.alloc(0)];
    const page = writeOggPage({ flags: OGG_BOS | OGG_EOS, granule: 12345n, serial: 77, sequence: 3, packets });
    const [parsed] = parseOggPages(page);
    expect(parsed).toMatchObject({ flags: OGG_BOS | OGG_EOS, granule: 12345n, serial: 77, sequence: 3 });
    const out = oggPackets([parsed]);
    expect(out.map((p) => p.data.length)).toEqual([10, 255, 600, 0]);
    expect(out[2].data.equals(packets[2])).toBe(true);
    expect(out[3].pageGranule).toBe(12345n);
  });

  it('rejects bytes that are not Ogg', () => {
    expect(() => parseOggPages(Buffer.from('definitely not an ogg stream at all....'))).toThrow(/not an Ogg page/);
  });
});

describe('Opus packets', () => {
  it('reads durations from the TOC byte (RFC 6716 §3.1)', () => {
    expect(opusPacketSamples(Buffer.from([(31 << 3) | 0, 1]))).toBe(960); // CELT 20 ms
    expect(opusPacketSamples(Buffer.from([(28 << 3) | 0]))).toBe(120); // CELT 2.5 ms
    expect(opusPacketSamples(Buffer.from([(1 << 3) | 1, 1, 1]))).toBe(1920); // SILK 20 ms ×2
    expect(opusPacketSamples(Buffer.from([(3 << 3) | 3, 2]))).toBe(5760); // SILK 60 ms ×2
    expect(opusPacketSamples(Buffer.from([(9 << 3) | 3, 3]))).toBe(2880); // SILK 20 ms ×3
    expect(() => opusPacketSamples(Buffer.from([(3 << 3) | 3, 3]))).toThrow(/120 ms/);
    expect(() => opusPacketSamples(Buffer.alloc(0))).toThrow();
  });

  it('sums packet durations of a real file to its granule length', () => {
    const rec = parseOpusRecording(readFileSync(evalRecording('long_d1')));
    expect(rec.preSkip).toBe(312);
    expect(rec.channels).toBe(1);
    expect(rec.durationMs).toBe(600_000);
    const raw = rec.packetStart[rec.packetStart.length - 1];
    expect(raw).toBeGreaterThanOrEqual(rec.playableSamples + rec.preSkip);
    expect(raw - (rec.playableSamples + rec.preSkip)).toBeLessThan(960);
  });

  it('makes silence packets that decode to silence of the right length', async () => {
    const s = opusSilence(48_000 + 150);
    expect(s.samples).toBe(48_120);
    expect(s.packets.reduce((n, p) => n + opusPacketSamples(p), 0)).toBe(48_120);
    const head = Buffer.from([...Buffer.from('OpusHead'), 1, 1, 0, 0, 0x80, 0xbb, 0, 0, 0, 0, 0]);
    const tags = Buffer.concat([Buffer.from('OpusTags'), Buffer.from([4, 0, 0, 0]), Buffer.from('test'), Buffer.alloc(4)]);
    const ogg = Buffer.concat([
      writeOggPage({ flags: OGG_BOS, granule: 0n, serial: 1, sequence: 0, packets: [head] }),
      writeOggPage({ flags: 0, granule: 0n, serial: 1, sequence: 1, packets: [tags] }),
      writeOggPage({ flags: OGG_EOS, granule: 48_120n, serial: 1, sequence: 2, packets: s.packets }),
    ]);
    const decoded = await decodeOggOpus(ogg, 48_000);
    expect(decoded.errors).toBe(0);
    expect(decoded.samples.length).toBe(48_120);
    expect(Math.max(...decoded.samples.map(Math.abs))).toBeLessThan(1e-6);
    expect(opusSilencePacket(960, true)[0] & 0x04).toBe(0x04);
  });
});
