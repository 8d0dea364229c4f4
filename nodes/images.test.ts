import fs from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../db/client';
import { getRun } from '../db/runs';
import { buildZip } from '../models/images/test-zip';
import { ImageArchiveError } from '../models/images/archive';
import { storeImageArchive } from '../server/datasets';
import { dataDir } from './lib/paths';
import type { EngineEvent } from '../server/engine/events';
import { executeGraph } from '../server/engine/execute';
import { registry } from '../server/runs/registry';
import { InProcessExecutor } from '../server/runs/in-process';
import { startRun } from '../server/runs/service';
import { storedFiles } from '../server/datasets';
import { initBackend } from '../server/tf-backend';
import type { EvaluationPreview, ImagesPreview, ModelPreview, TrainingPreview } from './preview';
import { graph, run, useTempDataDir } from './test-harness';
import type { SplitValue } from './values';
import type { Frame } from '../models/frame';

const SAMPLE = path.join('samples', 'fashion-products');
let db: Db;

beforeAll(async () => {
  db = await useTempDataDir();
  await initBackend();
});

const photos = (extra: Record<string, [string, Record<string, unknown>?]>, wires: string[], size = 16) =>
  graph(
    {
      photos: ['data.images', { source: 'sample' }],
      prepare: ['prep.image', { size }],
      split: ['prep.split', { testFraction: 0.2, seed: 1 }],
      ...extra,
    },
    ['photos.images -> prepare.images', 'prepare.images -> split.table', ...wires],
  );

function countLabels(frame: Frame): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const label of frame.columns.find((c) => c.name === 'label')!.values as string[]) counts[label] = (counts[label] ?? 0) + 1;
  return counts;
}

const samplePng = (label: string, index = 0) => fs.readFileSync(path.join(SAMPLE, label, fs.readdirSync(path.join(SAMPLE, label))[index]));

describe('photos on the canvas', () => {
  it('loads the product-photo sample, counts each class and compares table models on HOG features', async () => {
    const result = await run(
      photos(
        {
          hog: ['features.image', { method: 'hog', cellSize: 4 }],
          logistic: ['model.logisticRegression'],
          tree: ['model.decisionTree', { maxDepth: 8 }],
          evaluate: ['eval.evaluate'],
        },
        ['split.split -> hog.data', 'hog.split -> logistic.data', 'hog.split -> tree.data', 'logistic.model -> evaluate.model', 'tree.model -> evaluate.model', 'split.split -> evaluate.data'],
      ),
    );
    expect(result.error).toBeNull();
    const loaded = result.results.get('photos')!.preview as ImagesPreview;
    expect(loaded.count).toBe(1000);
    expect(loaded.classes.find((c) => c.label === 'coat')!.count).toBe(114);
    expect(loaded.size).toEqual({ width: 28, height: 28, channels: 1 });
    expect(loaded.thumbnails.length).toBe(60);
    expect(loaded.thumbnails[0].src).toMatch(/^data:image\/png;base64,/);
    expect((result.results.get('prepare')!.preview as ImagesPreview).size).toEqual({ width: 16, height: 16, channels: 1 });

    const evaluation = result.results.get('evaluate')!.preview as EvaluationPreview;
    expect(evaluation.testRows).toBe(200);
    const [logistic, tree] = evaluation.models;
    expect(logistic.metrics.accuracy).toBeGreaterThan(0.7);
    expect(tree.metrics.accuracy).toBeGreaterThan(0.5);
    for (const model of evaluation.models) {
      const wrong = Math.round((1 - model.metrics.accuracy) * 200);
      expect(model.misclassified!.length).toBe(Math.min(24, wrong));
      for (const image of model.misclassified!) expect(image.trueLabel).not.toBe(image.predicted);
      expect(model.confusion!.flat().reduce((a, b) => a + b, 0)).toBe(200);
      // Occlusion maps: the first test photos, a 7 × 7 grid of probability drops for the predicted label.
      expect(model.occlusion!.map((map) => map.drops.length)).toEqual([49, 49, 49, 49]);
      expect(model.occlusion!.every((map) => map.drops.some((drop) => drop !== 0) && map.src.startsWith('data:image/png'))).toBe(true);
      expect(model.importance).toBeUndefined();
    }
  });

  it('trains a small network with a live curve after every epoch and tests it on the held-out photos', async () => {
    const events: EngineEvent[] = [];
    const g = photos(
      {
        cnn: ['model.cnn', { convBlocks: 1, filters: 8, denseUnits: 32, epochs: 3, patience: 0, batchSize: 32 }],
        evaluate: ['eval.evaluate'],
      },
      ['split.split -> cnn.data', 'cnn.model -> evaluate.model', 'split.split -> evaluate.data'],
    );
    const result = await executeGraph({ graph: g, registry, ...storedFiles, onEvent: (event) => events.push(event) });
    expect(result.error).toBeNull();
    const live = events.flatMap((e) => (e.type === 'progress' && e.nodeId === 'cnn' && e.live ? [e.live as TrainingPreview] : []));
    expect(live.map((p) => p.curves.epochs.length)).toEqual([1, 2, 3]);
    expect(live[2].curves.epochs[2].valAccuracy).not.toBeNull();
    const model = result.results.get('cnn')!.preview as ModelPreview;
    expect(model.training!.epochs).toHaveLength(3);
    expect(model.layers!.some((layer) => /Convolution/.test(layer.name))).toBe(true);
    const evaluation = result.results.get('evaluate')!.preview as EvaluationPreview;
    expect(evaluation.models[0].metrics.accuracy).toBeGreaterThan(0.6);
    const maps = evaluation.models[0].occlusion!;
    expect(maps).toHaveLength(4);
    for (const map of maps) {
      expect(map.drops).toHaveLength(49);
      expect(Math.max(...map.drops)).toBeGreaterThan(0);
      expect(map.confidence).toBeGreaterThan(0);
    }
  });

  it("feeds a network's features and PCA-compressed HOG to table models, and balances photos", async () => {
    const result = await run(
      photos(
        {
          cnn: ['model.cnn', { convBlocks: 1, filters: 8, denseUnits: 16, epochs: 2, patience: 0 }],
          embed: ['features.image', { method: 'cnn' }],
          onEmbeddings: ['model.logisticRegression'],
          hog: ['features.image', { method: 'hog', cellSize: 4, pcaComponents: 20 }],
          balance: ['prep.balance', { method: 'undersample' }],
          onHog: ['model.logisticRegression'],
          evaluate: ['eval.evaluate'],
        },
        [
          'split.split -> cnn.data',
          'split.split -> embed.data',
          'cnn.model -> embed.network',
          'embed.split -> onEmbeddings.data',
          'split.split -> hog.data',
          'hog.split -> balance.split',
          'balance.split -> onHog.data',
          'onEmbeddings.model -> evaluate.model',
          'onHog.model -> evaluate.model',
          'split.split -> evaluate.data',
        ],
      ),
    );
    expect(result.error).toBeNull();
    const embedded = result.results.get('embed')!.outputs.split as SplitValue;
    expect(embedded.train.columns.map((c) => c.name)).toEqual([...Array.from({ length: 16 }, (_, i) => `cnn${i + 1}`), 'label']);
    const compressed = result.results.get('hog')!.outputs.split as SplitValue;
    expect(compressed.train.columns).toHaveLength(21);
    // Undersampling keeps as many photos of each class as the rarest one has, photos and labels alike.
    const balanced = result.results.get('balance')!.outputs.split as SplitValue;
    expect(balanced.images!.train.items.map((item) => item.label)).toEqual(
      (balanced.train.columns.find((c) => c.name === 'label')!.values as string[]),
    );
    expect(new Set(Object.values(countLabels(balanced.train)))).toEqual(new Set([Math.min(...Object.values(countLabels(compressed.train)))]));
    const evaluation = result.results.get('evaluate')!.preview as EvaluationPreview;
    for (const model of evaluation.models) expect(model.metrics.accuracy).toBeGreaterThan(0.55);
  });

  it('goes from an uploaded zip of labelled photos to a network and an SVM on HOG in one Evaluate', async () => {
    const labels = ['bag', 'sneaker', 'trouser'];
    const entries = labels.flatMap((label) =>
      fs.readdirSync(path.join(SAMPLE, label)).slice(0, 25).map((file) => ({ name: `my photos/${label}/${file}`, data: fs.readFileSync(path.join(SAMPLE, label, file)) })),
    );
    const archive = await storeImageArchive('catalogue.zip', buildZip(entries));
    expect(archive.classes).toEqual(labels.map((label) => ({ label, count: 25 })));
    const result = await run(
      graph(
        {
          photos: ['data.images', { source: 'upload', archive: archive.hash }],
          prepare: ['prep.image', { size: 28 }],
          split: ['prep.split', { testFraction: 0.2, seed: 1 }],
          cnn: ['model.cnn', { epochs: 4, patience: 0 }],
          hog: ['features.image', { method: 'hog' }],
          svm: ['model.svm'],
          evaluate: ['eval.evaluate'],
        },
        [
          'photos.images -> prepare.images',
          'prepare.images -> split.table',
          'split.split -> cnn.data',
          'split.split -> hog.data',
          'hog.split -> svm.data',
          'cnn.model -> evaluate.model',
          'svm.model -> evaluate.model',
          'split.split -> evaluate.data',
        ],
      ),
    );
    expect(result.error).toBeNull();
    const evaluation = result.results.get('evaluate')!.preview as EvaluationPreview;
    expect(evaluation.testRows).toBe(15);
    expect(evaluation.models.map((m) => m.model)).toEqual(['Convolutional network', 'Support vector machine']);
    // Bags, sneakers and trousers look nothing alike: both should get nearly all test photos right.
    for (const model of evaluation.models) expect(model.metrics.accuracy).toBeGreaterThanOrEqual(0.8);
  });

  it('says plainly what to add when a table model meets photos', async () => {
    const result = await run(photos({ tree: ['model.decisionTree'] }, ['split.split -> tree.data']));
    expect(result.error).toMatch(/Decision tree learns from table columns, and this split holds photos. Put an Image features step/);
  });

  it('skips a corrupt file with a counted warning and asks to resize photos of mixed sizes', async () => {
    const big = await sharp(samplePng('bag')).resize(40, 40).png().toBuffer();
    const zip = buildZip([
      { name: 'bag/1.png', data: samplePng('bag', 0) },
      { name: 'bag/2.png', data: big },
      { name: 'bag/3.png', data: Buffer.from('this is not a png') },
      { name: 'sneaker/1.png', data: samplePng('sneaker', 0) },
      { name: 'sneaker/2.png', data: samplePng('sneaker', 1) },
    ]);
    const archive = await storeImageArchive('mixed.zip', zip);
    expect(archive.count).toBe(5);
    const direct = await run(
      graph({ photos: ['data.images', { source: 'upload', archive: archive.hash }], split: ['prep.split'] }, ['photos.images -> split.table']),
    );
    const loaded = direct.results.get('photos')!.preview as ImagesPreview;
    expect(loaded.count).toBe(4);
    expect(loaded.warnings.join(' ')).toMatch(/1 file is not a readable image and was skipped: bag\/3.png/);
    expect(loaded.mixed).toMatch(/^2 different sizes: 28×28 grayscale \(3\), 40×40 \w+ \(1\)$/);
    expect(loaded.thumbnails.map((t) => t.name)).toEqual(['bag/1.png', 'bag/2.png', 'sneaker/1.png', 'sneaker/2.png']);
    expect(direct.error).toMatch(/needs photos of one size.*Add a Prepare images step/);
  });

  it('refuses an unsafe zip on upload and keeps nothing of it', async () => {
    const before = fs.readdirSync(path.join(dataDir(), 'uploads')).sort();
    const escaping = buildZip([
      { name: 'bag/1.png', data: samplePng('bag') },
      { name: '../../outside.png', data: samplePng('bag') },
    ]);
    await expect(storeImageArchive('escape.zip', escaping)).rejects.toThrow(ImageArchiveError);
    await expect(storeImageArchive('escape.zip', escaping)).rejects.toThrow(/leave the folder/);
    const oneClass = buildZip([
      { name: 'bag/1.png', data: samplePng('bag', 0) },
      { name: 'bag/2.png', data: samplePng('bag', 1) },
    ]);
    await expect(storeImageArchive('one.zip', oneClass)).rejects.toThrow(/at least two labelled folders/);
    expect(fs.readdirSync(path.join(dataDir(), 'uploads')).sort()).toEqual(before);
  });

  it('records a cancelled training run as cancelled, with the curves so far', async () => {
    const executor = new InProcessExecutor();
    const g = photos(
      { cnn: ['model.cnn', { convBlocks: 1, filters: 8, denseUnits: 32, epochs: 50, patience: 0 }] },
      ['split.split -> cnn.data'],
    );
    const { runId, done } = await startRun(db, executor, { graph: g, pipelineId: null, label: 'stop', origin: 'ui', workspaceId: null, startedBy: null });
    const started = Date.now();
    while ((await getRun(db, runId))!.nodes.cnn.preview?.kind !== 'training') {
      if (Date.now() - started > 60_000) throw new Error('no epoch finished within a minute');
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    executor.cancel(runId);
    const cancelledAt = Date.now();
    expect((await done).status).toBe('cancelled');
    // Within one batch of 32 small photos: far less than an epoch.
    expect(Date.now() - cancelledAt).toBeLessThan(2_000);
    const record = (await getRun(db, runId))!;
    expect(record.status).toBe('cancelled');
    expect(record.nodes.cnn.status).toBe('cancelled');
    const curves = (record.nodes.cnn.preview as TrainingPreview).curves;
    expect(curves.epochs.length).toBeGreaterThanOrEqual(1);
    expect(curves.epochs.length).toBeLessThan(50);
  });
});
