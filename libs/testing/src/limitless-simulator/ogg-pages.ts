import { oggCrc32 } from './ogg-crc';

/** Ogg page header flags (RFC 3533). */
export const OGG_CONTINUED = 0x01;
export const OGG_BOS = 0x02;
export const OGG_EOS = 0x04;

export interface OggPage {
  flags: number;
  granule: bigint;
  serial: number;
  sequence: number;
  /** Lacing values. */
  segments: number[];
  body: Buffer;
  /** Offset of the page in the parsed buffer. */
  offset: number;
  /** Total bytes of the page including its header. */
  length: number;
}

/** Parses every page of an Ogg file held in memory; verifies capture pattern, version and CRC. */
export function parseOggPages(data: Buffer): OggPage[] {
  const pages: OggPage[] = [];
  let offset = 0;
  while (offset < data.length) {
    if (data.length - offset < 27 || data.toString('latin1', offset, offset + 4) !== 'OggS') {
      throw new Error(`not an Ogg page at byte ${offset}`);
    }
    if (data[offset + 4] !== 0) throw new Error(`unsupported Ogg version at byte ${offset}`);
    const count = data[offset + 26];
    const segments = [...data.subarray(offset + 27, offset + 27 + count)];
    const bodyLength = segments.reduce((a, b) => a + b, 0);
    const length = 27 + count + bodyLength;
    if (offset + length > data.length) throw new Error(`truncated Ogg page at byte ${offset}`);
    const page = data.subarray(offset, offset + length);
    const stored = page.readUInt32LE(22);
    const copy = Buffer.from(page);
    copy.writeUInt32LE(0, 22);
    if (oggCrc32(copy) !== stored) throw new Error(`bad Ogg CRC at byte ${offset}`);
    pages.push({
      flags: data[offset + 5],
      granule: data.readBigInt64LE(offset + 6),
      serial: data.readUInt32LE(offset + 14),
      sequence: data.readUInt32LE(offset + 18),
      segments,
      body: data.subarray(offset + 27 + count, offset + length),
      offset,
      length,
    });
    offset += length;
  }
  return pages;
}

export interface OggPacket {
  data: Buffer;
  /** Granule position of the page on which this packet ends, when it is the last packet there. */
  pageGranule?: bigint;
}

/** Reassembles the packets of one logical stream (pages of other serials are ignored). */
export function oggPackets(pages: OggPage[], serial = pages[0]?.serial): OggPacket[] {
  const packets: OggPacket[] = [];
  let pending: Buffer[] = [];
  for (const page of pages) {
    if (page.serial !== serial) continue;
    let pos = 0;
    let lastEnded = -1;
    page.segments.forEach((lace, i) => {
      pending.push(page.body.subarray(pos, pos + lace));
      pos += lace;
      if (lace < 255) {
        packets.push({ data: Buffer.concat(pending) });
        pending = [];
        lastEnded = i;
      }
    });
    if (lastEnded >= 0) packets[packets.length - 1].pageGranule = page.granule;
  }
  return packets;
}

/** Serialises one Ogg page (header, lacing, body, CRC). */
export function writeOggPage(opts: {
  flags: number;
  granule: bigint;
  serial: number;
  sequence: number;
  packets: Buffer[];
}): Buffer {
  const lacing: number[] = [];
  for (const packet of opts.packets) {
    let left = packet.length;
    while (left >= 255) {
      lacing.push(255);
      left -= 255;
    }
    lacing.push(left);
  }
  if (lacing.length > 255) throw new Error(`too many segments for one Ogg page (${lacing.length})`);
  const header = Buffer.alloc(27 + lacing.length);
  header.write('OggS', 0, 'latin1');
  header[4] = 0;
  header[5] = opts.flags;
  header.writeBigInt64LE(opts.granule, 6);
  header.writeUInt32LE(opts.serial >>> 0, 14);
  header.writeUInt32LE(opts.sequence >>> 0, 18);
  header.writeUInt32LE(0, 22);
  header[26] = lacing.length;
  lacing.forEach((v, i) => (header[27 + i] = v));
  const page = Buffer.concat([header, ...opts.packets]);
  page.writeUInt32LE(oggCrc32(page), 22);
  return page;
}

/** Lacing values a packet needs on a page. */
export function lacingCount(packet: Buffer): number {
  return Math.floor(packet.length / 255) + 1;
}
