import { describe, expect, it } from 'vitest';
import { deterministicId, messageIds } from '../src';
import { JOB_ID, USER_ID } from './fixtures';

describe('messageIds', () => {
  it('gives a readable, stable day-job id that changes with every input', () => {
    const id = messageIds.dayJob(USER_ID, '2024-05-01', 'nightly', 1_714_514_400_000, 1_714_600_800_000);
    expect(id).toBe(JOB_ID);
    const variants = [
      messageIds.dayJob(USER_ID, '2024-05-02', 'nightly', 1_714_514_400_000, 1_714_600_800_000),
      messageIds.dayJob(USER_ID, '2024-05-01', 'reprocess', 1_714_514_400_000, 1_714_600_800_000),
      messageIds.dayJob(USER_ID, '2024-05-01', 'nightly', 1_714_514_400_001, 1_714_600_800_000),
      messageIds.dayJob(USER_ID, '2024-05-01', 'nightly', 1_714_514_400_000, 1_714_600_800_001),
    ];
    expect(new Set([id, ...variants]).size).toBe(5);
  });

  it('hashes ids that would be long, deterministically and per kind', () => {
    const ready = messageIds.segmentReady(USER_ID, 1, 2, JOB_ID);
    expect(ready).toMatch(/^seg#[0-9a-f]{40}$/);
    expect(messageIds.segmentReady(USER_ID, 1, 2, JOB_ID)).toBe(ready);
    expect(messageIds.segmentReady(USER_ID, 1, 3, JOB_ID)).not.toBe(ready);
    expect(messageIds.segmentResult(USER_ID, 1, 2, JOB_ID)).toMatch(/^res#/);
    expect(messageIds.windowOutcome(USER_ID, 1, 2, JOB_ID)).toMatch(/^win#/);
  });

  it('keeps progress and dead-letter ids apart per status and sequence', () => {
    expect(messageIds.jobProgress('job-1', 'planned')).toBe('job:job-1:planned');
    expect(messageIds.jobProgress('job-1', 'failed')).not.toBe(messageIds.jobProgress('job-1', 'planned'));
    expect(messageIds.deadLetter('GIGGLES_DAY_JOBS', 17)).toBe('dead:GIGGLES_DAY_JOBS:17');
  });

  it('cannot be confused by separators inside parts', () => {
    // Joined naively both would read "k:a:b:c"; parts with separators are hashed instead.
    expect(deterministicId('k', ['a:b', 'c'])).not.toBe(deterministicId('k', ['a', 'b:c']));
    expect(deterministicId('k', ['a:b', 'c'])).toMatch(/^k#/);
  });
});
