/**
 * The range of some values with a margin on each side, so extreme points do not sit on the plot's edge.
 * A single value (or none) still gets a range, because a scale over zero width cannot place anything.
 */
export function extent(values: readonly number[], margin = 0.05): [number, number] {
  const finite = values.filter((value) => Number.isFinite(value));
  if (finite.length === 0) return [0, 1];
  let low = Math.min(...finite);
  let high = Math.max(...finite);
  if (low === high) {
    const spread = Math.abs(low) * 0.1 || 1;
    return [low - spread, high + spread];
  }
  const air = (high - low) * margin;
  low -= air;
  high += air;
  return [low, high];
}
