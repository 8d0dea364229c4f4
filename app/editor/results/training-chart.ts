import type { EpochStats, TrainingCurves } from '../../../nodes/preview';

/** A value range for a y axis with round tick values inside it. */
export interface YScale {
  min: number;
  max: number;
  ticks: number[];
}

function finite(values: (number | null)[]): number[] {
  return values.filter((value): value is number => value !== null && Number.isFinite(value));
}

/** Smallest "round" step (1, 2 or 5 times a power of ten) that splits `span` into at most `count` parts. */
function niceStep(span: number, count: number): number {
  const raw = span / count;
  const power = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].find((factor) => factor * power >= raw) ?? 10;
  return step * power;
}

function ticksBetween(min: number, max: number, step: number): number[] {
  const ticks: number[] = [];
  // Rounding keeps 0.30000000000000004 from showing up as a tick label.
  for (let value = min; value <= max + step / 1000; value += step) ticks.push(Number(value.toFixed(10)));
  return ticks;
}

/** Loss starts at zero so that a falling curve reads as "how far down it got". */
export function lossScale(values: (number | null)[]): YScale {
  const top = Math.max(0, ...finite(values));
  if (top <= 0) return { min: 0, max: 1, ticks: [0, 0.5, 1] };
  const step = niceStep(top, 4);
  const max = Number((Math.ceil(top / step - 1e-9) * step).toFixed(10));
  return { min: 0, max, ticks: ticksBetween(0, max, step) };
}

/**
 * Accuracy ends at 100% and starts at about the tenth below the lowest value, so that the
 * last few points of a good network (say 88% to 91%) do not sit in a flat line at the top.
 */
export function accuracyScale(values: (number | null)[]): YScale {
  const shown = finite(values);
  const low = shown.length ? Math.min(...shown) : 0;
  const floor = Math.max(0, Math.min(0.9, Math.floor(low * 10 - 1e-9) / 10));
  const step = niceStep(1 - floor, 4);
  // Starting on a multiple of the step puts a labelled tick on 100%.
  const min = Number((Math.floor(floor / step + 1e-9) * step).toFixed(10));
  return { min, max: 1, ticks: ticksBetween(min, 1, step) };
}

/** Epoch numbers to label on the x axis: the first, the last, and round ones between. */
export function epochTicks(totalEpochs: number, most = 6): number[] {
  const total = Math.max(1, Math.round(totalEpochs));
  if (total <= most) return Array.from({ length: total }, (_, i) => i + 1);
  const step = Math.max(1, niceStep(total - 1, most - 1));
  const ticks = [1];
  for (let epoch = step; epoch < total; epoch += step) if (epoch - ticks[ticks.length - 1] >= step / 2) ticks.push(epoch);
  if (total - ticks[ticks.length - 1] < step / 2) ticks.pop();
  ticks.push(total);
  return ticks;
}

/** The epochs the chart spans: the planned count, or more if training went past it. */
export function epochSpan(curves: TrainingCurves): number {
  const last = curves.epochs[curves.epochs.length - 1]?.epoch ?? 0;
  return Math.max(1, curves.totalEpochs, last);
}

/** Validation accuracy when any epoch has it, training accuracy otherwise. */
export function headlineAccuracy(epochs: EpochStats[]): { values: (number | null)[]; validation: boolean } {
  const validation = epochs.some((epoch) => epoch.valAccuracy !== null && Number.isFinite(epoch.valAccuracy));
  return { values: epochs.map((epoch) => (validation ? epoch.valAccuracy : epoch.accuracy)), validation };
}

/** "about 40 s left", "about 3 min left", "about 1 h 10 min left". */
export function formatEta(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds < 0) return '';
  if (seconds < 5) return 'almost done';
  if (seconds < 60) return `about ${Math.round(seconds / 5) * 5} s left`;
  const minutes = Math.round(seconds / 60);
  if (minutes < 60) return `about ${minutes} min left`;
  const hours = Math.floor(minutes / 60);
  const rest = minutes % 60;
  return `about ${hours} h${rest ? ` ${rest} min` : ''} left`;
}

/** Points of one series as an SVG polyline, skipping epochs without a value. */
export function polylinePoints(
  epochs: EpochStats[],
  values: (number | null)[],
  x: (epoch: number) => number,
  y: (value: number) => number,
): string {
  const parts: string[] = [];
  epochs.forEach((epoch, index) => {
    const value = values[index];
    if (value === null || value === undefined || !Number.isFinite(value)) return;
    parts.push(`${x(epoch.epoch).toFixed(1)},${y(value).toFixed(1)}`);
  });
  return parts.join(' ');
}
