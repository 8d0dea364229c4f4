/** Share of labels predicted right (scikit-learn's accuracy_score). */
export function accuracyOf(truth: ArrayLike<number>, predicted: ArrayLike<number>): number {
  let right = 0;
  for (let i = 0; i < truth.length; i++) if (truth[i] === predicted[i]) right++;
  return truth.length ? right / truth.length : Number.NaN;
}
