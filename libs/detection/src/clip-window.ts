import { DEFAULT_DETECTION_SETTINGS } from './settings';
import type { ClipWindow, LaughterEvent } from './types';

export interface ClipWindowOptions {
  /** Seconds added before and after the event (default: DEFAULT_DETECTION_SETTINGS.clipPaddingS). */
  paddingS?: number;
  /** Longest clip in seconds (default: DEFAULT_DETECTION_SETTINGS.maxClipS). */
  maxClipS?: number;
}

/** Milliseconds are the finest unit anyone cuts audio at here; rounding avoids 1.6799999 in JSON. */
function roundMs(seconds: number): number {
  return Math.round(seconds * 1000) / 1000;
}

/**
 * The stretch of audio to keep as a playable clip for an event: the event plus padding on both
 * sides (context makes a laugh recognisable), clamped to the recording. When that is longer than
 * maxClipS the clip is cut to maxClipS, centred on the peak — the part a listener wants to hear —
 * but shifted as needed to stay inside the padded event and the recording.
 */
export function clipWindow(
  event: Pick<LaughterEvent, 'startS' | 'endS' | 'peakS'>,
  recordingDurationS: number,
  { paddingS = DEFAULT_DETECTION_SETTINGS.clipPaddingS, maxClipS = DEFAULT_DETECTION_SETTINGS.maxClipS }: ClipWindowOptions = {},
): ClipWindow {
  const problems: string[] = [];
  if (!Number.isFinite(recordingDurationS) || recordingDurationS < 0) problems.push(`recordingDurationS ${recordingDurationS}`);
  if (!Number.isFinite(paddingS) || paddingS < 0) problems.push(`paddingS ${paddingS}`);
  if (!Number.isFinite(maxClipS) || maxClipS <= 0) problems.push(`maxClipS ${maxClipS}`);
  if (![event.startS, event.endS, event.peakS].every(Number.isFinite) || event.endS < event.startS) {
    problems.push(`event ${event.startS}..${event.endS} (peak ${event.peakS})`);
  }
  if (problems.length > 0) throw new RangeError(`clipWindow: invalid ${problems.join(', ')}`);

  const clamp = (t: number, lo: number, hi: number) => Math.min(hi, Math.max(lo, t));
  // An event reaching past the recording's end (e.g. a duration measured slightly short) still
  // yields a valid, possibly empty, window inside the recording.
  const lo = clamp(event.startS - paddingS, 0, recordingDurationS);
  const hi = clamp(event.endS + paddingS, lo, recordingDurationS);
  if (hi - lo <= maxClipS) return { startS: roundMs(lo), endS: roundMs(hi) };

  const start = clamp(event.peakS - maxClipS / 2, lo, hi - maxClipS);
  return { startS: roundMs(start), endS: roundMs(start + maxClipS) };
}
