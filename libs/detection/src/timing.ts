/**
 * YAMNet frame geometry and the time convention for events.
 *
 * Frame (patch) i covers [i * 0.48, i * 0.48 + 0.96] s, so neighbouring patches overlap by half.
 * An event is reported over the *centre regions* of its frames: frame i owns
 * [i * 0.48 + 0.24, i * 0.48 + 0.72], the 0.48 s in the middle of its patch. Centre regions
 * tile the timeline with no overlap and no holes, so
 *   - an event over frames a..b runs from a * 0.48 + 0.24 to b * 0.48 + 0.72 s,
 *   - its length is exactly (b - a + 1) * 0.48 s, and a pause of g silent frames is g * 0.48 s.
 * Using the whole patch instead would make every laugh look 0.48 s longer than it is (a patch
 * fires as soon as the laugh fills a good part of it, from either end), which hurts overlap with
 * human-labelled intervals; the centre region is the unbiased estimate.
 *
 * Arithmetic is done in integer milliseconds so reported times are exact decimals
 * (e.g. 1.68, not 1.6799999999999997) and chunked and one-shot runs agree to the bit.
 */

export const FRAME_HOP_MS = 480;
export const PATCH_MS = 960;
export const FRAME_HOP_S = FRAME_HOP_MS / 1000;
export const PATCH_S = PATCH_MS / 1000;

const REGION_START_OFFSET_MS = (PATCH_MS - FRAME_HOP_MS) / 2;
const REGION_END_OFFSET_MS = (PATCH_MS + FRAME_HOP_MS) / 2;

/** Guards the seconds → frames conversions against 0.96 / 0.48 landing a hair off an integer. */
const EPSILON = 1e-9;

/** Start of frame `index`'s centre region: where an event whose first frame is `index` starts. */
export function frameRegionStartS(index: number): number {
  return (index * FRAME_HOP_MS + REGION_START_OFFSET_MS) / 1000;
}

/** End of frame `index`'s centre region: where an event whose last frame is `index` ends. */
export function frameRegionEndS(index: number): number {
  return (index * FRAME_HOP_MS + REGION_END_OFFSET_MS) / 1000;
}

/** Centre of frame `index`'s patch: where its score is plotted and where a peak is placed. */
export function frameCentreS(index: number): number {
  return (index * FRAME_HOP_MS + PATCH_MS / 2) / 1000;
}

/** Fewest frames whose span is at least `seconds` (an event of that many frames is long enough). */
export function minFramesFor(seconds: number): number {
  return Math.max(0, Math.ceil(seconds / FRAME_HOP_S - EPSILON));
}

/** Most frames whose span is at most `seconds` (never less than one frame). */
export function maxFramesWithin(seconds: number): number {
  return Math.max(1, Math.floor(seconds / FRAME_HOP_S + EPSILON));
}

/**
 * Longest run of silent frames that still counts as a pause *shorter than* `seconds`
 * (strictly shorter, as in "merged across gaps < 1 s"). With 0.48 s frames and a 1.0 s gap,
 * pauses of 1 or 2 frames (0.48, 0.96 s) merge and 3 frames (1.44 s) do not.
 */
export function maxMergedGapFrames(seconds: number): number {
  return Math.max(0, Math.ceil(seconds / FRAME_HOP_S - EPSILON) - 1);
}
