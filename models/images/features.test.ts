import { readFileSync } from 'node:fs';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import type { PixelBlock } from './types';
import { colorHistogram, featureColumnNames, hogFeatures, pixelFeatures } from './features';

interface HogSummary {
  length: number;
  first10: number[];
  sum: number;
  weightedSum: number;
  firstNonzero: [number, number][];
}

// Reference numbers: scripts/hog-reference.py (scikit-image 0.19.3 hog, L2-Hys, 2×2 cells per block).
const REFERENCE: Record<string, Record<string, HogSummary>> = {
  'bag/0001.png': {
    '4/9': {
      length: 1296,
      first10: [
        0.0, 0.0, 0.0, 0.0,
        0.0, 0.0, 0.0, 0.0,
        0.0, 0.0,
      ],
      sum: 115.11684516126368,
      weightedSum: 439.83561790641545,
      firstNonzero: [
        [45, 0.06204019074275714], [48, 0.019618830557886834], [49, 0.06204019074275714],
        [53, 0.2606426337297888], [63, 0.675595655513838], [64, 0.675595655513838],
        [67, 0.10546832603073765], [72, 0.012341272180397576], [75, 0.0039026528590137997],
        [76, 0.012341272180397576],
      ],
    },
    '7/8': {
      length: 288,
      first10: [
        0.0, 0.0, 0.0, 0.0,
        0.0, 0.0, 0.0, 0.0,
        0.333947424004582, 0.28693987650058966,
      ],
      sum: 37.6226409872841,
      weightedSum: 154.28696663563917,
      firstNonzero: [
        [8, 0.333947424004582], [9, 0.28693987650058966], [10, 0.3311577223276511],
        [11, 0.08258284137020522], [12, 0.07456412661305459], [15, 0.028221448050774894],
        [16, 0.0564269063091876], [17, 0.194773915985032], [19, 0.15119722526407975],
        [20, 0.08598386356114243],
      ],
    },
  },
  'sneaker/0001.png': {
    '4/9': {
      length: 1296,
      first10: [
        0.0, 0.0, 0.0, 0.0,
        0.0, 0.0, 0.0, 0.0,
        0.0, 0.0,
      ],
      sum: 88.85297784333201,
      weightedSum: 347.57882758338553,
      firstNonzero: [
        [175, 0.9999999987499999], [202, 0.10033514831779358], [211, 0.9949536951724005],
        [281, 0.8393155125539056], [283, 0.5436446161098705], [308, 0.43169182829180436],
        [310, 0.06061143289591088], [316, 0.25404149398632947], [317, 0.43169182829180436],
        [318, 0.43169182829180436],
      ],
    },
    '7/8': {
      length: 288,
      first10: [
        0.0, 0.0, 0.0, 0.0,
        0.0, 0.0, 0.0, 0.0,
        0.0, 0.0,
      ],
      sum: 29.944423813964157,
      weightedSum: 117.57962493061228,
      firstNonzero: [
        [25, 0.6149873937186967], [26, 0.7219337249508572], [27, 0.28582789280319015],
        [28, 0.07567608683321199], [29, 0.05388012065831091], [31, 0.10136409234951052],
        [49, 0.22871936505299223], [50, 0.4154717051604945], [51, 0.10630197435605235],
        [52, 0.028144620047455028],
      ],
    },
  },
  'coat/0001.png': {
    '4/9': {
      length: 1296,
      first10: [
        0.07636737197474625, 0.0, 0.0, 0.0,
        0.0, 0.0, 0.0, 0.0,
        0.012521254209897276, 0.037824443396801334,
      ],
      sum: 139.29865575566348,
      weightedSum: 552.440868057319,
      firstNonzero: [
        [0, 0.07636737197474625], [8, 0.012521254209897276], [9, 0.037824443396801334],
        [10, 0.014318602028019739], [11, 0.024736913581186834], [12, 0.47851797948933666],
        [13, 0.0073668600561171225], [15, 0.02430939712312725], [16, 0.019797839991503776],
        [18, 0.04420116150305964],
      ],
    },
    '7/8': {
      length: 288,
      first10: [
        0.17800611165504734, 0.21748403382046544, 0.14959811697794825, 0.0,
        0.0030734669832482185, 0.0, 0.005070961948587197, 0.012108442913043693,
        0.10364976514358956, 0.17438542164991302,
      ],
      sum: 40.58932290394738,
      weightedSum: 160.06089634865884,
      firstNonzero: [
        [0, 0.17800611165504734], [1, 0.21748403382046544], [2, 0.14959811697794825],
        [4, 0.0030734669832482185], [6, 0.005070961948587197], [7, 0.012108442913043693],
        [8, 0.10364976514358956], [9, 0.17438542164991302], [10, 0.34766304853518437],
        [11, 0.2365826007526065],
      ],
    },
  },
  'rgb': {
    '4/9': {
      length: 1296,
      first10: [
        0.07636737197474625, 0.0, 0.0, 0.0,
        0.0, 0.0, 0.0, 0.0,
        0.012521254209897276, 0.037824443396801334,
      ],
      sum: 142.2261898667224,
      weightedSum: 555.825617508189,
      firstNonzero: [
        [0, 0.07636737197474625], [8, 0.012521254209897276], [9, 0.037824443396801334],
        [10, 0.014318602028019739], [11, 0.024736913581186834], [12, 0.47851797948933666],
        [13, 0.0073668600561171225], [15, 0.02430939712312725], [16, 0.019797839991503776],
        [18, 0.04420116150305964],
      ],
    },
    '7/8': {
      length: 288,
      first10: [
        0.1269684764019599, 0.15512735017463, 0.10670557773937915, 0.0,
        0.0021922473139067036, 0.0, 0.0036170236320432186, 0.008636729008768695,
        0.3087871975859726, 0.25751092916798907,
      ],
      sum: 41.336489581616846,
      weightedSum: 163.3391257784985,
      firstNonzero: [
        [0, 0.1269684764019599], [1, 0.15512735017463], [2, 0.10670557773937915],
        [4, 0.0021922473139067036], [6, 0.0036170236320432186], [7, 0.008636729008768695],
        [8, 0.3087871975859726], [9, 0.25751092916798907], [10, 0.3087871975859726],
        [11, 0.1750920518171702],
      ],
    },
  },
};

const SAMPLES = ['bag/0001.png', 'sneaker/0001.png', 'coat/0001.png'];

async function grayPixels(name: string): Promise<Uint8Array> {
  const { data } = await sharp(readFileSync(`samples/fashion-products/${name}`))
    .toColourspace('b-w')
    .raw()
    .toBuffer({ resolveWithObject: true });
  return new Uint8Array(data);
}

function summarise(values: Float64Array): HogSummary {
  let sum = 0;
  let weightedSum = 0;
  const firstNonzero: [number, number][] = [];
  values.forEach((v, i) => {
    sum += v;
    weightedSum += v * ((i % 7) + 1);
    if (v !== 0 && firstNonzero.length < 10) firstNonzero.push([i, v]);
  });
  return { length: values.length, first10: [...values.subarray(0, 10)], sum, weightedSum, firstNonzero };
}

function expectSummary(actual: HogSummary, expected: HogSummary) {
  expect(actual.length).toBe(expected.length);
  actual.first10.forEach((v, i) => expect(v).toBeCloseTo(expected.first10[i], 6));
  expect(actual.sum).toBeCloseTo(expected.sum, 6);
  expect(actual.weightedSum).toBeCloseTo(expected.weightedSum, 6);
  expect(actual.firstNonzero.map(([i]) => i)).toEqual(expected.firstNonzero.map(([i]) => i));
  actual.firstNonzero.forEach(([, v], k) => expect(v).toBeCloseTo(expected.firstNonzero[k][1], 6));
}

describe('hogFeatures', () => {
  it('matches scikit-image on sample photos, one image per row', async () => {
    const images = await Promise.all(SAMPLES.map(grayPixels));
    const block: PixelBlock = { count: 3, height: 28, width: 28, channels: 1, data: Float32Array.from(images.flatMap((i) => [...i])) };
    for (const key of ['4/9', '7/8']) {
      const [cellSize, orientations] = key.split('/').map(Number);
      const matrix = hogFeatures(block, { cellSize, orientations }, 255);
      expect(matrix.rows).toBe(3);
      SAMPLES.forEach((name, row) => {
        const values = matrix.data.subarray(row * matrix.cols, (row + 1) * matrix.cols);
        expectSummary(summarise(values), REFERENCE[name][key]);
      });
    }
  });

  it('matches scikit-image with channel_axis on colour images', async () => {
    const [r, g, b] = await Promise.all(SAMPLES.map(grayPixels));
    const data = new Float32Array(28 * 28 * 3);
    for (let p = 0; p < 28 * 28; p++) data.set([r[p], g[p], b[p]], p * 3);
    const block: PixelBlock = { count: 1, height: 28, width: 28, channels: 3, data };
    for (const key of ['4/9', '7/8']) {
      const [cellSize, orientations] = key.split('/').map(Number);
      expectSummary(summarise(hogFeatures(block, { cellSize, orientations }, 255).data), REFERENCE.rgb[key]);
    }
  });

  it('gives the same features for 0–1 and 0–255 pixel values', async () => {
    const bag = await grayPixels(SAMPLES[0]);
    const raw: PixelBlock = { count: 1, height: 28, width: 28, channels: 1, data: Float32Array.from(bag) };
    const scaled: PixelBlock = { ...raw, data: Float32Array.from(bag, (v) => v / 255) };
    const a = hogFeatures(raw, { cellSize: 4, orientations: 9 }, 255).data;
    const b = hogFeatures(scaled, { cellSize: 4, orientations: 9 }, 1).data;
    a.forEach((v, i) => expect(b[i]).toBeCloseTo(v, 5));
  });

  it('explains when cells are too large for the images', () => {
    const block: PixelBlock = { count: 1, height: 8, width: 8, channels: 1, data: new Float32Array(64) };
    expect(() => hogFeatures(block, { cellSize: 5, orientations: 9 }, 1)).toThrow(/pick a smaller cell size/);
    expect(hogFeatures(block, { cellSize: 4, orientations: 9 }, 1).cols).toBe(36);
  });
});

describe('pixelFeatures and colorHistogram', () => {
  const block: PixelBlock = {
    count: 2,
    height: 1,
    width: 2,
    channels: 3,
    data: Float32Array.from([0, 0.5, 1, 1, 0.5, 0.2, 0.1, 0.1, 0.1, 0.9, 0.9, 0.9]),
  };

  it('flattens every value into one row per image', () => {
    const m = pixelFeatures(block);
    expect([m.rows, m.cols]).toEqual([2, 6]);
    expect(m.data[3]).toBe(1);
    expect(m.data[11]).toBeCloseTo(0.9, 6);
  });

  it('counts the share of pixels per brightness bin, channel by channel', () => {
    const m = colorHistogram(block, 2, 1);
    expect([m.rows, m.cols]).toEqual([2, 6]);
    expect([...m.data.subarray(0, 6)]).toEqual([0.5, 0.5, 0, 1, 0.5, 0.5]);
    expect([...m.data.subarray(6, 12)]).toEqual([0.5, 0.5, 0.5, 0.5, 0.5, 0.5]);
  });

  it('names columns from 1', () => {
    expect(featureColumnNames('hog', 3)).toEqual(['hog1', 'hog2', 'hog3']);
  });
});
