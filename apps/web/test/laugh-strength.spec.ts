import { describe, expect, it } from 'vitest';
import { CLEAR_FROM, filterLabel, laughStrength, scoreTitle, STRENGTH_FILTERS, STRONG_FROM } from '../src/lib/laugh-strength';

describe('laughStrength', () => {
  it('names the bands measured on the development recordings', () => {
    expect(laughStrength(0)).toBe('faint');
    expect(laughStrength(0.021)).toBe('faint');
    expect(laughStrength(CLEAR_FROM - 0.001)).toBe('faint');
    expect(laughStrength(CLEAR_FROM)).toBe('clear');
    expect(laughStrength(0.27)).toBe('clear');
    expect(laughStrength(STRONG_FROM)).toBe('strong');
    expect(laughStrength(0.91)).toBe('strong');
  });

  it('puts the raw score in the title and labels the filters', () => {
    expect(scoreTitle(0.133)).toBe('laughter score 0.13 of 1 (clear: 0.1–0.4)');
    expect(STRENGTH_FILTERS.map((f) => f.minScore)).toEqual([0, CLEAR_FROM]);
    expect(filterLabel(CLEAR_FROM)).toBe('clear and strong');
    expect(filterLabel(0.5)).toBe('score 0.5 and up');
  });
});
