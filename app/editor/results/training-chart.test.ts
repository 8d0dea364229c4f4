import { describe, expect, it } from 'vitest';
import type { EpochStats } from '../../../nodes/preview';
import { accuracyScale, epochSpan, epochTicks, formatEta, headlineAccuracy, lossScale, polylinePoints } from './training-chart';

function epoch(n: number, valAccuracy: number | null = null): EpochStats {
  return { epoch: n, loss: 1 / n, accuracy: 0.5 + n / 100, valLoss: null, valAccuracy, seconds: n * 2 };
}

describe('training chart scales', () => {
  it('starts loss at zero and rounds the top up', () => {
    expect(lossScale([2.31, 1.2, null, 0.4])).toEqual({ min: 0, max: 3, ticks: [0, 1, 2, 3] });
    expect(lossScale([0.42, 0.3])).toEqual({ min: 0, max: 0.6, ticks: [0, 0.2, 0.4, 0.6] });
    expect(lossScale([])).toEqual({ min: 0, max: 1, ticks: [0, 0.5, 1] });
  });

  it('starts accuracy a tenth below the lowest value and ends at 100%', () => {
    const scale = accuracyScale([0.72, 0.91, null]);
    expect(scale.min).toBe(0.7);
    expect(scale.max).toBe(1);
    expect(scale.ticks).toEqual([0.7, 0.8, 0.9, 1]);
    expect(accuracyScale([1, 1]).min).toBe(0.9);
    expect(accuracyScale([]).min).toBe(0);
  });

  it('labels the first and the last epoch', () => {
    expect(epochTicks(1)).toEqual([1]);
    expect(epochTicks(5)).toEqual([1, 2, 3, 4, 5]);
    expect(epochTicks(15)).toEqual([1, 5, 10, 15]);
    expect(epochTicks(50)).toEqual([1, 10, 20, 30, 40, 50]);
  });

  it('spans the planned epochs, or more when training ran past them', () => {
    expect(epochSpan({ epochs: [epoch(1)], totalEpochs: 15 })).toBe(15);
    expect(epochSpan({ epochs: [epoch(1), epoch(2), epoch(3)], totalEpochs: 2 })).toBe(3);
  });
});

describe('training chart text and points', () => {
  it('says roughly how long is left', () => {
    expect(formatEta(2)).toBe('almost done');
    expect(formatEta(41)).toBe('about 40 s left');
    expect(formatEta(150)).toBe('about 3 min left');
    expect(formatEta(4200)).toBe('about 1 h 10 min left');
  });

  it('prefers validation accuracy for the headline', () => {
    expect(headlineAccuracy([epoch(1, 0.6), epoch(2, 0.7)])).toEqual({ values: [0.6, 0.7], validation: true });
    expect(headlineAccuracy([epoch(1), epoch(2)])).toEqual({ values: [0.51, 0.52], validation: false });
  });

  it('skips epochs without a value', () => {
    const points = polylinePoints([epoch(1), epoch(2), epoch(3)], [0.5, null, 0.25], (n) => n * 10, (v) => v * 100);
    expect(points).toBe('10.0,50.0 30.0,25.0');
  });
});
