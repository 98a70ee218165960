import { describe, expect, it } from 'vitest';
import { clipPath, detectionKey, safeSegments, UnsafeClipPathError } from './clip-path';

describe('clip paths', () => {
  it('builds <userId>/<localDate>/<detectionKey>.wav from an event', () => {
    const key = detectionKey({ startMs: 1709247610000, classId: 13 });
    expect(key).toBe('1709247610000-13');
    expect(clipPath('6F1C2A5E-3B4D-4E8F-9A0B-1C2D3E4F5A6B', '2024-03-01', key)).toBe(
      '6f1c2a5e-3b4d-4e8f-9a0b-1c2d3e4f5a6b/2024-03-01/1709247610000-13.wav',
    );
  });

  it('refuses parts that are not what they claim to be', () => {
    expect(() => clipPath('../etc', '2024-03-01', 'k')).toThrow(UnsafeClipPathError);
    expect(() => clipPath('6f1c2a5e-3b4d-4e8f-9a0b-1c2d3e4f5a6b', '2024/03/01', 'k')).toThrow(UnsafeClipPathError);
    expect(() => clipPath('6f1c2a5e-3b4d-4e8f-9a0b-1c2d3e4f5a6b', '2024-03-01', '../k')).toThrow(UnsafeClipPathError);
    expect(() => detectionKey({ startMs: 1.5, classId: 13 })).toThrow();
  });

  it('splits safe relative paths and accepts an empty prefix only when asked', () => {
    expect(safeSegments('a/b/c.wav')).toEqual(['a', 'b', 'c.wav']);
    expect(safeSegments('a/b/')).toEqual(['a', 'b']);
    expect(safeSegments('', { allowEmpty: true })).toEqual([]);
    expect(() => safeSegments('')).toThrow(UnsafeClipPathError);
  });
});
