import type { Frame, Matrix } from '../../models/frame';
import { ConvNet } from '../../models/cnn/cnn';
import { colorHistogram, featureColumnNames, hogFeatures, pixelFeatures } from '../../models/images/features';
import { PCA } from '../../models/preprocessing/pca';
import { NodeInputError } from '../define';
import type { FittedImageFeatures, ModelValue, PixelBlock } from '../values';

export type ImageFeatureMethod = FittedImageFeatures['method'];

export interface ImageFeatureSettings {
  method: ImageFeatureMethod;
  bins: number;
  cellSize: number;
  orientations: number;
  /** 0 keeps every feature. */
  pcaComponents: number;
}

const PREFIX: Record<ImageFeatureMethod, string> = { pixels: 'pixel', histogram: 'hist', hog: 'hog', cnn: 'cnn' };

/** The features before any PCA: one row per image. */
function rawFeatures(block: PixelBlock, spec: Omit<FittedImageFeatures, 'columns' | 'pca'>, maxValue: number): Matrix {
  switch (spec.method) {
    case 'pixels':
      return pixelFeatures(block);
    case 'histogram':
      return colorHistogram(block, spec.bins!, maxValue);
    case 'hog':
      return hogFeatures(block, { cellSize: spec.cellSize!, orientations: spec.orientations! }, maxValue);
    case 'cnn': {
      const network = ConvNet.fromJSON(spec.cnn as never);
      try {
        return network.embed(block);
      } finally {
        network.dispose();
      }
    }
  }
}

/** Learns the features' settings (and any PCA) from the training photos. */
export function fitImageFeatures(
  train: PixelBlock,
  settings: ImageFeatureSettings,
  maxValue: number,
  network: ModelValue | undefined,
): { fitted: FittedImageFeatures; X: Matrix } {
  const spec: Omit<FittedImageFeatures, 'columns' | 'pca'> = { method: settings.method };
  if (settings.method === 'histogram') spec.bins = settings.bins;
  if (settings.method === 'hog') Object.assign(spec, { cellSize: settings.cellSize, orientations: settings.orientations });
  if (settings.method === 'cnn') {
    if (!network || network.modelType !== 'model.cnn') {
      throw new NodeInputError('Features from a network need a trained Convolutional network wired into "Network".');
    }
    spec.cnn = network.estimator;
  }
  if (settings.method === 'hog' && Math.min(train.width, train.height) < settings.cellSize * 2) {
    throw new NodeInputError(
      `HOG needs photos at least 2 cells wide: ${train.width}×${train.height} pixels is too small for cells of ${settings.cellSize} pixels. Use smaller cells or a larger size in Prepare images.`,
    );
  }
  const X = rawFeatures(train, spec, maxValue);
  const names = featureColumnNames(PREFIX[settings.method], X.cols);
  if (!settings.pcaComponents) return { fitted: { ...spec, columns: names }, X };
  const components = Math.min(settings.pcaComponents, X.cols, X.rows);
  const pca = new PCA({ components }).fit(X, { featureNames: names });
  return { fitted: { ...spec, pca: pca.toJSON(), columns: pca.componentNames() }, X: pca.transform(X) };
}

/** The same features for other photos (test photos, new photos), with what was learned from the training ones. */
export function computeImageFeatures(block: PixelBlock, fitted: FittedImageFeatures, maxValue: number): Matrix {
  const X = rawFeatures(block, fitted, maxValue);
  return fitted.pca ? PCA.fromJSON(fitted.pca as never).transform(X) : X;
}

/** A feature matrix plus the label column, as a table. */
export function featureFrame(X: Matrix, columns: string[], labelName: string, labels: string[]): Frame {
  const frame: Frame = { columns: [], rowCount: X.rows };
  columns.forEach((name, j) => {
    const values = new Float64Array(X.rows);
    for (let i = 0; i < X.rows; i++) values[i] = X.data[i * X.cols + j];
    frame.columns.push({ name, type: 'number', values });
  });
  frame.columns.push({ name: labelName, type: 'category', values: labels });
  return frame;
}
