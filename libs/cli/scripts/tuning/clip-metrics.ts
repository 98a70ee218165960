/**
 * ROC AUC of scores against binary labels: the probability that a random positive scores above
 * a random negative (ties count half), i.e. the Mann–Whitney U statistic normalised.
 */
export function rocAuc(scores: readonly number[], labels: readonly boolean[]): number {
  let pos = 0;
  let neg = 0;
  let wins = 0;
  scores.forEach((s, i) => {
    if (!labels[i]) return;
    pos++;
    scores.forEach((t, j) => {
      if (labels[j]) return;
      if (s > t) wins += 1;
      else if (s === t) wins += 0.5;
    });
  });
  neg = labels.filter((l) => !l).length;
  return pos && neg ? wins / (pos * neg) : Number.NaN;
}
