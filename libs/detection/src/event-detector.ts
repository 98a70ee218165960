import {
  accumulatorToEvent,
  addToAccumulator,
  startAccumulator,
  type EventAccumulator,
  type SettledFrame,
} from './event-accumulator';
import { combineFamilyScores, coughContextFrames, coughScore, familyScores, rawLaughterScore } from './frame-score';
import { validateDetectionSettings, type DetectionSettings, type DetectionSettingsInput } from './settings';
import { StreamingSmoother, type SmoothedItem, type SmootherState } from './smoothing';
import { frameCentreS, maxFramesWithin, maxMergedGapFrames, minFramesFor } from './timing';
import type { DetectionFrame, FrameScorePoint, FrameScorer, LaughterEvent } from './types';

export interface DetectorOptions {
  /** Per-frame score in place of the family combination (`scoreMode` is then ignored). */
  frameScorer?: FrameScorer;
  /**
   * Called once per frame, in order, as soon as its smoothed score is final (half a smoothing
   * window after the frame arrives; the last frames on `finish`). This is the timeline series;
   * the detector keeps none of it.
   */
  onFrameScore?: (point: FrameScorePoint) => void;
}

/** A frame waiting for its smoothing window to fill. */
interface PendingFrame {
  index: number;
  family: number[];
}

/**
 * A frame waiting for the cough context after it (`cough-discounted` mode; with any other mode
 * the context is the frame alone and it passes straight through).
 */
interface ContextFrame extends PendingFrame {
  /** The custom frame scorer's value; absent for the built-in score modes. */
  scored?: number;
}

/** An event that may still grow or merge with the next laugh. */
interface OpenEvent {
  acc: EventAccumulator;
  /** Frames since the last active one; only folded in if another laugh starts within the gap. */
  gap: SettledFrame[];
  /** This piece continues a laugh already split at maxEventS: kept whatever its length. */
  continued: boolean;
}

/** Everything a detector needs to carry on where it stopped, as plain JSON-able data. */
export interface DetectorSnapshot {
  version: 2;
  settings: DetectionSettings;
  /** Index the next frame should have; null before the first frame of a stream. */
  expectedIndex: number | null;
  /** Frames waiting for their cough context (cough-discounted mode). */
  context: SmootherState<ContextFrame>;
  smoother: SmootherState<PendingFrame>;
  inRun: boolean;
  open: OpenEvent | null;
}

const SNAPSHOT_VERSION = 2;
/** Version 1 snapshots (before cough context) restore as version 2 with an empty context. */
const OLDEST_SNAPSHOT_VERSION = 1;

/**
 * Turns a stream of YAMNet frames into laughter events.
 *
 * Per frame: raw laughter score (family combination — in `cough-discounted` mode less the
 * strongest cough score within ±2 frames — or `frameScorer`) → centred smoothing →
 * hysteresis (a laugh starts at smoothed ≥ startThreshold and continues while ≥ stopThreshold)
 * → runs whose pause is shorter than mergeGapS join into one event → events shorter than
 * minEventS are dropped → events longer than maxEventS are split (see `onActive`).
 *
 * Streaming: `push` returns the events that nothing later can change — those whose following
 * pause has already reached the merge gap — and `finish` returns the rest. Every decision is made
 * frame by frame on the settled smoothed value, so the events are identical however the frames
 * are batched or chunked, and `snapshot`/`restore` carry a stream across processes (e.g. a day's
 * consecutive 2-hour windows handled by different workers). Memory is bounded by the smoothing
 * window and the merge gap, never by recording length.
 *
 * Frame indices must increase. A jump (frames missing, e.g. a window with no audio) ends the
 * stream there as `finish` would and starts a new one: smoothing and merging never bridge audio
 * that was not heard.
 */
export class LaughterEventDetector {
  readonly settings: DetectionSettings;
  private readonly minFrames: number;
  private readonly maxFrames: number;
  private readonly maxGapFrames: number;
  private readonly contextFrames: number;
  private context: StreamingSmoother<ContextFrame>;
  private smoother: StreamingSmoother<PendingFrame>;
  private expectedIndex: number | null = null;
  private inRun = false;
  private open: OpenEvent | null = null;

  constructor(
    settings: DetectionSettingsInput = {},
    private readonly classNames: readonly string[] = [],
    private readonly options: DetectorOptions = {},
  ) {
    this.settings = validateDetectionSettings(settings);
    this.minFrames = minFramesFor(this.settings.minEventS);
    this.maxFrames = maxFramesWithin(this.settings.maxEventS);
    this.maxGapFrames = maxMergedGapFrames(this.settings.mergeGapS);
    this.contextFrames = coughContextFrames(this.settings.scoreMode, options.frameScorer !== undefined);
    this.context = this.newContext();
    this.smoother = this.newSmoother();
  }

  /** Continues a stream from `snapshot()` output (possibly after a JSON round trip). */
  static restore(
    snapshot: DetectorSnapshot,
    classNames: readonly string[] = [],
    options: DetectorOptions = {},
  ): LaughterEventDetector {
    const version = (snapshot as { version?: unknown } | undefined)?.version;
    if (typeof version !== 'number' || version < OLDEST_SNAPSHOT_VERSION || version > SNAPSHOT_VERSION) {
      throw new Error(
        `unsupported detector snapshot version ${String(version)} (expected ${OLDEST_SNAPSHOT_VERSION} to ${SNAPSHOT_VERSION})`,
      );
    }
    const detector = new LaughterEventDetector(snapshot.settings, classNames, options);
    // Version 1 had no cough context: nothing was waiting in it.
    if (snapshot.context) detector.context = detector.newContext(structuredClone(snapshot.context));
    detector.smoother = detector.newSmoother(structuredClone(snapshot.smoother));
    detector.expectedIndex = snapshot.expectedIndex;
    detector.inRun = snapshot.inRun;
    detector.open = structuredClone(snapshot.open);
    return detector;
  }

  snapshot(): DetectorSnapshot {
    return structuredClone({
      version: SNAPSHOT_VERSION,
      settings: this.settings,
      expectedIndex: this.expectedIndex,
      context: this.context.state(),
      smoother: this.smoother.state(),
      inRun: this.inRun,
      open: this.open,
    });
  }

  /** Processes frames in index order; returns the events that became final. */
  push(frames: Iterable<DetectionFrame>): LaughterEvent[] {
    const batch = this.scoreBatch([...frames]);
    const events: LaughterEvent[] = [];
    for (const { cough, ...frame } of batch) {
      if (this.expectedIndex !== null && frame.index !== this.expectedIndex) this.endStream(events);
      this.expectedIndex = frame.index + 1;
      for (const done of this.context.push(cough, frame)) this.smooth(done, events);
    }
    return events;
  }

  /** Ends the stream: returns every remaining event. The detector can then start a new stream. */
  finish(): LaughterEvent[] {
    const events: LaughterEvent[] = [];
    this.endStream(events);
    return events;
  }

  /**
   * Checks and scores the whole batch before touching any state, so a bad frame (or a scorer
   * that throws) leaves the detector exactly as it was and the caller may retry or skip.
   */
  private scoreBatch(batch: readonly DetectionFrame[]): (ContextFrame & { cough: number })[] {
    let previous = this.expectedIndex === null ? -1 : this.expectedIndex - 1;
    return batch.map((frame) => {
      if (!Number.isSafeInteger(frame.index) || frame.index < 0) {
        throw new RangeError(`frame index must be a non-negative integer (got ${frame.index})`);
      }
      if (frame.index <= previous) {
        throw new RangeError(`frame indices must increase: ${frame.index} after ${previous}`);
      }
      previous = frame.index;
      const family = familyScores(frame.scores);
      const { scoreMode } = this.settings;
      const scorer = this.options.frameScorer;
      // Also validates: a non-finite family or cough score throws here, before any state changes.
      const own = rawLaughterScore(family, scoreMode, frame, scorer);
      if (scorer) return { index: frame.index, family, scored: own, cough: 0 };
      const cough = this.contextFrames > 1 ? coughScore(frame.scores) : 0;
      if (!Number.isFinite(cough)) throw new RangeError(`frame ${frame.index} has a non-finite cough score`);
      return { index: frame.index, family, cough };
    });
  }

  /** A frame whose cough context is complete: its raw score goes on to smoothing. */
  private smooth(done: SmoothedItem<ContextFrame>, events: LaughterEvent[]): void {
    const { index, family, scored } = done.item;
    const raw = scored ?? Math.min(1, Math.max(0, combineFamilyScores(family, this.settings.scoreMode, done.smoothed)));
    for (const settled of this.smoother.push(raw, { index, family })) {
      this.step({ index: settled.item.index, family: settled.item.family, raw: settled.value, smoothed: settled.smoothed }, events);
    }
  }

  private endStream(events: LaughterEvent[]): void {
    for (const done of this.context.flush()) this.smooth(done, events);
    for (const done of this.smoother.flush()) {
      this.step({ index: done.item.index, family: done.item.family, raw: done.value, smoothed: done.smoothed }, events);
    }
    if (this.open) this.close(events);
    this.inRun = false;
    this.expectedIndex = null;
  }

  /** One settled frame through the hysteresis state machine. */
  private step(frame: SettledFrame, events: LaughterEvent[]): void {
    this.options.onFrameScore?.({
      index: frame.index,
      timeS: frameCentreS(frame.index),
      raw: frame.raw,
      smoothed: frame.smoothed,
    });
    const { startThreshold, stopThreshold } = this.settings;
    this.inRun = this.inRun ? frame.smoothed >= stopThreshold : frame.smoothed >= startThreshold;
    if (this.inRun) this.onActive(frame, events);
    else this.onInactive(frame, events);
  }

  /**
   * An active frame joins the open event (the pause before it is shorter than the merge gap,
   * otherwise the event would already be closed) or starts a new one.
   *
   * Splitting: if joining would make the event longer than maxEventS, the current piece is
   * emitted ending at its last active frame and a new piece starts at this frame. In continuous
   * laughter that cuts exactly at the limit; if the limit falls in a merged pause, the pause
   * belongs to neither piece. Cutting greedily (rather than searching back for a nicer pause)
   * keeps memory constant and lets each piece be emitted at once, since it is final. All pieces
   * are kept, even a short last one: the length minimum applies to the laugh as a whole, which
   * is longer than maxEventS ≥ minEventS by then.
   */
  private onActive(frame: SettledFrame, events: LaughterEvent[]): void {
    const open = this.open;
    if (!open) {
      this.open = { acc: startAccumulator(frame), gap: [], continued: false };
      return;
    }
    if (frame.index - open.acc.firstFrame + 1 > this.maxFrames) {
      events.push(accumulatorToEvent(open.acc, this.classNames));
      this.open = { acc: startAccumulator(frame), gap: [], continued: true };
      return;
    }
    for (const paused of open.gap) addToAccumulator(open.acc, paused);
    open.gap = [];
    addToAccumulator(open.acc, frame);
  }

  /** A quiet frame: the open event closes once the pause reaches the merge gap. */
  private onInactive(frame: SettledFrame, events: LaughterEvent[]): void {
    const open = this.open;
    if (!open) return;
    open.gap.push(frame);
    if (open.gap.length > this.maxGapFrames) this.close(events);
  }

  private close(events: LaughterEvent[]): void {
    const open = this.open;
    this.open = null;
    if (open && (open.continued || open.acc.frameCount >= this.minFrames)) {
      events.push(accumulatorToEvent(open.acc, this.classNames));
    }
  }

  private newContext(state?: SmootherState<ContextFrame>): StreamingSmoother<ContextFrame> {
    return new StreamingSmoother<ContextFrame>(this.contextFrames, 'max', state);
  }

  private newSmoother(state?: SmootherState<PendingFrame>): StreamingSmoother<PendingFrame> {
    return new StreamingSmoother<PendingFrame>(this.settings.smoothingFrames, this.settings.smoothingMethod, state);
  }
}

/** One-shot equivalent of the streaming detector: all events of a complete recording. */
export function detectEvents(
  frames: Iterable<DetectionFrame>,
  settings: DetectionSettingsInput = {},
  classNames: readonly string[] = [],
  options: DetectorOptions = {},
): LaughterEvent[] {
  const detector = new LaughterEventDetector(settings, classNames, options);
  return [...detector.push(frames), ...detector.finish()];
}
