import { describe, expect, it } from 'vitest';
import { archiveRetentionCutoff, planArchiveReconciliation } from './archive-reconcile-plan';

const U = '6f1c2a5e-3b4d-4e8f-9a0b-1c2d3e4f5a6b';
const p = (n: number): string => `${U}/2024-03-01/${n}000-${n + 1}000.ogg`;
const GUARDS = { maxDeletions: 100, maxShare: 0.5 };

describe('archive reconciliation plan', () => {
  it('deletes files without rows, removes rows without files, expires old windows', () => {
    const plan = planArchiveReconciliation({ files: [p(1), p(2), p(3), p(4)], rows: [p(1), p(2), p(4), p(5)], expired: [p(2)] }, GUARDS);
    expect(plan).toEqual({ orphanFiles: [p(3)], missingFiles: [p(5)], expired: [p(2)] });
  });

  it('stops at the run’s remaining deletions', () => {
    const plan = planArchiveReconciliation({ files: [p(1), p(2), p(3), p(4)], rows: [], expired: [] }, { maxDeletions: 1, maxShare: 1 });
    expect(plan.orphanFiles).toEqual([p(1)]);
    expect(plan.stoppedBy).toMatch(/^maxDeletions/);
  });

  it('never deletes more than the share of archived files in one run', () => {
    const plan = planArchiveReconciliation({ files: [p(1), p(2), p(3), p(4)], rows: [p(1)], expired: [] }, { maxDeletions: 100, maxShare: 0.5 });
    expect(plan.orphanFiles).toEqual([p(2), p(3)]);
    expect(plan.stoppedBy).toMatch(/^maxClipShare/);
  });

  it('removes no rows when most files are missing (an unmounted volume)', () => {
    const plan = planArchiveReconciliation({ files: [], rows: [p(1), p(2), p(3)], expired: [] }, GUARDS);
    expect(plan.missingFiles).toEqual([]);
    expect(plan.stoppedBy).toMatch(/is the archive storage mounted/);
  });

  it('keeps everything when retention is 0 (forever)', () => {
    expect(archiveRetentionCutoff(1_000_000_000, 0)).toBeUndefined();
    expect(archiveRetentionCutoff(10 * 86_400_000, 3)).toBe(7 * 86_400_000);
  });
});
