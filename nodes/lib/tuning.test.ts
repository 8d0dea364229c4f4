import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import os from 'node:os';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import type { Db } from '../../db/client';
import { getRun } from '../../db/runs';
import { takeRows, type Frame } from '../../models/frame';
import { LIMITS } from '../../models/limits';
import { gridValues, parameterGrid, sampleCandidates } from '../../models/search/parameter-space';
import { seededRandom } from '../../models/split';
import { InProcessExecutor } from '../../server/runs/in-process';
import { startRun } from '../../server/runs/service';
import { initBackend } from '../../server/tf-backend';
import { modelDecisionTree } from '../model-decision-tree';
import { modelLinearRegression } from '../model-linear-regression';
import { modelLogisticRegression } from '../model-logistic-regression';
import { modelSvm } from '../model-svm';
import { modelCnn, searchNetwork } from '../model-cnn';
import type { ModelPreview, TuningLeaderboard, TuningPreview } from '../preview';
import { customerRows, graph, run, uploadCsv, useTempDataDir } from '../test-harness';
import type { ImageSetValue, ModelValue } from '../values';
import type { Fold } from './cross-validate';
import { searchSpaceOf, type SearchSettings } from './search-settings';
import type { TrainableModel } from './training';
import { planSearch, searchTableModel } from './tuning';
import { TABLE_MODEL_FILES } from './tuning-thread';
import { networkThreads, tuningThreads } from './tuning-threads';
import { tableModelNodes } from '../model-nodes';

// Reference: scripts/sklearn-search-reference.py (GridSearchCV on the same folds, scikit-learn 1.2.1).
interface ReferenceSearch {
  params: Record<string, number>[];
  mean: number[];
  std: number[];
  bestIndex: number;
  bestParams: Record<string, number>;
}
const reference = JSON.parse(readFileSync(join(__dirname, 'fixtures', 'search-reference.json'), 'utf8')) as {
  X: number[][];
  y: number[];
  folds: number[];
  tree: ReferenceSearch;
  logistic: ReferenceSearch & { l2: number[] };
};

const CLASSES = ['no', 'yes'];
const referenceSplit = { target: 'answer', task: 'classification' as const, classes: CLASSES };

/** The reference table as a frame, dealt into the reference's folds. */
function referenceFolds(): Fold[] {
  const columns = reference.X[0].map((_, j) => ({ name: `x${j}`, type: 'number' as const, values: Float64Array.from(reference.X, (row) => row[j]) }));
  const frame: Frame = {
    columns: [...columns, { name: 'answer', type: 'category', values: reference.y.map((label) => CLASSES[label]) }],
    rowCount: reference.y.length,
  };
  const foldCount = Math.max(...reference.folds) + 1;
  return Array.from({ length: foldCount }, (_, fold) => {
    const rows = reference.folds.map((f, row) => ({ f, row }));
    return {
      train: takeRows(frame, rows.filter((r) => r.f !== fold).map((r) => r.row)),
      heldOut: takeRows(frame, rows.filter((r) => r.f === fold).map((r) => r.row)),
    };
  });
}

const quiet = (title: string) => ({ title, signal: new AbortController().signal, progress: () => {} });

describe('settings search against scikit-learn GridSearchCV', () => {
  beforeAll(async () => {
    await initBackend();
  });

  it('a decision tree: same candidates in the same order, same scores, same best settings', async () => {
    const params = modelDecisionTree.params.parse({ search: 'grid', searchTrials: 20 });
    const { params: applied, leaderboard } = await searchTableModel(modelDecisionTree, params, referenceSplit, referenceFolds(), quiet('Decision tree'));
    expect(leaderboard.metric).toBe('captureAt20');
    expect(leaderboard.trials.map((t) => [t.settings.maxDepth, t.settings.minSamplesLeaf])).toEqual(
      reference.tree.params.map((p) => [p.max_depth, p.min_samples_leaf]),
    );
    leaderboard.trials.forEach((trial, i) => {
      expect(trial.score).toBeCloseTo(reference.tree.mean[i], 10);
      expect(trial.std).toBeCloseTo(reference.tree.std[i], 10);
    });
    expect(leaderboard.bestTrial).toBe(reference.tree.bestIndex + 1);
    expect([applied.maxDepth, applied.minSamplesLeaf]).toEqual([reference.tree.bestParams.max_depth, reference.tree.bestParams.min_samples_leaf]);
    expect(applied.search).toBe('off');
  });

  it('a logistic regression over a log-scale strength: same scores and the same best C', async () => {
    const params = modelLogisticRegression.params.parse({ search: 'grid', searchTrials: 20 });
    const { params: applied, leaderboard } = await searchTableModel(modelLogisticRegression, params, referenceSplit, referenceFolds(), quiet('Logistic regression'));
    expect(leaderboard.trials.map((t) => t.settings.l2)).toEqual(reference.logistic.l2);
    leaderboard.trials.forEach((trial, i) => expect(trial.score).toBeCloseTo(reference.logistic.mean[i], 6));
    expect(leaderboard.bestTrial).toBe(reference.logistic.bestIndex + 1);
    expect(1 / (applied.l2 as number)).toBeCloseTo(reference.logistic.bestParams.C, 6);
  });
});

describe('tries scored in threads', () => {
  beforeAll(async () => {
    await initBackend();
  });

  /** The leaderboard without the seconds each try took, which differ run to run. */
  const timeless = (board: TuningLeaderboard) => ({ ...board, trials: board.trials.map(({ seconds: _, ...trial }) => trial) });

  it('number one fewer than the cores unless PIPELAB_TUNING_THREADS says, within the limit', () => {
    expect(tuningThreads('3')).toBe(3);
    expect(tuningThreads('1')).toBe(1);
    expect(tuningThreads('500')).toBe(LIMITS.tuning.threads);
    expect(tuningThreads(undefined)).toBe(Math.min(Math.max(os.availableParallelism() - 1, 1), LIMITS.tuning.threads));
    const complaints: unknown[] = [];
    const spy = vi.spyOn(console, 'error').mockImplementation((line) => void complaints.push(line));
    expect([tuningThreads('0'), tuningThreads('two')]).toEqual([1, 1]);
    spy.mockRestore();
    expect(complaints).toEqual([expect.stringMatching(/^PIPELAB_TUNING_THREADS="0" is not a whole number/), expect.stringMatching(/"two"/)]);
  });

  it('load each table model in a thread by its own file', async () => {
    expect(Object.keys(TABLE_MODEL_FILES).sort()).toEqual(tableModelNodes.map((node) => node.type).sort());
    for (const node of tableModelNodes) expect(await TABLE_MODEL_FILES[node.type]()).toBe(node);
  });

  it('give the leaderboard and pick of trying them in turn, to the last bit, tree, logistic regression and SVM alike', async () => {
    for (const node of [modelDecisionTree, modelLogisticRegression, modelSvm] as TrainableModel[]) {
      const params = node.params.parse({ search: 'grid', searchTrials: node === modelSvm ? 4 : 20 }) as SearchSettings;
      const inTurn = await searchTableModel(node, params, referenceSplit, referenceFolds(), quiet(node.title), { threads: 1 });
      const live: TuningPreview[] = [];
      const inThreads = await searchTableModel(node, params, referenceSplit, referenceFolds(), collecting(node.title, live), { threads: 3 });
      expect(inTurn.threads).toBe(0);
      // Threads still starting when the others have scored every try are not waited for.
      expect(inThreads.threads).toBeGreaterThanOrEqual(1);
      expect(timeless(inThreads.leaderboard)).toEqual(timeless(inTurn.leaderboard));
      inThreads.leaderboard.trials.forEach((trial, i) => expect(Object.is(trial.score, inTurn.leaderboard.trials[i].score)).toBe(true));
      expect(inThreads.params).toEqual(inTurn.params);
      // A live leaderboard after every finished try, each in planned order, growing by one.
      expect(live.map((preview) => preview.tuning.trials.length)).toEqual(inTurn.leaderboard.trials.map((_, i) => i + 1));
      for (const preview of live) expect(preview.tuning.trials.map((t) => t.trial)).toEqual([...preview.tuning.trials.map((t) => t.trial)].sort((a, b) => a - b));
    }
  }, 180_000);

  it('list a try that throws with its reason, the others scored as in turn', async () => {
    // Twelve inputs: degree 3 expands them past what the linear regression fits, degrees 1 and 2 do not.
    const frame = regressionFrame(400, 12);
    const split = { target: 'y', task: 'regression' as const, classes: [] };
    const folds = kFolds(frame, 3);
    const params = modelLinearRegression.params.parse({ search: 'grid', searchTrials: 18 }) as SearchSettings;
    const inTurn = await searchTableModel(modelLinearRegression, params, split, folds, quiet('Linear regression'), { threads: 1 });
    const inThreads = await searchTableModel(modelLinearRegression, params, split, folds, quiet('Linear regression'), { threads: 2 });
    expect(inThreads.threads).toBeGreaterThanOrEqual(1);
    expect(timeless(inThreads.leaderboard)).toEqual(timeless(inTurn.leaderboard));
    const failed = inThreads.leaderboard.trials.filter((trial) => trial.error);
    expect(failed.map((trial) => trial.settings.degree)).toEqual([3, 3, 3, 3, 3, 3]);
    expect(failed[0].error).toMatch(/^Degree 3 turns 12 features into 454 columns, more than the 400 this model can fit/);
    expect(inThreads.leaderboard.trials.filter((trial) => trial.score !== null)).toHaveLength(12);
  });

  it('stop at once when cancelled, keeping the tries finished', async () => {
    const frame = regressionFrame(20_000, 12);
    const folds = kFolds(frame, 5);
    const controller = new AbortController();
    const live: TuningPreview[] = [];
    const ctx = {
      title: 'Linear regression',
      signal: controller.signal,
      progress: (_fraction: number, _message: string, preview?: TuningPreview) => {
        if (!preview) return;
        live.push(preview);
        if (live.length === 2) controller.abort();
      },
    };
    const params = modelLinearRegression.params.parse({ search: 'grid', searchTrials: 18 }) as SearchSettings;
    const started = performance.now();
    await expect(searchTableModel(modelLinearRegression, params, { target: 'y', task: 'regression', classes: [] }, folds, ctx, { threads: 2 })).rejects.toThrow('Cancelled');
    expect(performance.now() - started).toBeLessThan(60_000);
    expect(live).toHaveLength(2);
    expect(live[1].tuning.trials).toHaveLength(2);
    expect(live[1].tuning.trials.every((trial) => trial.score !== null)).toBe(true);
  });

  it('fail a try whose thread runs out of memory with that reason, not the search', async () => {
    const params = modelDecisionTree.params.parse({ search: 'grid', searchTrials: 6 }) as SearchSettings;
    const { leaderboard, threads } = await searchTableModel(modelDecisionTree, params, referenceSplit, referenceFolds(), quiet('Decision tree'), {
      threads: 2,
      heapMb: 256,
      threadEntry: join(__dirname, 'fixtures', 'tuning-thread-out-of-memory.mjs'),
    });
    // The thread that died is replaced by a fresh one, which scores the tries left.
    expect(threads).toBeGreaterThanOrEqual(2);
    expect(leaderboard.trials.map((trial) => trial.error ?? null)).toEqual([
      null,
      null,
      expect.stringMatching(/^It needed more than 256 MB of memory, the most one search thread may use/),
      null,
      null,
      null,
    ]);
    expect(leaderboard.bestTrial).not.toBeNull();
  }, 180_000);
});

describe("a convolutional network's tries in threads", () => {
  beforeAll(async () => {
    await initBackend();
  });

  const timeless = (board: TuningLeaderboard) => ({ ...board, trials: board.trials.map(({ seconds: _, ...trial }) => trial) });
  const photos = barPhotos(36, 8);
  // Tiny and short, so that four tries of three folds train in seconds; augmented, so the draws that change each batch are compared too.
  const params = modelCnn.params.parse({ convBlocks: 1, denseUnits: 8, epochs: 2, batchSize: 8, patience: 0, validationFraction: 0, search: 'grid', searchTrials: 4, searchFolds: 3 });

  it('give the leaderboard and pick of training them in turn, to the last bit, with a live leaderboard after each try', async () => {
    const inTurn = await searchNetwork(params, photos, photos.classes, quiet('Convolutional network'), { threads: 1 });
    const live: TuningPreview[] = [];
    const inThreads = await searchNetwork(params, photos, photos.classes, collecting('Convolutional network', live), { threads: 2 });
    expect(inTurn.threads).toBe(0);
    expect(inThreads.threads).toBeGreaterThanOrEqual(1);
    // The tries differ, so the comparison says something about each.
    expect(new Set(inTurn.leaderboard.trials.map((trial) => trial.score)).size).toBeGreaterThan(1);
    expect(timeless(inThreads.leaderboard)).toEqual(timeless(inTurn.leaderboard));
    inThreads.leaderboard.trials.forEach((trial, i) => expect(Object.is(trial.std, inTurn.leaderboard.trials[i].std)).toBe(true));
    expect(inThreads.best).toEqual(inTurn.best);
    expect(live.map((preview) => preview.tuning.trials.length)).toEqual([1, 2, 3, 4]);
  }, 180_000);

  it('list each failed try with its plain reason, and a thread that runs out of memory fails only its try', async () => {
    const tooSmall = modelCnn.params.parse({ ...params, convBlocks: 4 });
    await expect(searchNetwork(tooSmall, photos, photos.classes, quiet('Convolutional network'), { threads: 2 })).rejects.toThrow(
      /None of the 4 settings tried could be trained, so there is no best to apply\. Images of 8×8 pixels are too small for 4 convolution blocks; use fewer blocks or a larger image size\. \(4 of 4 tries\)/,
    );
    const inTurn = await searchNetwork(params, photos, photos.classes, quiet('Convolutional network'), { threads: 1 });
    const { leaderboard, threads } = await searchNetwork(params, photos, photos.classes, quiet('Convolutional network'), {
      threads: 2,
      heapMb: 256,
      threadEntry: join(__dirname, 'fixtures', 'tuning-thread-out-of-memory.mjs'),
    });
    expect(threads).toBeGreaterThanOrEqual(2);
    expect(leaderboard.trials.map((trial) => trial.error ?? trial.score)).toEqual([
      inTurn.leaderboard.trials[0].score,
      inTurn.leaderboard.trials[1].score,
      expect.stringMatching(/^It needed more than 256 MB of memory, the most one search thread may use/),
      inTurn.leaderboard.trials[3].score,
    ]);
  }, 180_000);

  it('stop at once when cancelled, keeping the tries finished', async () => {
    const controller = new AbortController();
    const live: TuningPreview[] = [];
    const ctx = {
      title: 'Convolutional network',
      signal: controller.signal,
      progress: (_fraction: number, _message: string, preview?: TuningPreview) => {
        if (!preview) return;
        live.push(preview);
        controller.abort();
      },
    };
    await expect(searchNetwork(params, photos, photos.classes, ctx, { threads: 2 })).rejects.toThrow('Cancelled');
    expect(live).toHaveLength(1);
    expect(live[0].tuning.trials).toHaveLength(1);
    expect(live[0].tuning.trials[0].score).not.toBeNull();
  }, 180_000);

  it('start fewer threads when the photos are large, down to none', () => {
    const block = (count: number) => ({ count, height: 64, width: 64, channels: 3 as const, data: new Float32Array(0) });
    const ofBytes = (bytes: number) => ({ ...block(0), data: { byteLength: bytes } as Float32Array });
    expect(networkThreads(block(100), 3)).toBe(3);
    const { networkThreadsMb, networkThreadBaseMb } = LIMITS.tuning;
    // Twice the pixels' bytes and the thread's own share, per thread.
    const twoFit = ((networkThreadsMb / 2 - networkThreadBaseMb) / 2) * 1024 * 1024;
    expect(networkThreads(ofBytes(twoFit), 8)).toBe(2);
    expect(networkThreads(ofBytes(twoFit + 1), 8)).toBe(1);
    expect(networkThreads(ofBytes(4 * twoFit), 8)).toBe(1);
  });
});

/** Grayscale photos of a bright horizontal or vertical bar on a noisy background, half of each. */
function barPhotos(count: number, size: number): ImageSetValue {
  const random = seededRandom(11);
  const data = new Float32Array(count * size * size);
  const items = Array.from({ length: count }, (_, i) => {
    const label = i % 2 === 0 ? 'horizontal' : 'vertical';
    const image = data.subarray(i * size * size, (i + 1) * size * size);
    for (let p = 0; p < image.length; p++) image[p] = random() * 0.4;
    const line = Math.floor(random() * size);
    for (let k = 0; k < size; k++) image[label === 'horizontal' ? line * size + k : k * size + line] = 0.6 + random() * 0.4;
    return { name: `${label}/${i}.png`, label, bytes: new Uint8Array(0) };
  });
  return {
    items,
    classes: ['horizontal', 'vertical'],
    pixels: { count, height: size, width: size, channels: 1, data },
    mixed: null,
    preparation: { size, color: 'grayscale', scale: true, denoise: 'none' },
    augmentation: { flip: true, rotation: 10, shift: 0.1, brightness: 0.1 },
    origin: 'bars',
  };
}

/** `rows` rows of `inputs` random numbers and a noisy linear target "y". */
function regressionFrame(rows: number, inputs: number): Frame {
  const random = seededRandom(5);
  const columns = Array.from({ length: inputs }, (_, j) => ({ name: `x${j}`, type: 'number' as const, values: Float64Array.from({ length: rows }, () => random()) }));
  const y = Float64Array.from({ length: rows }, (_, i) => columns.reduce((sum, column, j) => sum + (j + 1) * column.values[i], 0) + random());
  return { columns: [...columns, { name: 'y', type: 'number', values: y }], rowCount: rows };
}

/** The same with a yes/no answer "y" ("a" or "b") that the inputs only partly decide. */
function classificationFrame(rows: number, inputs: number): Frame {
  const numbers = regressionFrame(rows, inputs);
  const y = numbers.columns.at(-1)!.values as Float64Array;
  const random = seededRandom(9);
  const middle = [...y].sort((a, b) => a - b)[rows >> 1];
  const labels = Array.from(y, (value) => (value + random() * 20 > middle + 10 ? 'b' : 'a'));
  return { columns: [...numbers.columns.slice(0, -1), { name: 'y', type: 'category', values: labels }], rowCount: rows };
}

function kFolds(frame: Frame, count: number): Fold[] {
  return Array.from({ length: count }, (_, fold) => ({
    train: takeRows(frame, Array.from({ length: frame.rowCount }, (_, row) => row).filter((row) => row % count !== fold)),
    heldOut: takeRows(frame, Array.from({ length: frame.rowCount }, (_, row) => row).filter((row) => row % count === fold)),
  }));
}

const collecting = (title: string, live: TuningPreview[]) => ({
  title,
  signal: new AbortController().signal,
  progress: (_fraction: number, _message: string, preview?: TuningPreview) => void (preview && live.push(preview)),
});

describe('search spaces and plans', () => {
  it('derives candidates from the settings definitions unless the node declares them', () => {
    const declared = searchSpaceOf(modelDecisionTree.params, modelDecisionTree.training.search);
    expect(Object.keys(declared.space)).toEqual(['maxDepth', 'minSamplesLeaf']);
    expect(declared.settingLabels).toEqual({ maxDepth: 'depth', minSamplesLeaf: 'leaf size' });
    const derived = searchSpaceOf(modelDecisionTree.params);
    // Named choices come from the schema; the search options themselves are never searched.
    expect(derived.space.criterion).toEqual({ kind: 'values', values: ['gini', 'entropy'] });
    expect(derived.valueLabels.criterion).toEqual({ gini: 'Gini', entropy: 'entropy' });
    expect(derived.space.maxDepth).toMatchObject({ kind: 'range', min: 0, max: 50, integer: true });
    expect(derived.space.search).toBeUndefined();
    expect(gridValues({ kind: 'range', min: 0.001, max: 100, scale: 'log', integer: false, steps: 6 })).toEqual([0.001, 0.01, 0.1, 1, 10, 100]);
  });

  it('spreads a grid larger than the budget, and draws the same random settings every time', () => {
    const space = searchSpaceOf(modelDecisionTree.params, modelDecisionTree.training.search);
    const spread = planSearch(space, { search: 'grid', searchTrials: 5, searchFolds: 3 });
    expect(spread.candidates).toHaveLength(5);
    expect(spread.notes[0]).toMatch(/holds 20 combinations; 5 spread over it/);
    const random = planSearch(space, { search: 'random', searchTrials: 6, searchFolds: 3 });
    expect(random.candidates).toEqual(planSearch(space, { search: 'random', searchTrials: 6, searchFolds: 3 }).candidates);
    expect(new Set(random.candidates.map((c) => JSON.stringify(c))).size).toBe(6);
    const logRange = { C: { kind: 'range' as const, min: 0.01, max: 100, scale: 'log' as const, integer: false, steps: 5 } };
    const drawn = sampleCandidates(logRange, 200, 7).map((c) => c.C as number);
    expect(Math.min(...drawn)).toBeGreaterThanOrEqual(0.01);
    expect(Math.max(...drawn)).toBeLessThanOrEqual(100);
    // Log-uniform: about half the draws below 1 (the middle of 0.01 … 100 on a log scale).
    expect(drawn.filter((c) => c < 1).length).toBeGreaterThan(70);
    expect(parameterGrid({ b: { kind: 'values', values: [1, 2] }, a: { kind: 'values', values: ['x', 'y'] } })).toEqual([
      { a: 'x', b: 1 },
      { a: 'x', b: 2 },
      { a: 'y', b: 1 },
      { a: 'y', b: 2 },
    ]);
  });
});

describe('a model node searching its settings in a pipeline', () => {
  let db: Db;
  let customers: string;
  let gappy: string;

  beforeAll(async () => {
    db = await useTempDataDir();
    customers = await uploadCsv(db, 'customers.csv', customerRows(300));
    const rows = customerRows(120);
    // Empty spend on a few rows, and no "Clean missing values" step: no tree can be trained.
    gappy = await uploadCsv(db, 'gappy.csv', rows.map((line, i) => (i > 0 && i % 10 === 0 ? line.replace(/^[^,]*/, '') : line)));
  });

  const pipeline = (dataset: string, model: [string, Record<string, unknown>]) =>
    graph(
      {
        data: ['data.csv', { dataset, target: 'bought' }],
        encode: ['prep.oneHot'],
        split: ['prep.split', { testFraction: 0.25, seed: 3 }],
        model,
      },
      ['data.table -> encode.table', 'encode.table -> split.table', 'split.split -> model.data'],
    );

  it('shows the leaderboard with the best marked, says which settings it applied and trains with them', async () => {
    const result = await run(pipeline(customers, ['model.decisionTree', { search: 'grid', searchTrials: 6, searchFolds: 3 }]));
    expect(result.status).toBe('succeeded');
    const model = result.results.get('model')!;
    const preview = model.preview as ModelPreview;
    const board = preview.tuning!;
    expect(board.trials).toHaveLength(6);
    expect(board.folds).toBe(3);
    const best = board.trials[board.bestTrial! - 1];
    for (const trial of board.trials) if (trial.score !== null) expect(trial.score).toBeLessThanOrEqual(best.score!);
    expect(preview.summary[1]).toMatch(/^Best settings applied: depth \d+, leaf size \d+ \(try \d of 6, Found in the top 20% [\d.]+% ± [\d.]+% over 3 folds\)\.$/);
    const trained = model.outputs.model as ModelValue;
    expect(trained.params).toMatchObject({ maxDepth: best.settings.maxDepth, minSamplesLeaf: best.settings.minSamplesLeaf, search: 'off' });
    expect((trained.estimator as { params: { maxDepth: number | null } }).params.maxDepth).toBe(best.settings.maxDepth || null);
  });

  it('fails with the reason when every try fails', async () => {
    const result = await run(pipeline(gappy, ['model.decisionTree', { search: 'random', searchTrials: 4, searchFolds: 3 }]));
    expect(result.status).toBe('failed');
    expect(result.error).toMatch(/None of the 4 settings tried could be trained, so there is no best to apply\. Column "spend" has missing values .* \(4 of 4 tries\)/);
  });

  it('keeps the tries it finished when the run is cancelled', async () => {
    const executor = new InProcessExecutor();
    const g = pipeline(customers, ['model.svm', { search: 'random', searchTrials: 40, searchFolds: 2 }]);
    const { runId, done } = await startRun(db, executor, { graph: g, pipelineId: null, label: 'stop', origin: 'ui', workspaceId: null, startedBy: null });
    const started = Date.now();
    const triesSoFar = async () => ((await getRun(db, runId))!.nodes.model.preview as TuningPreview | null)?.tuning?.trials.length ?? 0;
    while ((await triesSoFar()) < 2) {
      if (Date.now() - started > 60_000) throw new Error('no two tries finished within a minute');
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    executor.cancel(runId);
    expect((await done).status).toBe('cancelled');
    const record = (await getRun(db, runId))!;
    expect(record.nodes.model.status).toBe('cancelled');
    const kept = record.nodes.model.preview as TuningPreview;
    expect(kept.kind).toBe('tuning');
    expect(kept.tuning.trials.length).toBeGreaterThanOrEqual(2);
    expect(kept.tuning.trials.length).toBeLessThan(40);
    expect(kept.tuning.trials.every((trial) => trial.score !== null)).toBe(true);
  });
});

describe('a convolutional network searching its settings', () => {
  beforeAll(async () => {
    await useTempDataDir();
  });

  it('scores each try on folds of the training photos and trains with the best', async () => {
    const result = await run(
      graph(
        {
          photos: ['data.images', { source: 'sample' }],
          prepare: ['prep.image', { size: 8 }],
          split: ['prep.split', { testFraction: 0.2, seed: 1 }],
          cnn: ['model.cnn', { convBlocks: 1, denseUnits: 0, epochs: 1, validationFraction: 0, search: 'grid', searchTrials: 2, searchFolds: 2 }],
        },
        ['photos.images -> prepare.images', 'prepare.images -> split.table', 'split.split -> cnn.data'],
      ),
    );
    expect(result.status).toBe('succeeded');
    const preview = result.results.get('cnn')!.preview as ModelPreview;
    const board = preview.tuning!;
    expect(board.trials).toHaveLength(2);
    expect(board.notes[0]).toMatch(/holds 18 combinations; 2 spread over it/);
    expect(board.trials.every((trial) => trial.score !== null && trial.score >= 0 && trial.score <= 1)).toBe(true);
    expect(preview.summary[0]).toMatch(/^Best settings applied: learning rate [\d.]+, filters (8|16|32), dropout 0\.(25|5) /);
    const best = board.trials[board.bestTrial! - 1].settings;
    expect((result.results.get('cnn')!.outputs.model as ModelValue).params).toMatchObject({ ...best, search: 'off' });
  });
});
