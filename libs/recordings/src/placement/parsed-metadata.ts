/**
 * The browser reads a picked file's tags with music-metadata; the server reads the same file with
 * ffprobe. For the upload page to say where a file will land, what music-metadata found is turned
 * into the tag names ffprobe reports (ffmpeg 5.1), so both sides run the same placeRecording rules
 * on the same tags. Agreement is checked on real files in
 * services/ingestion/test/placement-agreement.spec.ts.
 *
 * The shapes below are the parts of music-metadata's IAudioMetadata this reads, declared here so
 * the library does not depend on music-metadata (only the web app loads it, lazily).
 */
export interface NativeTag {
  id: string;
  value: unknown;
}

export interface ParsedMetadataLike {
  format: { container?: string; creationTime?: Date };
  /** Tags per tag format: `vorbis`, `ID3v2.4`, `ID3v2.3`, `iTunes`, `exif` (RIFF/WAV), `matroska`, … */
  native: Record<string, NativeTag[] | undefined>;
}

/** What ffprobe calls these (ffmpeg's own conversions: id3v2.c, mov.c, riffdec.c, wavdec.c). */
const ID3_DATE = new Set(['TDRC', 'TDA', 'TYE']);
const ITUNES_DATE = '©day';

/**
 * ffprobe-style tags (format over stream, as recording-probe.adapter.ts merges them) from what
 * music-metadata parsed. `matroskaDateUtcMs` is the Matroska/WebM segment DateUTC, which
 * music-metadata parses but does not report (see readMatroskaDateUtc).
 */
export function ffprobeTagsFrom(parsed: ParsedMetadataLike, matroskaDateUtcMs?: number): Record<string, string> {
  const tags: Record<string, string> = {};
  const set = (key: string, value: unknown) => {
    if (typeof value === 'string' && value.trim() && tags[key] === undefined) tags[key] = value;
  };
  for (const [format, list] of Object.entries(parsed.native ?? {})) {
    if (!Array.isArray(list)) continue;
    const byId = new Map<string, unknown>();
    for (const tag of list) if (tag && typeof tag.id === 'string' && !byId.has(tag.id)) byId.set(tag.id, tag.value);
    if (format === 'vorbis') {
      // Ogg Vorbis/Opus and FLAC comments: ffprobe keeps their names (placement compares them case-insensitively).
      for (const [id, value] of byId) set(id.toLowerCase(), value);
    } else if (format.startsWith('ID3v2')) {
      for (const id of ID3_DATE) set('date', byId.get(id));
      set('date', id3v23Date(byId));
    } else if (format === 'iTunes') {
      set('date', byId.get(ITUNES_DATE));
      set('com.apple.quicktime.creationdate', byId.get('com.apple.quicktime.creationdate'));
    } else if (format === 'exif') {
      // WAV: ffmpeg's demuxer reports the Broadcast WAV (bext) origination date as `date` and its
      // time as `creation_time` (placement joins the pair); RIFF INFO ICRD is `date` too.
      set('date', byId.get('bext.originationDate'));
      set('creation_time', byId.get('bext.originationTime'));
      set('date', byId.get('ICRD'));
    }
  }
  // MP4/M4A/MOV: the movie header's creation time (ffmpeg skips a zero, i.e. 1904, one).
  const created = parsed.format?.creationTime;
  if (created instanceof Date && Number.isFinite(created.getTime()) && created.getTime() > MAC_EPOCH_MS) set('creation_time', isoMicros(created.getTime()));
  if (matroskaDateUtcMs !== undefined && Number.isFinite(matroskaDateUtcMs)) set('creation_time', isoMicros(matroskaDateUtcMs));
  return tags;
}

const MAC_EPOCH_MS = Date.UTC(1904, 0, 1);

/** ffmpeg prints timestamps with microseconds: 2026-12-03T13:15:00.000000Z. */
function isoMicros(ms: number): string {
  return new Date(ms).toISOString().replace(/\.(\d{3})Z$/, '.$1000Z');
}

/** ID3v2.3 splits the date: TYER (YYYY), TDAT (DDMM), TIME (HHMM); ffmpeg merges them into `date`. */
function id3v23Date(byId: Map<string, unknown>): string | undefined {
  const year = byId.get('TYER');
  if (typeof year !== 'string' || !/^\d{4}$/.test(year)) return undefined;
  const day = byId.get('TDAT');
  if (typeof day !== 'string' || !/^\d{4}$/.test(day)) return year;
  const date = `${year}-${day.slice(2, 4)}-${day.slice(0, 2)}`;
  const time = byId.get('TIME');
  return typeof time === 'string' && /^\d{4}$/.test(time) ? `${date} ${time.slice(0, 2)}:${time.slice(2, 4)}` : date;
}

const EBML_HEADER = 0x1a45dfa3;
const SEGMENT = 0x18538067;
const INFO = 0x1549a966;
const CLUSTER = 0x1f43b675;
const DATE_UTC = 0x4461;
/** Matroska dates count nanoseconds from 2001-01-01T00:00:00Z. */
const MATROSKA_EPOCH_MS = Date.UTC(2001, 0, 1);

/**
 * The Matroska/WebM segment's DateUTC (what ffprobe reports as creation_time), read from the
 * file's first bytes (the segment info comes before the first cluster), or undefined. Walks the
 * EBML structure instead of searching bytes, so audio data is never mistaken for a date; every
 * read is bounds-checked (the bytes are hostile input).
 */
export function readMatroskaDateUtc(bytes: Uint8Array): number | undefined {
  let pos = 0;
  const end = bytes.length;
  while (pos < end) {
    const el = readElement(bytes, pos);
    if (!el) return undefined;
    if (el.id === EBML_HEADER) {
      if (el.size === undefined) return undefined;
      pos = el.dataStart + el.size;
    } else if (el.id === SEGMENT) {
      return readSegment(bytes, el.dataStart, el.size === undefined ? end : Math.min(end, el.dataStart + el.size));
    } else {
      return undefined;
    }
  }
  return undefined;
}

function readSegment(bytes: Uint8Array, from: number, to: number): number | undefined {
  for (let pos = from; pos < to; ) {
    const el = readElement(bytes, pos);
    if (!el || el.id === CLUSTER || el.size === undefined) return undefined;
    if (el.id === INFO) {
      const infoEnd = Math.min(to, el.dataStart + el.size);
      for (let p = el.dataStart; p < infoEnd; ) {
        const child = readElement(bytes, p);
        if (!child || child.size === undefined) return undefined;
        if (child.id === DATE_UTC && child.size === 8 && child.dataStart + 8 <= bytes.length) {
          const ns = new DataView(bytes.buffer, bytes.byteOffset + child.dataStart, 8).getBigInt64(0);
          return MATROSKA_EPOCH_MS + Number(ns / 1_000_000n);
        }
        p = child.dataStart + child.size;
      }
      return undefined;
    }
    pos = el.dataStart + el.size;
  }
  return undefined;
}

/** One EBML element header: its id (marker bits kept), data size (undefined = unknown) and data offset. */
function readElement(bytes: Uint8Array, pos: number): { id: number; size?: number; dataStart: number } | undefined {
  const idLength = vintLength(bytes[pos]);
  if (!idLength || idLength > 4 || pos + idLength > bytes.length) return undefined;
  let id = 0;
  for (let i = 0; i < idLength; i++) id = id * 256 + bytes[pos + i];
  const sizeAt = pos + idLength;
  const sizeLength = vintLength(bytes[sizeAt]);
  if (!sizeLength || sizeAt + sizeLength > bytes.length) return undefined;
  let size = bytes[sizeAt] & (0xff >> sizeLength);
  let allOnes = size === 0xff >> sizeLength;
  for (let i = 1; i < sizeLength; i++) {
    size = size * 256 + bytes[sizeAt + i];
    allOnes = allOnes && bytes[sizeAt + i] === 0xff;
  }
  return { id, size: allOnes ? undefined : size, dataStart: sizeAt + sizeLength };
}

/** The length of an EBML variable-size integer from its first byte (0 for none). */
function vintLength(first: number | undefined): number {
  if (first === undefined || first === 0) return 0;
  let length = 1;
  for (let mask = 0x80; !(first & mask); mask >>= 1) length++;
  return length;
}
