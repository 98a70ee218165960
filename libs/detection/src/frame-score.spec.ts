import { describe, expect, it } from 'vitest';
import { frame } from '../test/support';
import { COUGH_CLASS_IDS, LAUGHTER_CLASS_IDS, LAUGHTER_CLASS_NAMES, combineFamilyScores, coughScore, familyScores, rawLaughterScore } from './frame-score';

describe('laughter family', () => {
  it('is classes 13-18 with their YAMNet names', () => {
    expect(LAUGHTER_CLASS_IDS).toEqual([13, 14, 15, 16, 17, 18]);
    expect(LAUGHTER_CLASS_NAMES[13]).toBe('Laughter');
    expect(LAUGHTER_CLASS_NAMES[18]).toBe('Chuckle, chortle');
  });

  it('copies the family scores so a reused buffer cannot change them later', () => {
    const f = frame(0, { 12: 0.9, 13: 0.5, 18: 0.25, 19: 0.9 });
    const family = familyScores(f.scores);
    expect(family).toEqual([0.5, 0, 0, 0, 0, 0.25]);
    f.scores[13] = 0;
    expect(family[0]).toBe(0.5);
  });

  it('refuses a score vector too short to hold the family', () => {
    expect(() => familyScores(new Float32Array(18))).toThrow(/at least 19/);
    expect(familyScores(new Float32Array(19))).toHaveLength(6);
  });
});

describe('combineFamilyScores', () => {
  const family = [0.25, 0, 0.5, 0, 0.125, 0];

  it('max takes the strongest class', () => {
    expect(combineFamilyScores(family, 'max')).toBe(0.5);
  });

  it('sum adds the classes and clamps to 1', () => {
    expect(combineFamilyScores(family, 'sum')).toBe(0.875);
    expect(combineFamilyScores([0.6, 0.6, 0, 0, 0, 0], 'sum')).toBe(1);
  });

  it('noisy-or is 1 - product(1 - p)', () => {
    expect(combineFamilyScores(family, 'noisy-or')).toBeCloseTo(1 - 0.75 * 0.5 * 0.875, 12);
  });

  it('orders the modes: max <= noisy-or <= sum for any scores', () => {
    for (let k = 0; k < 200; k++) {
      const f = Array.from({ length: 6 }, (_, c) => ((k * 7 + c * 13) % 17) / 17);
      const max = combineFamilyScores(f, 'max');
      const nor = combineFamilyScores(f, 'noisy-or');
      const sum = combineFamilyScores(f, 'sum');
      expect(max).toBeLessThanOrEqual(nor + 1e-12);
      expect(nor).toBeLessThanOrEqual(sum + 1e-12);
    }
  });

  it('cough-discounted is max minus the cough evidence, floored at 0', () => {
    expect(combineFamilyScores(family, 'cough-discounted', 0)).toBe(0.5);
    expect(combineFamilyScores(family, 'cough-discounted', 0.125)).toBe(0.375);
    expect(combineFamilyScores(family, 'cough-discounted', 0.75)).toBe(0);
    // The other modes ignore the cough argument.
    expect(combineFamilyScores(family, 'max', 0.75)).toBe(0.5);
  });

  it('all modes agree when only one class is present, and on silence', () => {
    for (const mode of ['max', 'sum', 'noisy-or', 'cough-discounted'] as const) {
      expect(combineFamilyScores([0, 0, 0.4, 0, 0, 0], mode)).toBeCloseTo(0.4, 12);
      expect(combineFamilyScores([0, 0, 0, 0, 0, 0], mode)).toBe(0);
    }
  });
});

describe('coughScore', () => {
  it('is the strongest of Cough, Throat clearing and Sneeze', () => {
    expect(COUGH_CLASS_IDS).toEqual([42, 43, 44]);
    expect(coughScore(frame(0, { 42: 0.25, 43: 0.5, 44: 0.125, 45: 0.9 }).scores)).toBe(0.5);
    expect(coughScore(frame(0).scores)).toBe(0);
  });

  it('is 0 for a score vector too short to hold the cough classes', () => {
    expect(coughScore(new Float32Array(19).fill(0.5))).toBe(0);
  });
});

describe('rawLaughterScore', () => {
  it('reads the cough classes from the frame in cough-discounted mode', () => {
    const f = frame(0, { 13: 0.5, 42: 0.375 });
    expect(rawLaughterScore(familyScores(f.scores), 'cough-discounted', f)).toBe(0.125);
    expect(rawLaughterScore(familyScores(f.scores), 'max', f)).toBe(0.5);
  });

  it('uses the family combination without a scorer', () => {
    const f = frame(0, { 13: 0.25, 15: 0.5 });
    expect(rawLaughterScore(familyScores(f.scores), 'max', f)).toBe(0.5);
  });

  it('uses a custom scorer, passing scores and embedding, instead of the family', () => {
    const embedding = new Float32Array(1024).fill(0.25);
    const f = frame(0, { 13: 0.9 }, embedding);
    const seen: unknown[] = [];
    const scorer = (scores: Float32Array, emb?: Float32Array) => {
      seen.push(scores, emb);
      return emb ? emb[0] : -1;
    };
    expect(rawLaughterScore(familyScores(f.scores), 'max', f, scorer)).toBe(0.25);
    expect(seen).toEqual([f.scores, embedding]);
  });

  it('clamps a scorer to [0, 1] and refuses non-finite values', () => {
    const f = frame(0);
    expect(rawLaughterScore([0, 0, 0, 0, 0, 0], 'max', f, () => 1.2)).toBe(1);
    expect(rawLaughterScore([0, 0, 0, 0, 0, 0], 'max', f, () => -0.1)).toBe(0);
    expect(() => rawLaughterScore([0, 0, 0, 0, 0, 0], 'max', f, () => Number.NaN)).toThrow(/NaN/);
  });
});
