import { describe, expect, it } from 'vitest';
import {
  DEFAULT_DETECTION_SETTINGS,
  DETECTION_SETTING_BOUNDS,
  DetectionSettingsError,
  detectionSettingsFromEnv,
  validateDetectionSettings,
  type DetectionSettings,
  type DetectionSettingsInput,
} from './settings';

function issuesOf(input: Record<string, unknown>): { setting: string; message: string }[] {
  try {
    validateDetectionSettings(input as DetectionSettingsInput);
  } catch (error) {
    expect(error).toBeInstanceOf(DetectionSettingsError);
    return [...(error as DetectionSettingsError).issues];
  }
  throw new Error('expected validation to fail');
}

describe('defaults and bounds', () => {
  it('has the tuned defaults (README: Tuning)', () => {
    expect(DEFAULT_DETECTION_SETTINGS).toMatchObject({
      scoreMode: 'cough-discounted',
      startThreshold: 0.02,
      stopThreshold: 0.01,
      smoothingMethod: 'mean',
      smoothingFrames: 1,
      minEventS: 0.3,
      mergeGapS: 3,
      maxEventS: 30,
      clipPaddingS: 2,
      maxClipS: 30,
    });
    expect(Object.isFrozen(DEFAULT_DETECTION_SETTINGS)).toBe(true);
  });

  it('describes every setting, and every default lies within its bounds', () => {
    expect(Object.keys(DETECTION_SETTING_BOUNDS).sort()).toEqual(Object.keys(DEFAULT_DETECTION_SETTINGS).sort());
    for (const [name, bounds] of Object.entries(DETECTION_SETTING_BOUNDS)) {
      const value = DEFAULT_DETECTION_SETTINGS[name as keyof DetectionSettings];
      expect(bounds.description.length, name).toBeGreaterThan(20);
      if (bounds.kind === 'number') {
        expect(value, name).toBeGreaterThanOrEqual(bounds.min);
        expect(value, name).toBeLessThanOrEqual(bounds.max);
        expect(bounds.min, name).toBeLessThan(bounds.max);
      } else {
        expect(bounds.values, name).toContain(value);
      }
    }
  });

  it('gives every setting a distinct flag and environment variable', () => {
    const all = Object.values(DETECTION_SETTING_BOUNDS);
    expect(new Set(all.map((b) => b.flag)).size).toBe(all.length);
    expect(new Set(all.map((b) => b.env)).size).toBe(all.length);
    for (const b of all) {
      expect(b.flag).toMatch(/^[a-z]+(-[a-z]+)*$/);
      expect(b.env).toMatch(/^DETECTION_[A-Z_]+$/);
    }
  });
});

describe('validateDetectionSettings', () => {
  it('returns the defaults for no input, as a new object', () => {
    const s = validateDetectionSettings();
    expect(s).toEqual(DEFAULT_DETECTION_SETTINGS);
    expect(s).not.toBe(DEFAULT_DETECTION_SETTINGS);
  });

  it('overrides only what is given', () => {
    expect(validateDetectionSettings({ startThreshold: 0.5, scoreMode: 'noisy-or' })).toEqual({
      ...DEFAULT_DETECTION_SETTINGS,
      startThreshold: 0.5,
      scoreMode: 'noisy-or',
    });
  });

  it('parses strings as they come from flags and the environment', () => {
    const s = validateDetectionSettings({ startThreshold: ' 0.45 ', smoothingFrames: '5', scoreMode: 'sum', maxEventS: '1e2' });
    expect(s).toMatchObject({ startThreshold: 0.45, smoothingFrames: 5, scoreMode: 'sum', maxEventS: 100 });
  });

  it('treats undefined, null and empty strings as "use the default"', () => {
    expect(validateDetectionSettings({ startThreshold: undefined, stopThreshold: null, mergeGapS: '  ' })).toEqual(
      DEFAULT_DETECTION_SETTINGS,
    );
  });

  it('accepts the bounds themselves and stop equal to start', () => {
    expect(() => validateDetectionSettings({ startThreshold: 1, stopThreshold: 1, smoothingFrames: 21, minEventS: 0 })).not.toThrow();
    expect(() => validateDetectionSettings({ startThreshold: 0.01, stopThreshold: 0, smoothingFrames: 1 })).not.toThrow();
  });

  it('lists every bad setting in one error', () => {
    const issues = issuesOf({
      startThreshold: 1.5,
      smoothingFrames: 2.5,
      scoreMode: 'average',
      mergeGapS: 'soon',
      minEventS: -1,
      clipPaddingS: Number.NaN,
      maxClipS: '0x10',
    });
    expect(issues.map((i) => i.setting).sort()).toEqual(
      ['clipPaddingS', 'maxClipS', 'mergeGapS', 'minEventS', 'scoreMode', 'smoothingFrames', 'startThreshold'].sort(),
    );
    expect(issues.find((i) => i.setting === 'startThreshold')?.message).toMatch(/between 0.01 and 1 \(got 1.5\)/);
    expect(issues.find((i) => i.setting === 'smoothingFrames')?.message).toMatch(/whole number/);
    expect(issues.find((i) => i.setting === 'scoreMode')?.message).toMatch(/max, sum, noisy-or/);
    expect(issues.find((i) => i.setting === 'mergeGapS')?.message).toMatch(/must be a number \(got "soon"\)/);
  });

  it('puts every issue in the error message', () => {
    expect(() => validateDetectionSettings({ startThreshold: 2, maxClipS: 0 })).toThrow(
      /startThreshold: must be between.*\n.*maxClipS: must be between/s,
    );
  });

  it('refuses a stop threshold above the start threshold', () => {
    expect(issuesOf({ startThreshold: 0.3, stopThreshold: 0.31 })).toEqual([
      { setting: 'stopThreshold', message: 'must not exceed startThreshold (0.31 > 0.3)' },
    ]);
    // A raised stop is checked against the default start (0.02) too.
    expect(issuesOf({ stopThreshold: 0.05 }).map((i) => i.setting)).toEqual(['stopThreshold']);
  });

  it('refuses a maximum event length below the minimum', () => {
    expect(issuesOf({ minEventS: 5, maxEventS: 4 })).toEqual([
      { setting: 'maxEventS', message: 'must be at least minEventS (4 < 5)' },
    ]);
  });

  it('skips cross-setting rules when a side is already invalid', () => {
    expect(issuesOf({ startThreshold: 'x', stopThreshold: 0.9 }).map((i) => i.setting)).toEqual(['startThreshold']);
  });

  it('refuses unknown (e.g. misspelt) settings', () => {
    const issues = issuesOf({ startTreshold: 0.4 });
    expect(issues).toHaveLength(1);
    expect(issues[0].setting).toBe('startTreshold');
    expect(issues[0].message).toMatch(/unknown setting/);
  });
});

describe('detectionSettingsFromEnv', () => {
  it('reads the documented variables and ignores others', () => {
    const s = detectionSettingsFromEnv({
      DETECTION_START_THRESHOLD: '0.4',
      DETECTION_SCORE_MODE: 'noisy-or',
      DETECTION_MERGE_GAP_S: '',
      PATH: '/usr/bin',
    });
    expect(s).toEqual({ ...DEFAULT_DETECTION_SETTINGS, startThreshold: 0.4, scoreMode: 'noisy-or' });
  });

  it('reports bad variables by setting name', () => {
    expect(() => detectionSettingsFromEnv({ DETECTION_SMOOTHING_FRAMES: 'three' })).toThrow(/smoothingFrames: must be a number/);
  });
});
