import { describe, expect, it } from 'vitest';
import { DEFAULT_YAMNET_SETTINGS, resolveYamnetSettings, YAMNET_SETTING_BOUNDS } from '../../src';
import { availableParallelism } from 'node:os';

describe('yamnet settings', () => {
  it('defaults to batch 16 and at most two threads', () => {
    expect(DEFAULT_YAMNET_SETTINGS.batchSize).toBe(16);
    expect(DEFAULT_YAMNET_SETTINGS.intraOpThreads).toBe(Math.min(2, availableParallelism()));
    expect(DEFAULT_YAMNET_SETTINGS.allowSpinning).toBe(false);
    expect(resolveYamnetSettings()).toEqual(DEFAULT_YAMNET_SETTINGS);
    expect(YAMNET_SETTING_BOUNDS.batchSize).toEqual({ min: 1, max: 256 });
  });

  it('merges overrides, ignoring undefined', () => {
    expect(resolveYamnetSettings({ batchSize: 256, intraOpThreads: 1, cacheDir: '/tmp/x', classMapPath: undefined })).toEqual({
      batchSize: 256,
      intraOpThreads: 1,
      allowSpinning: false,
      cacheDir: '/tmp/x',
    });
  });

  it('rejects values outside the bounds, naming the setting', () => {
    expect(() => resolveYamnetSettings({ batchSize: 0 })).toThrow(/batchSize must be an integer from 1 to 256, got 0/);
    expect(() => resolveYamnetSettings({ batchSize: 257 })).toThrow(RangeError);
    expect(() => resolveYamnetSettings({ batchSize: 2.5 })).toThrow(RangeError);
    expect(() => resolveYamnetSettings({ intraOpThreads: 0 })).toThrow(/intraOpThreads/);
  });
});
