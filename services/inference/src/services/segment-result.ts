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
export function clipObjectName(segment: Pick<SegmentReady, 'userId' | 'localDate' | 'windowStartMs'>, event: Pick<LaughterEvent, 'startS' | 'classId'>): string {
  return `${segment.userId}/${segment.localDate}/${segment.windowStartMs}-${absoluteMs(segment.windowStartMs, event.startS)}-${event.classId}.wav`;
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
