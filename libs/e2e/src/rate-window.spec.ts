import { describe, expect, it } from 'vitest';
import { peakPerMinute } from './rate-window';

describe('peakPerMinute', () => {
  it('counts the busiest sliding minute, whatever the order', () => {
    expect(peakPerMinute([])).toBe(0);
    expect(peakPerMinute([5_000])).toBe(1);
    // 3 in [0, 59.999 s], the 4th at exactly 60 s starts a new minute for the first.
    expect(peakPerMinute([60_000, 0, 30_000, 59_999])).toBe(3);
    // A burst straddling two calendar minutes is still one minute's worth.
    const burst = Array.from({ length: 170 }, (_, i) => 50_000 + i * 100);
    expect(peakPerMinute([...burst, 200_000, 400_000])).toBe(170);
  });
});
