/**
 * How plainly a laugh sounded like laughter, in words, from its peak score (YAMNet's laughter
 * classes, 0–1). The score is not a probability that the laugh is real: YAMNet scores laughter low
 * even when it is plainly there (laughs inside conversation score as Speech, a laugh across the
 * room is quiet), so "4 % sure" read as doubt where there was none.
 *
 * Measured on the development recordings (../shared/eval long_d1 + long_d2, 36 labelled laughs,
 * `giggles analyze` with the default settings, 40 detections): below 0.1, 11 of 17 detections were
 * real laughs; 0.1–0.4, 9 of 12; 0.4 and up, 10 of 11. Even a faint one is usually a laugh, so
 * the words describe strength, never certainty, and the list shows every laugh by default.
 * A filter at 0.5 (the old "at least 50 % sure") kept 6 of the 30 real laughs found.
 */
export type LaughStrength = 'faint' | 'clear' | 'strong';

/** Peak scores at or above this are "clear" (≥ 0.1: 19 of 30 real laughs, 4 of 10 false ones). */
export const CLEAR_FROM = 0.1;
/** Peak scores at or above this are "strong" (≥ 0.4: 10 of 30 real laughs, 1 of 10 false ones). */
export const STRONG_FROM = 0.4;

export function laughStrength(score: number): LaughStrength {
  if (score >= STRONG_FROM) return 'strong';
  if (score >= CLEAR_FROM) return 'clear';
  return 'faint';
}

/** The raw score for a tooltip: "laughter score 0.07 of 1". */
export function scoreTitle(score: number): string {
  return `laughter score ${score.toFixed(2)} of 1 (${laughStrength(score)}: ${strengthRange(laughStrength(score))})`;
}

function strengthRange(strength: LaughStrength): string {
  if (strength === 'strong') return `${STRONG_FROM} and up`;
  if (strength === 'clear') return `${CLEAR_FROM}–${STRONG_FROM}`;
  return `below ${CLEAR_FROM}`;
}

/** The list filter: every laugh, or only the clear and strong ones (never a stricter default). */
export const STRENGTH_FILTERS: ReadonlyArray<{ minScore: number; label: string }> = [
  { minScore: 0, label: 'all laughs' },
  { minScore: CLEAR_FROM, label: 'clear and strong' },
];

export function filterLabel(minScore: number): string {
  return STRENGTH_FILTERS.find((f) => f.minScore === minScore)?.label ?? `score ${minScore} and up`;
}
