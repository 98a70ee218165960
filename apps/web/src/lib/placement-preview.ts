import { parseBlob } from 'music-metadata';
import { PlacementError, ffprobeTagsFrom, placeRecording, readMatroskaDateUtc } from '@giggles/recordings';
import type { PlacementPreview } from './upload-placement';

/**
 * Where a picked file will land, computed in the browser with the server's own rules: its tags
 * are read with music-metadata and named as ffprobe names them (libs/recordings
 * parsed-metadata.ts), then placeRecording runs on them, the file name and the user's time zone —
 * so the page shows what the server will do (services/ingestion/test/placement-agreement.spec.ts
 * checks both agree on real files). The upload page loads this module (music-metadata, luxon)
 * only when files are picked, so no other page pays for it.
 */

/** Matroska/WebM keeps its DateUTC in the segment info, within the file's first kilobytes. */
const MATROSKA_HEAD_BYTES = 64 * 1024;

/** The file's tags as ffprobe would report them ({} when it cannot be read: the server decides then). */
export async function readTags(file: File): Promise<Record<string, string>> {
  try {
    const [parsed, head] = await Promise.all([
      parseBlob(file, { duration: false, skipCovers: true, skipPostHeaders: true }),
      file.slice(0, MATROSKA_HEAD_BYTES).arrayBuffer(),
    ]);
    return ffprobeTagsFrom(parsed, readMatroskaDateUtc(new Uint8Array(head)));
  } catch {
    return {};
  }
}

export interface PreviewInput {
  fileName: string;
  durationS?: number;
  timezone: string;
  tags: Record<string, string>;
  /** The start the user typed (`YYYY-MM-DDTHH:MM:SS`, their zone), if they changed it. */
  start?: string;
}

export function previewPlacement(input: PreviewInput, nowMs = Date.now()): PlacementPreview {
  // Without a length from the browser's decoder, place a 1 ms file: the start is what matters.
  const durationMs = input.durationS ? Math.round(input.durationS * 1000) : 1;
  try {
    const p = placeRecording({ fileName: input.fileName, durationMs, timezone: input.timezone, start: input.start, tags: input.tags, nowMs });
    return {
      state: 'placed',
      source: p.source,
      localStart: wallClock(p.localStart),
      localEnd: input.durationS ? wallClock(p.localEnd) : undefined,
      evidence: p.evidence,
    };
  } catch (error) {
    if (error instanceof PlacementError) return { state: 'unplaced', code: error.code, message: error.message };
    throw error;
  }
}

/** `2026-12-03 14:15:00 (+01:00)` → `2026-12-03T14:15:00`. */
function wallClock(described: string): string {
  return described.slice(0, 19).replace(' ', 'T');
}
