import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { loadOpusRecording, type OpusRecording } from './recording';

/** A recording placed at an absolute instant on one API key's timeline. */
export interface Placement {
  startMs: number;
  /** startMs + the recording's playable duration (may be fractional). */
  endMs: number;
  recording: OpusRecording;
}

/** The recordings one API key "has", ordered by start, never overlapping. */
export class Timeline {
  private readonly items: Placement[] = [];

  add(startMs: number, recording: OpusRecording): Placement {
    if (!Number.isFinite(startMs) || startMs < 0) throw new Error(`bad recording start ${startMs}`);
    const placement: Placement = { startMs, endMs: startMs + recording.durationMs, recording };
    const clash = this.items.find((p) => p.startMs < placement.endMs && placement.startMs < p.endMs);
    if (clash) {
      throw new Error(
        `recording ${recording.path} at ${startMs} overlaps ${clash.recording.path} at ${clash.startMs}`,
      );
    }
    this.items.push(placement);
    this.items.sort((a, b) => a.startMs - b.startMs);
    return placement;
  }

  /** Placements whose audio intersects [startMs, endMs). */
  overlapping(startMs: number, endMs: number): Placement[] {
    return this.items.filter((p) => p.startMs < endMs && startMs < p.endMs);
  }

  list(): readonly Placement[] {
    return this.items;
  }

  clear(): void {
    this.items.length = 0;
  }
}

/** The .ogg files of a directory, sorted by name. */
export function oggFilesIn(dir: string): string[] {
  return readdirSync(dir)
    .filter((f) => f.toLowerCase().endsWith('.ogg'))
    .sort()
    .map((f) => join(dir, f));
}

/**
 * Places `files` back to back from `fromMs`, cycling through them until `hours` are filled (the
 * last recording may run past the end), with `gapMs` of nothing between consecutive recordings.
 */
export function placeBackToBack(
  timeline: Timeline,
  files: string[],
  fromMs: number,
  hours: number,
  gapMs = 0,
): Placement[] {
  if (files.length === 0) throw new Error('no recordings to place');
  const until = fromMs + hours * 3_600_000;
  const placed: Placement[] = [];
  let at = fromMs;
  for (let i = 0; at < until; i++) {
    const p = timeline.add(at, loadOpusRecording(files[i % files.length]));
    if (p.recording.durationMs <= 0) throw new Error(`${p.recording.path} has no audio`);
    placed.push(p);
    at = p.endMs + gapMs;
  }
  return placed;
}
