import type { LaughterEvent } from '@giggles/detection';

/** What `giggles analyze` reports for one file: the `--json` line shape, documented in the README. */
export interface FileReport {
  file: string;
  durationS: number;
  events: ReportedEvent[];
}

export interface ReportedEvent {
  startS: number;
  endS: number;
  peakS: number;
  probability: number;
  meanProbability: number;
  classId: number;
  className: string;
  /** Path of the WAV clip, when --clips was given. */
  clip?: string;
}

export interface FileFailure {
  file: string;
  error: string;
}

const round = (x: number, digits: number) => Math.round(x * 10 ** digits) / 10 ** digits;

export function reportedEvent(event: LaughterEvent, clip?: string): ReportedEvent {
  return {
    startS: round(event.startS, 2),
    endS: round(event.endS, 2),
    peakS: round(event.peakS, 2),
    probability: round(event.probability, 4),
    meanProbability: round(event.meanProbability, 4),
    classId: event.classId,
    className: event.className,
    ...(clip ? { clip } : {}),
  };
}
