import { z } from 'zod';
import { LIMITS } from '../../models/limits';
import { type Ctx, finite, listOf, nameList, nameText, passOn, plural, problem, uniqueNames, valueText, whole } from './model-file-parts';
import { pcaJson, selectKBestJson } from './model-file-estimators';

/**
 * The schema of a model's fitted preprocessing. Each step's state is checked by the schema of its
 * kind; then the columns are followed through the steps, as applyPreprocessing will, to make sure
 * the steps really make the output columns the model reads.
 */

type ColumnType = 'number' | 'category';

const columnType = z.enum(['number', 'category']);
const columnInfo = z.object({ name: nameText, type: columnType });

const STEPS = {
  selectColumns: {
    spec: z.object({ kind: z.literal('selectColumns'), features: nameList, target: nameText.nullable() }),
    state: z.object({ features: nameList, target: nameText.nullable() }),
  },
  cleanMissing: {
    spec: z.object({
      kind: z.literal('cleanMissing'),
      strategy: z.enum(['dropRows', 'mean', 'median', 'mode', 'constant']),
      columns: nameList,
      fillValue: valueText,
    }),
    state: z.object({ dropWhenMissing: nameList, fills: listOf(z.object({ column: nameText, value: z.union([finite, valueText]) })) }),
  },
  oneHot: {
    spec: z.object({ kind: z.literal('oneHot'), columns: nameList, dropFirst: z.boolean() }),
    state: z.object({ encodings: listOf(z.object({ column: nameText, categories: listOf(valueText), dropFirst: z.boolean() })) }),
  },
  normalize: {
    spec: z.object({ kind: z.literal('normalize'), method: z.enum(['zscore', 'minmax']), columns: nameList }),
    state: z.object({
      columns: listOf(z.object({ name: nameText, offset: finite, scale: finite.refine((s) => s !== 0, { message: 'is 0; values are divided by it.', abort: true }) })),
    }),
  },
  pca: {
    spec: z.object({ kind: z.literal('pca'), components: whole.min(1), columns: nameList }),
    state: z.object({ columns: nameList, pca: pcaJson }).superRefine((state, ctx) => {
      const p = state.pca.featureNames.length;
      if (state.columns.length !== p) problem(ctx, ['columns'], `has ${plural(state.columns.length, 'name')} but the PCA reads ${p}.`);
    }),
  },
  selectBest: {
    spec: z.object({ kind: z.literal('selectBest'), k: whole.min(1), score: z.enum(['auto', 'anova', 'mutualInfo', 'fRegression']) }),
    state: z.object({ candidates: nameList, selector: selectKBestJson }).superRefine((state, ctx) => {
      const names = state.selector.featureNames;
      if (names.length !== state.candidates.length || names.some((name, j) => name !== state.candidates[j])) {
        problem(ctx, ['selector', 'featureNames'], 'differs from "candidates", the columns the selection chose from.');
      }
    }),
  },
} as const;

type StepKind = keyof typeof STEPS;
type StateOf<K extends StepKind> = z.output<(typeof STEPS)[K]['state']>;

const stepSpec = z.discriminatedUnion('kind', [
  STEPS.selectColumns.spec,
  STEPS.cleanMissing.spec,
  STEPS.oneHot.spec,
  STEPS.normalize.spec,
  STEPS.pca.spec,
  STEPS.selectBest.spec,
]);

// The state's schema depends on the spec's kind, one level up, which a discriminated union cannot express.
const step = z.object({ spec: stepSpec, state: z.unknown() }).superRefine((value, ctx) => {
  const result = STEPS[value.spec.kind].state.safeParse(value.state);
  if (!result.success) passOn(ctx, ['state'], result.error.issues);
});

/**
 * Column names and types after each step, in order, as applyStep makes them. Most steps skip a column
 * they do not find; PCA cannot, so a PCA whose columns an earlier step removed would fail on every row.
 */
function followColumns(ctx: Ctx, steps: { spec: { kind: StepKind }; state: unknown }[], start: Map<string, ColumnType>): Map<string, ColumnType> | null {
  let columns = start;
  const seen = new Set(start.keys());
  const setColumns = (entries: [string, ColumnType][]) => {
    columns = new Map(entries);
    for (const name of columns.keys()) seen.add(name);
  };
  const replace = (make: (name: string, type: ColumnType) => [string, ColumnType][]) =>
    setColumns([...columns].flatMap(([name, type]) => make(name, type)));
  for (let i = 0; i < steps.length; i++) {
    const { spec, state } = steps[i];
    if (spec.kind === 'selectColumns') {
      const { features, target } = state as StateOf<'selectColumns'>;
      const keep = new Set(target === null ? features : [...features, target]);
      replace((name, type) => (keep.has(name) ? [[name, type]] : []));
    } else if (spec.kind === 'oneHot') {
      const encodings = new Map((state as StateOf<'oneHot'>).encodings.map((e) => [e.column, e]));
      replace((name, type) => {
        const encoding = encodings.get(name);
        if (!encoding) return [[name, type]];
        const kept = encoding.dropFirst ? encoding.categories.slice(1) : encoding.categories;
        return kept.map((category) => [`${name}=${category}`, 'number']);
      });
    } else if (spec.kind === 'pca') {
      const { columns: inputs, pca } = state as StateOf<'pca'>;
      const refuse = (j: number, why: string) => {
        problem(ctx, ['steps', i, 'state', 'columns', j], `is "${inputs[j]}", ${why}.`);
        return null;
      };
      const gone = inputs.findIndex((name) => !columns.has(name) && seen.has(name));
      if (gone >= 0) return refuse(gone, 'which an earlier step has already removed');
      // Columns the model never needed are not in "inputColumns"; new rows may still bring them.
      if (!inputs.every((name) => columns.has(name))) continue;
      const text = inputs.findIndex((name) => columns.get(name) !== 'number');
      if (text >= 0) return refuse(text, 'a text column at this step; PCA reads numbers');
      const read = new Set(inputs);
      const entries = [...columns];
      const at = entries.findIndex(([name]) => read.has(name));
      const kept = entries.filter(([name]) => !read.has(name));
      kept.splice(at, 0, ...pca.components.map((_, c): [string, ColumnType] => [`PC${c + 1}`, 'number']));
      setColumns(kept);
    } else if (spec.kind === 'selectBest') {
      const { candidates, selector } = state as StateOf<'selectBest'>;
      const dropped = new Set(candidates.filter((_, j) => !selector.kept[j]));
      replace((name, type) => (dropped.has(name) ? [] : [[name, type]]));
    }
  }
  return columns;
}

export const preprocessingJson = z
  .object({
    // Each step comes from one node of a pipeline; this also bounds the work of following the columns through them.
    steps: listOf(step, LIMITS.graph.nodes),
    inputColumns: listOf(columnInfo),
    target: nameText.nullable(),
    outputColumns: listOf(columnInfo),
  })
  .superRefine((fitted, ctx) => {
    uniqueNames(ctx, ['inputColumns'], fitted.inputColumns.map((c) => c.name), 'column');
    uniqueNames(ctx, ['outputColumns'], fitted.outputColumns.map((c) => c.name), 'column');
    // New rows come without the target, as when scoring.
    const start = new Map(fitted.inputColumns.filter((c) => c.name !== fitted.target).map((c): [string, ColumnType] => [c.name, c.type]));
    const made = followColumns(ctx, fitted.steps as { spec: { kind: StepKind }; state: unknown }[], start);
    if (!made) return;
    for (let j = 0; j < fitted.outputColumns.length; j++) {
      const { name, type } = fitted.outputColumns[j];
      if (name === fitted.target) continue;
      const madeType = made.get(name);
      if (madeType === undefined) return problem(ctx, ['outputColumns', j, 'name'], `is "${name}", which the steps do not make from "inputColumns".`);
      if (madeType !== type) return problem(ctx, ['outputColumns', j, 'type'], `is "${type}" but the steps make "${name}" a ${madeType} column.`);
    }
  });
