/**
 * What the pipeline should store for a user's day, worked out independently of the services:
 * `analyzeRecording` (the engine inference uses, same model and default settings) run on each
 * placed file directly, shifted to absolute time by the file's placement; and the laugh intervals
 * of the eval truth CSVs, shifted the same way.
 */
import { readFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { analyzeRecording } from '@giggles/analysis';
import { detectionSettingsFromEnv } from '@giggles/detection';
import { type StackUser, type StoredDetection } from '@giggles/e2e';
import { sharedDir } from '@giggles/testing';
import { YamnetModel } from '@giggles/yamnet';

export interface ExpectedEvent {
  startMs: number;
  endMs: number;
  probability: number;
  classId: number;
  file: string;
}

export interface ReferenceEvent {
  startS: number;
  endS: number;
  probability: number;
  classId: number;
}

/** Events per file, from analyzeRecording with the default detection settings (what the service runs with an empty DETECTION_* env). */
export async function referenceEvents(files: string[]): Promise<Map<string, ReferenceEvent[]>> {
  const model = await YamnetModel.load(process.env.GIGGLES_MODEL ?? join(sharedDir(), 'models', 'yamnet.tflite'), { intraOpThreads: 2 });
  try {
    const detection = detectionSettingsFromEnv({});
    const out = new Map<string, ReferenceEvent[]>();
    for (const file of [...new Set(files)]) {
      const result = await analyzeRecording(file, { model, detection });
      out.set(file, result.events.map((e) => ({ startS: e.startS, endS: e.endS, probability: e.probability, classId: e.classId })));
    }
    return out;
  } finally {
    await model.dispose();
  }
}

/** The reference events of a user's placed recordings at absolute time, optionally only inside some windows. */
export function expectedEvents(user: StackUser, reference: Map<string, ReferenceEvent[]>, inside?: Array<{ startMs: number; endMs: number }>): ExpectedEvent[] {
  const out: ExpectedEvent[] = [];
  for (const p of user.placements) {
    for (const e of reference.get(p.file) ?? []) {
      const startMs = p.startMs + e.startS * 1000;
      const endMs = p.startMs + e.endS * 1000;
      if (inside && !inside.some((w) => startMs >= w.startMs && startMs < w.endMs)) continue;
      out.push({ startMs, endMs, probability: e.probability, classId: e.classId, file: p.file });
    }
  }
  return out.sort((a, b) => a.startMs - b.startMs);
}

/** Truth laugh intervals (`<name>_truth.csv` beside the recording) at absolute time. */
export function truthLaughs(user: StackUser): Array<{ startMs: number; endMs: number; file: string }> {
  const out: Array<{ startMs: number; endMs: number; file: string }> = [];
  for (const p of user.placements) {
    const csv = join(dirname(p.file), `${basename(p.file, '.ogg')}_truth.csv`);
    let text: string;
    try {
      text = readFileSync(csv, 'utf8');
    } catch {
      continue;
    }
    for (const line of text.trim().split('\n').slice(1)) {
      const [s, e] = line.split(',');
      out.push({ startMs: p.startMs + Number(s) * 1000, endMs: p.startMs + Number(e) * 1000, file: p.file });
    }
  }
  return out;
}

const overlaps = (a: { startMs: number; endMs: number }, b: { startMs: number; endMs: number }) => a.startMs < b.endMs && b.startMs < a.endMs;

export function asInterval(d: StoredDetection): { startMs: number; endMs: number } {
  return { startMs: d.start.getTime(), endMs: (d.end ?? d.start).getTime() };
}

export interface Matching {
  matched: Array<{ expected: ExpectedEvent; stored: StoredDetection }>;
  missing: ExpectedEvent[];
  unexpected: StoredDetection[];
}

/**
 * One-to-one matching of expected events to stored detections: same laugh when the starts are
 * within `toleranceMs` (window cuts re-mux the Opus stream, so scores can differ by a hair).
 */
export function matchEvents(expected: ExpectedEvent[], stored: StoredDetection[], toleranceMs = 500): Matching {
  const free = new Set(stored);
  const matched: Matching['matched'] = [];
  const missing: ExpectedEvent[] = [];
  for (const e of expected) {
    let best: StoredDetection | undefined;
    for (const d of free) {
      const diff = Math.abs(d.start.getTime() - e.startMs);
      if (diff <= toleranceMs && (!best || diff < Math.abs(best.start.getTime() - e.startMs))) best = d;
    }
    if (best) {
      free.delete(best);
      matched.push({ expected: e, stored: best });
    } else missing.push(e);
  }
  return { matched, missing, unexpected: [...free] };
}

/** Truth laughs the reference analysis finds (overlap), so the pipeline must find them too. */
export function detectableTruth(user: StackUser, expected: ExpectedEvent[]): Array<{ startMs: number; endMs: number; file: string }> {
  return truthLaughs(user).filter((t) => expected.some((e) => overlaps(e, t)));
}

export function overlapsAny(interval: { startMs: number; endMs: number }, detections: StoredDetection[]): boolean {
  return detections.some((d) => overlaps(asInterval(d), interval));
}
