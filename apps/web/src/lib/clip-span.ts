/** Seconds of audio a clip keeps on each side of its laugh (the detector's `clipPaddingS`). */
export const CLIP_PADDING_S = 2;

/**
 * Where the laugh sits inside its clip. The clip is the laugh ± CLIP_PADDING_S, cut short where
 * the recording starts or ends; we assume the full padding before the laugh unless the clip is
 * too short for it.
 */
export function laughSpanInClip(clipDurationS: number, laughDurationS: number): { startS: number; endS: number } {
  const startS = Math.max(0, Math.min(CLIP_PADDING_S, clipDurationS - laughDurationS));
  return { startS, endS: Math.min(clipDurationS, startS + laughDurationS) };
}
