import type { DaySummary, Laugh } from '@giggles/contracts';
import { describe, expect, it } from 'vitest';
import { isCountedLaugh, toLegacyDailySummary, toLegacyDetection, toLegacyJob } from './legacy-data.mappers';

const day: DaySummary = {
  localDate: '2026-03-07',
  laughCount: 3,
  laughSeconds: 4.5,
  meanProbability: 0.7,
  audioSeconds: 3600,
  windowsProcessed: 2,
  windowsEmpty: 0,
  windowsGap: 0,
  windowsFailed: 0,
  rejectedCount: 1,
  state: 'done',
  stateMessage: 'Done',
  jobsInFlight: 0,
};

const laugh: Laugh = {
  id: '0b6f3c52-2d1f-4b8e-9a57-5f0c1d2e3f40',
  localDate: '2026-03-07',
  startMs: Date.UTC(2026, 2, 8, 7, 30, 0),
  endMs: Date.UTC(2026, 2, 8, 7, 30, 2),
  peakMs: Date.UTC(2026, 2, 8, 7, 30, 1),
  durationS: 2,
  probability: 0.8,
  classId: 13,
  className: 'Laughter',
  notes: 'at dinner',
  hasClip: true,
};

describe('legacy data mappers', () => {
  it('maps a day to the original DailyLaughterSummary fields', () => {
    expect(toLegacyDailySummary(day)).toEqual({
      date: '2026-03-07',
      total_laughter_events: 3,
      average_probability: 0.7,
      audio_segments_processed: 2,
    });
    expect(toLegacyDailySummary({ ...day, laughCount: 0, meanProbability: undefined }).average_probability).toBe(0);
  });

  it('maps a laugh to the original LaughterDetectionResponse fields with a clip URL, never a path', () => {
    const detection = toLegacyDetection(laugh);
    expect(Object.keys(detection).sort()).toEqual(
      ['audio_segment_id', 'class_id', 'class_name', 'clip_path', 'created_at', 'id', 'notes', 'probability', 'timestamp', 'updated_at'].sort(),
    );
    expect(detection.timestamp).toBe('2026-03-08T07:30:00.000Z');
    expect(detection.clip_path).toBe(`/api/laughs/${laugh.id}/clip`);
    expect(detection.notes).toBe('at dinner');
    expect(detection.class_id).toBe(13);
  });

  it('gives null for what a laugh lacks', () => {
    const detection = toLegacyDetection({ ...laugh, hasClip: false, notes: undefined, classId: undefined });
    expect(detection.clip_path).toBeNull();
    expect(detection.notes).toBeNull();
    expect(detection.class_id).toBeNull();
  });

  it('leaves laughs marked "not a laugh" out of the original lists', () => {
    expect(isCountedLaugh(laugh)).toBe(true);
    expect(isCountedLaugh({ ...laugh, review: 'not_laugh' })).toBe(false);
  });

  it('names a job by its id, day and state', () => {
    expect(
      toLegacyJob({ jobId: 'day:u:2026-03-07:today:1:2', localDate: '2026-03-07', state: 'queued' }),
    ).toEqual({ job_id: 'day:u:2026-03-07:today:1:2', date: '2026-03-07', state: 'queued' });
  });
});
