import type { ClipWindow, LaughterEvent } from '@giggles/detection';
import type { DetectedEvent, ErrorInfo, SegmentReady, SegmentResult } from '@giggles/contracts';

/**
 * Pure mapping from analysis output (seconds from the start of the decoded audio) to the wire
 * result (absolute epoch milliseconds, integers).
 */

/** A clip stored for an event: its object name and its window in the decoded audio. */
export interface StoredClip {
  object: string;
  window: ClipWindow;
}

/** Seconds into the decoded audio → absolute epoch ms. */
export function absoluteMs(windowStartMs: number, offsetS: number): number {
  return windowStartMs + Math.round(offsetS * 1000);
}

/**
 * The clip object name: `<userId>/<localDate>/<windowStartMs>-<eventStartMs>-<classId>.wav`, with
 * the event's absolute start. Deterministic, so a redelivered segment overwrites the same objects.
 */
export function clipObjectName(segment: Pick<SegmentReady, 'userId' | 'localDate' | 'windowStartMs' | 'audioStartMs'>, event: Pick<LaughterEvent, 'startS' | 'classId'>): string {
  return `${segment.userId}/${segment.localDate}/${segment.windowStartMs}-${absoluteMs(audioStartOf(segment), event.startS)}-${event.classId}.wav`;
}

/**
 * The absolute time of the audio object's first sample: the window start, except for a day's part
 * of a longer imported file (SegmentReady.audioStartMs), whose object starts earlier.
 */
export function audioStartOf(segment: Pick<SegmentReady, 'windowStartMs' | 'audioStartMs'>): number {
  return segment.audioStartMs ?? segment.windowStartMs;
}

/** Whether an event (absolute start) belongs to this segment: a part keeps only events that start inside its window. */
export function inWindow(segment: Pick<SegmentReady, 'windowStartMs' | 'windowEndMs' | 'audioStartMs'>, eventStartMs: number): boolean {
  if (segment.audioStartMs === undefined) return true;
  return eventStartMs >= segment.windowStartMs && eventStartMs < segment.windowEndMs;
}

/**
 * The seconds of decoded audio inside the window: all of it for a whole window; for a part of a
 * longer file only the overlap, so the day's audio hours count each second once.
 */
export function secondsInWindow(segment: Pick<SegmentReady, 'windowStartMs' | 'windowEndMs' | 'audioStartMs'>, decodedSeconds: number): number {
  if (segment.audioStartMs === undefined) return decodedSeconds;
  const audioEnd = segment.audioStartMs + decodedSeconds * 1000;
  const overlapMs = Math.min(audioEnd, segment.windowEndMs) - Math.max(segment.audioStartMs, segment.windowStartMs);
  return Math.max(0, overlapMs) / 1000;
}

/** A clip window that has audio in it (the contract wants clipEndMs > clipStartMs). */
export function isPlayable(windowStartMs: number, window: ClipWindow): boolean {
  return absoluteMs(windowStartMs, window.endS) > absoluteMs(windowStartMs, window.startS);
}

export function toDetectedEvent(windowStartMs: number, event: LaughterEvent, clip: StoredClip | undefined): DetectedEvent {
  const detected: DetectedEvent = {
    startMs: absoluteMs(windowStartMs, event.startS),
    endMs: absoluteMs(windowStartMs, event.endS),
    peakMs: absoluteMs(windowStartMs, event.peakS),
    probability: clamp01(event.probability),
    meanProbability: clamp01(event.meanProbability),
    classId: event.classId,
    className: event.className,
  };
  if (clip) {
    detected.clipObject = clip.object;
    detected.clipStartMs = absoluteMs(windowStartMs, clip.window.startS);
    detected.clipEndMs = absoluteMs(windowStartMs, clip.window.endS);
  }
  return detected;
}

interface ResultFacts {
  status: SegmentResult['status'];
  decodedSeconds: number;
  modelVersion: string;
  events: DetectedEvent[];
  processingMs: number;
  error?: ErrorInfo;
}

export function buildSegmentResult(segment: SegmentReady, facts: ResultFacts): SegmentResult {
  const result: SegmentResult = {
    jobId: segment.jobId,
    userId: segment.userId,
    localDate: segment.localDate,
    trigger: segment.trigger,
    windowStartMs: segment.windowStartMs,
    windowEndMs: segment.windowEndMs,
    status: facts.status,
    decodedSeconds: Math.round(Math.max(0, facts.decodedSeconds) * 1000) / 1000,
    modelVersion: facts.modelVersion,
    events: facts.events,
    audioObject: segment.audioObject,
    limitlessCalls: segment.limitlessCalls,
    processingMs: Math.max(0, Math.round(facts.processingMs)),
  };
  if (facts.error) result.error = facts.error;
  return result;
}

function clamp01(value: number): number {
  return Math.min(1, Math.max(0, value));
}
