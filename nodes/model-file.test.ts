import fc from 'fast-check';
import { it as propertyIt } from '@fast-check/vitest';
import { beforeAll, describe, expect, it } from 'vitest';
import { ConvNet, type ConvNetJSON } from '../models/cnn/cnn';
import type { Frame, Matrix } from '../models/frame';
import { applyPreprocessing } from '../models/preprocessing/preprocessing';
import { storedArtifacts } from '../server/datasets';
import { readModelFile } from './data-model';
import { NodeInputError } from './define';
import { featureMatrix } from './lib/model-data';
import { predictColumns } from './lib/score-rows';
import { restoreEstimator } from '../models/estimators';
import type { ModelPreview } from './preview';
import { customerRows, graph, run, uploadCsv, useTempDataDir } from './test-harness';
import type { ModelValue } from './values';

/** Real model files, one per model type and feature step, trained the way a pipeline trains them. */
const files = new Map<string, string>();
const MODEL_IDS = ['logistic', 'tree', 'svm', 'logistic3', 'svm3', 'linear', 'curved', 'regressionTree', 'cnn', 'flatCnn', 'onEmbeddings', 'onHog', 'onHistogram'];

async function trainAndDownload(nodes: Parameters<typeof graph>[0], wires: string[], models: string[]): Promise<void> {
  const outcome = await run(graph(nodes, wires));
  expect(outcome.error).toBeNull();
  for (const id of models) {
    const download = (outcome.results.get(id)!.preview as ModelPreview).download!;
    files.set(id, new TextDecoder().decode(storedArtifacts.read(download.hash)));
  }
}

/** Customers with a few empty cells, so the cleaning step learns fill values. */
function customersWithGaps(count: number): string[] {
  return customerRows(count).map((line, i) => (i > 0 && i % 17 === 0 ? line.replace(/^[^,]*/, '') : line));
}

beforeAll(async () => {
  const db = await useTempDataDir();
  const customers = await uploadCsv(db, 'customers.csv', customersWithGaps(300));
  type Step = [string, Record<string, unknown>];
  const table = (target: string, strategy: string, method: string): Record<string, Step> => ({
    data: ['data.csv', { dataset: customers, target }],
    clean: ['prep.cleanMissing', { strategy }],
    encode: ['prep.oneHot', { dropFirst: target === 'bought' }],
    scale: ['prep.normalize', { method }],
    split: ['prep.split', { testFraction: 0.25, seed: 3 }],
  });
  const tableWires = ['data.table -> clean.table', 'clean.table -> encode.table', 'encode.table -> scale.table', 'scale.table -> split.table'];
  await trainAndDownload(
    { ...table('bought', 'mean', 'zscore'), logistic: ['model.logisticRegression'], tree: ['model.decisionTree', { maxDepth: 4 }], svm: ['model.svm'] },
    [...tableWires, 'split.split -> logistic.data', 'split.split -> tree.data', 'split.split -> svm.data'],
    ['logistic', 'tree', 'svm'],
  );
  await trainAndDownload(
    { ...table('region', 'dropRows', 'minmax'), logistic3: ['model.logisticRegression'], svm3: ['model.svm', { kernel: 'linear' }] },
    [...tableWires, 'split.split -> logistic3.data', 'split.split -> svm3.data'],
    ['logistic3', 'svm3'],
  );
  await trainAndDownload(
    {
      data: ['data.sample', { sample: 'advertising' }],
      columns: ['prep.selectColumns', { features: ['TV', 'Radio', 'Newspaper'] }],
      best: ['features.select', { k: 2 }],
      pca: ['features.pca', { components: 2 }],
      split: ['prep.split', { seed: 42 }],
      linear: ['model.linearRegression'],
      curved: ['model.linearRegression', { degree: 3, l2: 0.1 }],
      regressionTree: ['model.decisionTree', { maxDepth: 5 }],
    },
    ['data.table -> columns.table', 'columns.table -> best.table', 'best.table -> pca.table', 'pca.table -> split.table', 'split.split -> linear.data', 'split.split -> curved.data', 'split.split -> regressionTree.data'],
    ['linear', 'curved', 'regressionTree'],
  );
  await trainAndDownload(
    {
      photos: ['data.images', { source: 'sample' }],
      prepare: ['prep.image', { size: 12 }],
      split: ['prep.split', { testFraction: 0.2, seed: 1 }],
      cnn: ['model.cnn', { convBlocks: 2, filters: 4, denseUnits: 8, epochs: 1, patience: 0 }],
      flatCnn: ['model.cnn', { convBlocks: 1, filters: 4, denseUnits: 0, head: 'globalAverage', epochs: 1, patience: 0 }],
      embed: ['features.image', { method: 'cnn', pcaComponents: 4 }],
      onEmbeddings: ['model.decisionTree', { maxDepth: 4 }],
      hog: ['features.image', { method: 'hog', cellSize: 4, pcaComponents: 10 }],
      onHog: ['model.logisticRegression'],
      histogram: ['features.image', { method: 'histogram', bins: 8 }],
      onHistogram: ['model.svm', { maxTrainRows: 200 }],
    },
    [
      'photos.images -> prepare.images',
      'prepare.images -> split.table',
      'split.split -> cnn.data',
      'split.split -> flatCnn.data',
      'split.split -> embed.data',
      'cnn.model -> embed.network',
      'embed.split -> onEmbeddings.data',
      'split.split -> hog.data',
      'hog.split -> onHog.data',
      'split.split -> histogram.data',
      'histogram.split -> onHistogram.data',
    ],
    ['cnn', 'flatCnn', 'onEmbeddings', 'onHog', 'onHistogram'],
  );
}, 300_000);

const bytesOf = (text: string) => new TextEncoder().encode(text);

const newCustomers: Frame = {
  rowCount: 2,
  columns: [
    { name: 'spend', type: 'number', values: Float64Array.of(80, Number.NaN) },
    { name: 'visits', type: 'number', values: Float64Array.of(12, 1) },
    { name: 'region', type: 'category', values: ['north', 'east'] },
  ],
};

/** A made-up row of the raw columns the preprocessing reads (unseen categories included). */
function rawRow(model: ModelValue): Frame {
  const inputs = model.preprocessing.inputColumns.filter((c) => c.name !== model.target);
  return {
    rowCount: 1,
    columns: inputs.map(({ name, type }) => (type === 'number' ? { name, type, values: Float64Array.of(1) } : { name, type, values: ['a'] })),
  };
}

/**
 * The input a model's estimator reads: pixels for a network, features for image-feature models, else
 * prepared raw rows, step by step as predictColumns prepares them (predictColumns itself also asks a
 * regression tree for probabilities, which the tree refuses).
 */
function estimatorInput(model: ModelValue): Matrix {
  const shape = (model.estimator as { inputShape?: number[] }).inputShape;
  if (shape || model.imageFeatures) {
    const cols = shape ? shape[0] * shape[1] * shape[2] : model.features.length;
    return { data: new Float64Array(cols).fill(0.5), rows: 1, cols };
  }
  return featureMatrix(applyPreprocessing(model.preprocessing, rawRow(model), { hasTarget: false }), model.features);
}

/** What a model read from a file must be able to do: predict a row (and its class probabilities) without throwing. */
function expectUsable(model: ModelValue): void {
  const estimator = restoreEstimator(model.estimator);
  try {
    const X = estimatorInput(model);
    const [prediction] = estimator.predict(X);
    if (model.task === 'regression') return void expect(typeof prediction).toBe('number');
    expect(prediction >= 0 && prediction < model.classes.length).toBe(true);
    expect(estimator.predictProba!(X)).toHaveLength(model.classes.length);
  } finally {
    estimator.dispose?.();
  }
  const network = model.imageFeatures?.cnn as ConvNetJSON | undefined;
  if (network) {
    const embedder = ConvNet.fromJSON(network);
    const [height, width, channels] = network.inputShape;
    embedder.embed({ data: new Float32Array(height * width * channels), count: 1, height, width, channels });
    embedder.dispose();
  }
}

describe('real model files', () => {
  it('reads back every trained model type unchanged, and each one predicts', () => {
    expect([...files.keys()].sort()).toEqual([...MODEL_IDS].sort());
    for (const [id, text] of files) {
      const file = readModelFile(bytesOf(text));
      expect(file, id).toEqual(JSON.parse(text));
      expectUsable(file.model);
    }
  });

  it('scores new raw rows with a model read from its file', () => {
    for (const id of ['logistic', 'tree', 'svm']) {
      const { model } = readModelFile(bytesOf(files.get(id)!));
      const { columns } = predictColumns(model, newCustomers);
      expect(columns[0].values).toEqual(expect.arrayContaining([expect.stringMatching(/^(yes|no)$/)]));
      expect((columns[1].values as Float64Array).every((p) => p >= 0 && p <= 1)).toBe(true);
    }
  });
});

/** Either a model that predicts, or a plain refusal: never a crash, never an unchecked model. */
function expectReadOrRefused(bytes: Uint8Array): void {
  let model: ModelValue;
  try {
    model = readModelFile(bytes).model;
  } catch (error) {
    expect(error).toBeInstanceOf(NodeInputError);
    expect((error as Error).message).toMatch(/^This file is not a Pipelab model: \S/);
    return;
  }
  expectUsable(model);
}

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

// Stand-ins swapped in after JSON.stringify, which cannot write a number JSON.parse reads as Infinity, nor nest 5,000 deep.
const INFINITY = '\u0000infinity';
const DEEP = '\u0000deep';
const serialize = (json: Json) =>
  JSON.stringify(json)
    .replaceAll(JSON.stringify(INFINITY), '1e999')
    .replaceAll(JSON.stringify(DEEP), `${'['.repeat(5000)}0${']'.repeat(5000)}`);

/** Every place in a file, with long arrays thinned to their first and last items so weights do not drown the rest. */
function placesIn(json: Json, path: (string | number)[] = [], out: (string | number)[][] = []): (string | number)[][] {
  out.push(path);
  if (Array.isArray(json)) {
    const picks = json.length > 6 ? [0, 1, 2, json.length - 1] : json.keys();
    for (const i of picks) placesIn(json[i], [...path, i], out);
  } else if (json && typeof json === 'object') for (const key of Object.keys(json)) placesIn(json[key], [...path, key], out);
  return out;
}

const replacement: fc.Arbitrary<Json> = fc.oneof(
  fc.constantFrom<Json>(-1, 0, 1, 2, 0.5, 1e308, 2 ** 53, INFINITY, DEEP, '', 'x', null, true, [], {}, [1], [[1]], 'model.cnn', 'convNet', 'regression', 'classification'),
  fc.integer({ min: -3, max: 40 }),
  fc.jsonValue({ maxDepth: 2 }) as fc.Arbitrary<Json>,
);

const mutation = fc.oneof(
  fc.record({ op: fc.constant('set' as const), at: fc.nat(), value: replacement }),
  fc.record({ op: fc.constant('delete' as const), at: fc.nat() }),
  fc.record({ op: fc.constant('truncate' as const), at: fc.nat(), cut: fc.integer({ min: 1, max: 8 }) }),
  fc.record({ op: fc.constant('grow' as const), at: fc.nat(), times: fc.integer({ min: 1, max: 4 }) }),
  fc.record({ op: fc.constant('nudge' as const), at: fc.nat(), by: fc.constantFrom(-1, 1, 2, -1000, 1000, 0.5) }),
  fc.record({ op: fc.constant('nest' as const), at: fc.nat(), levels: fc.integer({ min: 1, max: 80 }) }),
);
type Mutation = typeof mutation extends fc.Arbitrary<infer M> ? M : never;

function mutate(json: Json, change: Mutation): Json {
  const places = placesIn(json);
  const path = places[change.at % places.length];
  const parent = path.slice(0, -1).reduce<Json>((node, key) => (node as Record<string | number, Json>)[key], json) as Record<string | number, Json>;
  const key = path[path.length - 1];
  const current = path.length ? parent[key] : json;
  const put = (value: Json) => (path.length ? ((parent[key] = value), json) : value);
  switch (change.op) {
    case 'set':
      return put(change.value);
    case 'delete':
      if (!path.length) return null;
      if (Array.isArray(parent)) parent.splice(key as number, 1);
      else delete parent[key];
      return json;
    case 'truncate':
      return put(Array.isArray(current) || typeof current === 'string' ? current.slice(0, Math.max(0, current.length - change.cut)) : []);
    case 'grow':
      if (Array.isArray(current) && current.length) return put([...current, ...Array<Json>(change.times).fill(structuredClone(current[current.length - 1]))]);
      return put(typeof current === 'string' ? current.repeat(change.times + 1) : [current]);
    case 'nudge':
      if (typeof current === 'number') return put(current + change.by);
      return put(typeof current === 'string' ? `${current}x` : typeof current === 'boolean' ? !current : current);
    case 'nest': {
      let nested = current;
      for (let level = 0; level < change.levels; level++) nested = [nested];
      return put(nested);
    }
  }
}

const fuzz = {
  numRuns: Number(process.env.FUZZ_RUNS ?? 200),
  ...(process.env.FUZZ_SEED === undefined ? {} : { seed: Number(process.env.FUZZ_SEED) }),
};
const fileIds = fc.constantFrom(...MODEL_IDS);

describe('altered model files', () => {
  propertyIt.prop([fileIds, fc.array(mutation, { minLength: 1, maxLength: 3 })], fuzz)(
    'are read as working models or refused in plain words, whatever value is changed, removed or nested',
    (id, changes) => {
      const json = changes.reduce((file, change) => mutate(file, change), JSON.parse(files.get(id)!) as Json);
      expectReadOrRefused(bytesOf(serialize(json)));
    },
  );

  propertyIt.prop([fileIds, fc.nat(), fc.nat({ max: 255 }), fc.uint8Array({ maxLength: 64 })], fuzz)(
    'are read as working models or refused in plain words when cut short, changed in one byte, or random bytes',
    (id, at, byte, noise) => {
      const bytes = bytesOf(files.get(id)!);
      expectReadOrRefused(bytes.slice(0, at % bytes.length));
      const changed = bytes.slice();
      changed[at % bytes.length] = byte;
      expectReadOrRefused(changed);
      expectReadOrRefused(noise);
    },
  );
});

describe('model files built to break the reader', () => {
  type Editable = { model: { estimator: Record<string, unknown>; [key: string]: unknown } };
  const fileOf = (id: string) => JSON.parse(files.get(id)!) as Editable;
  const refusal = (file: Editable | string, ...swaps: [string, string][]) => {
    let text = typeof file === 'string' ? file : serialize(file as never);
    for (const [standIn, json] of swaps) text = text.replace(JSON.stringify(standIn), json);
    try {
      readModelFile(bytesOf(text));
    } catch (error) {
      expect(error).toBeInstanceOf(NodeInputError);
      return (error as Error).message;
    }
    throw new Error('The file was accepted.');
  };

  it('refuses a file nested 5,000 levels deep before anything recursive reads it', () => {
    const file = fileOf('tree');
    file.model.estimator.featureImportances = DEEP;
    expect(refusal(file)).toBe('This file is not a Pipelab model: "model.estimator.featureImportances[0][0][0][0][0]…" is nested more than 64 levels deep.');
    expect(refusal('['.repeat(100_000) + ']'.repeat(100_000))).toBe('This file is not a Pipelab model: "[0][0][0][0][0][0][0][0]…" is nested more than 64 levels deep.');
  });

  it('refuses an array longer than the limit, and sizes that ask for more than the limit', () => {
    const file = fileOf('tree');
    file.model.estimator.featureImportances = '\u0000huge';
    expect(refusal(file, ['\u0000huge', `[${'0,'.repeat(20_000_000)}0]`])).toBe(
      'This file is not a Pipelab model: "model.estimator.featureImportances" has 20,000,001 items; the limit is 20,000,000.',
    );
    const network = fileOf('flatCnn');
    network.model.estimator.inputShape = [100_000, 100_000, 3];
    expect(refusal(network)).toBe('This file is not a Pipelab model: "model.estimator.inputShape" makes images of 30,000,000,000 numbers; the limit is 20,000,000.');
    // A few bytes of settings would otherwise have TensorFlow build a network of billions of weights.
    const greedy = fileOf('cnn');
    greedy.model.estimator.options = { ...(greedy.model.estimator.options as object), filters: 1024, denseUnits: 8192 };
    expect(refusal(greedy)).toBe('This file is not a Pipelab model: "model.estimator.options" makes a dense layer of 150,994,944 numbers; the limit is 20,000,000.');
  });

  it('names the field and the mismatch', () => {
    const linear = fileOf('linear');
    (linear.model.estimator.coefficients as number[]).pop();
    expect(refusal(linear)).toBe('This file is not a Pipelab model: "model.estimator.coefficients" has 1 number but the model has 2 columns.');
    const looped = fileOf('tree');
    (looped.model.estimator.nodes as { left?: number }[])[0].left = 0;
    expect(refusal(looped)).toBe(
      'This file is not a Pipelab model: "model.estimator.nodes[0].left" is 0, but a child must come after its parent and within the 15 nodes.',
    );
    const swapped = fileOf('svm');
    swapped.model.modelType = 'model.logisticRegression';
    expect(refusal(swapped)).toBe(
      'This file is not a Pipelab model: "model.estimator.kind" is "supportVectorClassifier" but a "model.logisticRegression" model holds a "logisticRegression".',
    );
    const uncalibrated = fileOf('svm3');
    uncalibrated.model.estimator.sigmoids = null;
    expect(refusal(uncalibrated)).toBe('This file is not a Pipelab model: "model.estimator.sigmoids" is null, but scoring needs the probability calibration it holds.');
    expect(refusal('{"format": "pipelab-model", "formatVersion": 2, "model": {}}')).toBe(
      'This file is not a Pipelab model: it has format version 2, which this Pipelab cannot read.',
    );
    expect(refusal('not json')).toBe('This file is not a Pipelab model: it is not JSON text.');
  });
});
