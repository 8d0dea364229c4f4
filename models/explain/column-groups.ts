import { encodedName, type FittedPreprocessingJSON } from '../preprocessing/preprocessing';

/**
 * One column the user knows (as it was in their table) and the model's features made from it: the
 * one-hot columns "job=retired", "job=student", … all belong to "job"; a scaled "age" stays "age".
 * Explanations are summed per group, and permutation importance shuffles a group as one column.
 */
export interface ColumnGroup {
  column: string;
  /** Indices into the model's feature list. */
  features: number[];
}

/** Groups a model's features by the original column each one came from, in the features' order. */
export function columnGroups(preprocessing: Pick<FittedPreprocessingJSON, 'steps'>, features: readonly string[]): ColumnGroup[] {
  const sourceOf = new Map<string, string>();
  for (const step of preprocessing.steps) {
    if (step.spec.kind !== 'oneHot') continue;
    const encodings = (step.state as { encodings?: { column: string; categories: string[] }[] }).encodings ?? [];
    for (const { column, categories } of encodings) {
      for (const category of categories) sourceOf.set(encodedName(column, category), column);
    }
  }
  const groups = new Map<string, number[]>();
  features.forEach((feature, j) => {
    const column = sourceOf.get(feature) ?? feature;
    const members = groups.get(column);
    if (members) members.push(j);
    else groups.set(column, [j]);
  });
  return [...groups].map(([column, members]) => ({ column, features: members }));
}

/** Each feature's group index. */
export function groupOfFeature(groups: readonly ColumnGroup[], featureCount: number): Int32Array {
  const owner = new Int32Array(featureCount).fill(-1);
  groups.forEach((group, g) => group.features.forEach((j) => (owner[j] = g)));
  return owner;
}
