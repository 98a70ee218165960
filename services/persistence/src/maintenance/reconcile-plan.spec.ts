import { describe, expect, it } from 'vitest';
import {
  CLIP_WRITE_GRACE_MS,
  DAY_MS,
  planReconciliation,
  type ClipReference,
  type ReconcileListings,
  type ReconcileSettings,
} from './reconcile-plan';

const NOW = Date.UTC(2024, 5, 1, 4);
const OLD = NOW - 2 * CLIP_WRITE_GRACE_MS;

function settings(overrides: Partial<ReconcileSettings> = {}): ReconcileSettings {
  return { nowMs: NOW, retention: {}, stuckJobMinutes: 120, staleAudioMinutes: 1440, maxDeletions: 1000, maxClipShare: 0.5, ...overrides };
}

function ref(clipPath: string, overrides: Partial<ClipReference> = {}): ClipReference {
  return { detectionId: `d-${clipPath}`, clipPath, live: true, eventStartMs: NOW - DAY_MS, createdAtMs: OLD, ...overrides };
}

function listings(overrides: Partial<ReconcileListings> = {}): ReconcileListings {
  return { clips: [], references: [], audioObjects: [], expiredDetections: [], expiredLogIds: [], ...overrides };
}

describe('planReconciliation', () => {
  it('finds orphan clips, missing clips and stale audio; tombstones still claim their path', () => {
    const plan = planReconciliation(
      listings({
        clips: ['u/a.wav', 'u/b.wav', 'u/orphan.wav', 'u/tomb.wav', 'u/x1.wav', 'u/x2.wav'],
        references: [
          ref('u/a.wav'),
          ref('u/b.wav'),
          ref('u/tomb.wav', { live: false }),
          ref('u/x1.wav'),
          ref('u/x2.wav'),
          ref('u/gone.wav'),
          ref('u/new.wav', { createdAtMs: NOW - 60_000 }),
        ],
        audioObjects: [
          { name: 'old', mtimeMs: NOW - 1441 * 60_000 },
          { name: 'fresh', mtimeMs: NOW - 60_000 },
        ],
      }),
      settings(),
    );
    expect(plan).toEqual({
      staleAudio: ['old'],
      expiredLogIds: [],
      orphanClips: ['u/orphan.wav'],
      expiredDetections: [],
      expiredClips: [],
      // u/new.wav's row is younger than the write grace: its file may still be on its way.
      missingClips: [ref('u/gone.wav')],
    });
  });

  it('applies retention: expired detections take their clip along, expired clips leave the row', () => {
    const plan = planReconciliation(
      listings({
        clips: ['u/old.wav', 'u/older.wav', 'u/new.wav'],
        references: [
          ref('u/old.wav', { eventStartMs: NOW - 40 * DAY_MS }),
          ref('u/older.wav', { detectionId: 'older', eventStartMs: NOW - 400 * DAY_MS }),
          ref('u/new.wav'),
        ],
        expiredDetections: [{ id: 'older', clipPath: 'u/older.wav' }, { id: 'no-clip', clipPath: null }],
        expiredLogIds: ['log-1'],
      }),
      settings({ maxClipShare: 1, retention: { clipsDays: 30, detectionsDays: 365, logsDays: 90 } }),
    );
    expect(plan.expiredDetections.map((d) => d.id)).toEqual(['older', 'no-clip']);
    expect(plan.expiredClips.map((c) => c.clipPath)).toEqual(['u/old.wav']);
    expect(plan.expiredLogIds).toEqual(['log-1']);
    expect(plan.stoppedBy).toBeUndefined();
  });

  it('stops at maxDeletions, cheapest categories first, and says so', () => {
    const plan = planReconciliation(
      listings({
        clips: ['o1', 'o2', 'o3'],
        audioObjects: [{ name: 'a1', mtimeMs: 0 }, { name: 'a2', mtimeMs: 0 }],
        expiredLogIds: ['l1'],
      }),
      settings({ maxDeletions: 4, maxClipShare: 1 }),
    );
    expect(plan.staleAudio).toEqual(['a1', 'a2']);
    expect(plan.expiredLogIds).toEqual(['l1']);
    expect(plan.orphanClips).toEqual(['o1']);
    expect(plan.stoppedBy).toMatch(/^maxDeletions/);
  });

  it('never deletes more than maxClipShare of the stored clips (a wrongly mounted volume)', () => {
    const foreign = Array.from({ length: 10 }, (_, i) => `other-app/${i}.wav`);
    const plan = planReconciliation(listings({ clips: foreign, audioObjects: [{ name: 'a', mtimeMs: 0 }] }), settings({ maxClipShare: 0.2 }));
    expect(plan.orphanClips).toEqual(foreign.slice(0, 2));
    expect(plan.staleAudio).toEqual(['a']);
    expect(plan.stoppedBy).toMatch(/^maxClipShare: deleting more than 2 of 10 clips \(20%\)/);
  });

  it('keeps every clip path when more than maxClipShare of the live references are missing', () => {
    const references = Array.from({ length: 10 }, (_, i) => ref(`u/${i}.wav`));
    const plan = planReconciliation(listings({ clips: [], references }), settings({ maxClipShare: 0.5 }));
    expect(plan.missingClips).toEqual([]);
    expect(plan.stoppedBy).toMatch(/^maxClipShare: 10 of 10 clip references point at missing files/);
  });

  it('counts an expired detection with a clip file as two deletions', () => {
    const plan = planReconciliation(
      listings({ clips: ['u/a.wav', 'u/b.wav'], references: [ref('u/a.wav'), ref('u/b.wav')], expiredDetections: [{ id: 'x', clipPath: 'u/a.wav' }] }),
      settings({ maxDeletions: 1, maxClipShare: 1, retention: { detectionsDays: 1 } }),
    );
    expect(plan.expiredDetections).toEqual([]);
    expect(plan.stoppedBy).toMatch(/^maxDeletions/);
  });

  it('keeps everything when nothing is due', () => {
    const plan = planReconciliation(listings({ clips: ['u/a.wav'], references: [ref('u/a.wav')] }), settings({ maxDeletions: 0, maxClipShare: 0 }));
    expect(plan).toEqual({ staleAudio: [], expiredLogIds: [], orphanClips: [], expiredDetections: [], expiredClips: [], missingClips: [] });
  });
});
