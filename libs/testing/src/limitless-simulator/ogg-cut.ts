import { OGG_BOS, OGG_EOS, lacingCount, writeOggPage } from './ogg-pages';
import { opusPacketSamples, opusSilence } from './opus-packet';
import { SAMPLES_PER_MS } from './recording';
import { type Placement } from './timeline';

/**
 * How time between recordings inside a window is served:
 * - `silence` (default): gaps before and between recordings are filled with Opus silence packets,
 *   so decoded sample n of the response is the instant windowStart + n / rate (± 1.25 ms). A
 *   window that ends after the last recording returns shorter audio (its end is not padded).
 * - `omit`: only recorded audio is returned, back to back, starting at the first recording's
 *   first instant inside the window (what a service that drops silence might do).
 */
export type GapMode = 'silence' | 'omit';

export interface CutOptions {
  gaps?: GapMode;
  /** Ogg serial number of the produced stream. */
  serial?: number;
  /** Audio packets per Ogg page (50 × 20 ms ≈ 1 s, like ffmpeg). */
  packetsPerPage?: number;
  /** Decoder warm-up before a cut inside a recording, in 48 kHz samples (RFC 7845 advises ≥ 80 ms). */
  preRollSamples?: number;
}

export interface CutResult {
  /** The whole response body as Ogg pages, in order. */
  pages: Buffer[];
  /** Instant (epoch ms) of the first decoded sample. */
  audioStartMs: number;
  /** Instant (epoch ms) just after the last decoded sample. */
  audioEndMs: number;
  /** Samples (48 kHz) a conforming decoder outputs: final granule − pre-skip. */
  samples: number;
}

/** Tolerated misalignment (48 kHz samples) before packets are skipped or silence is inserted. */
const ALIGN_TOLERANCE = 60;

const VENDOR = 'giggles-limitless-simulator';

function opusTags(): Buffer {
  const vendor = Buffer.from(VENDOR, 'utf8');
  const out = Buffer.alloc(8 + 4 + vendor.length + 4);
  out.write('OpusTags', 0, 'latin1');
  out.writeUInt32LE(vendor.length, 8);
  vendor.copy(out, 12);
  out.writeUInt32LE(0, 12 + vendor.length);
  return out;
}

/**
 * Builds one logical Ogg Opus stream holding the audio of `placements` inside
 * [windowStartMs, windowEndMs). Returns null when no placement has audio in the window.
 *
 * The stream is a single link (one serial, one OpusHead) because chained streams are not handled
 * reliably by streaming decoders (ogg-opus-decoder 1.7.5 drops buffered bytes at a link end).
 * Cutting is at packet level: the first packet kept is at least `preRollSamples` before the cut so
 * the decoder has converged, and the OpusHead pre-skip discards exactly up to the cut; the last
 * page's granule position trims the end exactly (RFC 7845 §4). Where a second recording follows,
 * its packets continue the stream aligned to wall time (a packet overlapping audio already sent is
 * dropped, and silence packets re-align to within ±1.25 ms), so timing never drifts.
 */
export function cutWindow(
  placements: readonly Placement[],
  windowStartMs: number,
  windowEndMs: number,
  options: CutOptions = {},
): CutResult | null {
  const gaps = options.gaps ?? 'silence';
  const perPage = options.packetsPerPage ?? 50;
  const preRoll = options.preRollSamples ?? 3840;
  const pieces = placements
    .filter((p) => p.startMs < windowEndMs && windowStartMs < p.endMs)
    .sort((a, b) => a.startMs - b.startMs);
  if (pieces.length === 0) return null;

  const toSamples = (ms: number) => Math.round(ms * SAMPLES_PER_MS);
  const first = pieces[0];
  const stereo = first.recording.channels > 1;
  const windowStart = toSamples(windowStartMs);
  const windowEnd = toSamples(windowEndMs);
  // Absolute instant (in samples) of decoded sample 0.
  const origin = gaps === 'silence' ? windowStart : Math.max(windowStart, toSamples(first.startMs));

  const packets: Buffer[] = [];
  const durations: number[] = [];
  let cursor = 0; // decoded samples emitted so far (after pre-skip), relative to origin
  let preSkip = 0;
  let started = false;
  let contentEnd = origin; // absolute instant where the last piece's audio (inside the window) ends

  const emit = (packet: Buffer, samples: number) => {
    packets.push(packet);
    durations.push(samples);
  };
  const fillSilence = (samples: number) => {
    const s = opusSilence(samples, stereo);
    s.packets.forEach((p) => emit(p, opusPacketSamples(p)));
    cursor += s.samples;
  };

  for (const piece of pieces) {
    const rec = piece.recording;
    const recStart = toSamples(piece.startMs);
    const recEnd = recStart + rec.playableSamples;
    const from = Math.max(recStart, windowStart); // first instant of this piece inside the window
    const to = Math.min(recEnd, windowEnd);
    // In `omit` mode the piece is shifted so its first instant in the window lands at the cursor.
    const shift = gaps === 'omit' ? origin + cursor - from : 0;
    // Absolute instant (after shift) where raw sample index x of this recording plays.
    const at = (x: number) => recStart + x - rec.preSkip + shift;

    let k = 0;
    if (!started) {
      started = true;
      if (from === origin) {
        // Cut inside (or exactly at the start of) the recording: pre-roll and pre-skip.
        const rawCut = from - recStart + rec.preSkip;
        k = packetIndexAt(rec.packetStart, Math.max(0, rawCut - preRoll));
        preSkip = rawCut - rec.packetStart[k];
        for (; k < rec.packets.length && at(rec.packetStart[k]) < to + shift; k++) {
          emit(rec.packets[k], rec.packetStart[k + 1] - rec.packetStart[k]);
          cursor = rec.packetStart[k + 1] - rawCut;
        }
        contentEnd = to + shift;
        continue;
      }
    }
    // Continue the stream: keep packets aligned to wall time.
    k = packetIndexAt(rec.packetStart, Math.max(0, from - recStart + rec.preSkip - preRoll));
    for (; k < rec.packets.length && at(rec.packetStart[k]) < to + shift; k++) {
      const target = at(rec.packetStart[k]) - origin;
      if (target < cursor - ALIGN_TOLERANCE) continue; // overlaps audio already sent
      if (target > cursor + ALIGN_TOLERANCE) fillSilence(target - cursor);
      const n = rec.packetStart[k + 1] - rec.packetStart[k];
      emit(rec.packets[k], n);
      cursor += n;
    }
    contentEnd = to + shift;
  }

  const samples = Math.max(0, Math.min(cursor, contentEnd - origin));
  const serial = options.serial ?? 0x4769676c; // "Gigl"
  const head = Buffer.from(first.recording.head);
  head.writeUInt16LE(preSkip, 10);
  const pages: Buffer[] = [
    writeOggPage({ flags: OGG_BOS, granule: 0n, serial, sequence: 0, packets: [head] }),
    writeOggPage({ flags: 0, granule: 0n, serial, sequence: 1, packets: [opusTags()] }),
  ];
  let raw = 0;
  let i = 0;
  while (i < packets.length) {
    const page: Buffer[] = [];
    let lacing = 0;
    while (i < packets.length && page.length < perPage && lacing + lacingCount(packets[i]) <= 255) {
      lacing += lacingCount(packets[i]);
      raw += durations[i];
      page.push(packets[i++]);
    }
    const last = i >= packets.length;
    pages.push(
      writeOggPage({
        flags: last ? OGG_EOS : 0,
        granule: BigInt(last ? preSkip + samples : raw),
        serial,
        sequence: pages.length,
        packets: page,
      }),
    );
  }
  return {
    pages,
    audioStartMs: origin / SAMPLES_PER_MS,
    audioEndMs: (origin + samples) / SAMPLES_PER_MS,
    samples,
  };
}

/** Index of the packet containing raw sample `x` (binary search over packet start offsets). */
function packetIndexAt(starts: number[], x: number): number {
  let lo = 0;
  let hi = starts.length - 2;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (starts[mid] <= x) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}
