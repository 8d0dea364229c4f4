import { scaleLinear } from 'd3-scale';
import type { EpochStats, TrainingCurves as Curves } from '../../../nodes/preview';
import { formatDuration, formatNumber, formatPercent } from '../../_components/format';
import { AxisTitles, Grid, PlotArea, svgFrame, type PlotBox } from '../../../charts/frame';
import { Legend, type LegendEntry } from '../../../charts/Legend';
import { CHART_INK, FONT_SIZE, seriesColor } from '../../../charts/theme';
import {
  accuracyScale,
  epochSpan,
  epochTicks,
  formatEta,
  headlineAccuracy,
  lossScale,
  polylinePoints,
  type YScale,
} from './training-chart';

const TRAINING_BOX: PlotBox = { width: 300, height: 180, left: 42, right: 12, top: 12, bottom: 34 };
/** Above this many epochs the dots would merge into the line, so only the line is drawn. */
const MAX_DOTS = 40;

const TRAIN_COLOR = seriesColor(0);
const VALIDATION_COLOR = seriesColor(1);
const BEST_COLOR = seriesColor(2);

interface Series {
  id: string;
  label: string;
  values: (number | null)[];
  color: string;
  dashed: boolean;
}

interface LineChartProps {
  title: string;
  yLabel: string;
  epochs: EpochStats[];
  span: number;
  scale: YScale;
  series: Series[];
  bestEpoch?: number;
  format(value: number): string;
  formatTick(value: number): string;
}

/** Epochs spread over the plot's width; with a single planned epoch there is no width, so it sits in the middle. */
function epochScale(span: number) {
  const range = [TRAINING_BOX.left, TRAINING_BOX.width - TRAINING_BOX.right];
  return span <= 1 ? () => (range[0] + range[1]) / 2 : scaleLinear().domain([1, span]).range(range);
}

function LineChart({ title, yLabel, epochs, span, scale, series, bestEpoch, format, formatTick }: LineChartProps) {
  const x = epochScale(span);
  const y = scaleLinear().domain([scale.min, scale.max === scale.min ? scale.min + 1 : scale.max]).range([TRAINING_BOX.height - TRAINING_BOX.bottom, TRAINING_BOX.top]);
  const plotTop = TRAINING_BOX.top;
  const plotBottom = TRAINING_BOX.height - TRAINING_BOX.bottom;
  const plotMiddle = (TRAINING_BOX.left + TRAINING_BOX.width - TRAINING_BOX.right) / 2;
  return (
    <figure className="chart training-chart">
      <figcaption className="training-chart-title">{title}</figcaption>
      <svg {...svgFrame(TRAINING_BOX)} role="img" aria-label={`${title} per epoch`}>
        <PlotArea box={TRAINING_BOX} />
        <Grid box={TRAINING_BOX} y={y} yTicks={scale.ticks} formatY={formatTick} />
        <g fontSize={FONT_SIZE.tick} fill={CHART_INK.muted} textAnchor="middle">
          {epochTicks(span).map((epoch) => (
            <text key={`x${epoch}`} x={x(epoch)} y={plotBottom + 14}>
              {epoch}
            </text>
          ))}
        </g>
        <AxisTitles box={TRAINING_BOX} x="Epoch" y={yLabel} yTitleX={11} />
        {bestEpoch !== undefined && bestEpoch >= 1 && bestEpoch <= span && (
          <g className="best-marker" data-testid="best-epoch-marker">
            <title>{`Epoch ${bestEpoch}: the weights kept`}</title>
            <line x1={x(bestEpoch)} x2={x(bestEpoch)} y1={plotTop} y2={plotBottom} stroke={BEST_COLOR} strokeWidth={1.2} strokeDasharray="2 3" />
            <text x={x(bestEpoch) + 3} y={plotTop + 9} fontSize={FONT_SIZE.tick} fontWeight={600} fill={BEST_COLOR}>
              kept
            </text>
          </g>
        )}
        {epochs.length === 0 && (
          <text x={plotMiddle} y={(plotTop + plotBottom) / 2} textAnchor="middle" fontSize={FONT_SIZE.tick} fill={CHART_INK.muted}>
            Appears when the first epoch is done
          </text>
        )}
        {series.map((line) => (
          <SeriesLine key={line.id} line={line} epochs={epochs} x={x} y={y} format={format} />
        ))}
      </svg>
    </figure>
  );
}

function SeriesLine({ line, epochs, x, y, format }: {
  line: Series;
  epochs: EpochStats[];
  x(epoch: number): number;
  y(value: number): number;
  format(value: number): string;
}) {
  const dots = epochs.length <= MAX_DOTS;
  return (
    <g className="training-series">
      <polyline
        points={polylinePoints(epochs, line.values, x, y)}
        fill="none"
        stroke={line.color}
        strokeWidth={2}
        strokeLinejoin="round"
        strokeDasharray={line.dashed ? '5 3' : undefined}
        data-testid={`curve-${line.id}`}
        data-points={line.values.filter((value) => value !== null && Number.isFinite(value)).length}
      />
      {dots &&
        epochs.map((epoch, index) => {
          const value = line.values[index];
          if (value === null || value === undefined || !Number.isFinite(value)) return null;
          return (
            <circle key={epoch.epoch} cx={x(epoch.epoch)} cy={y(value)} r={2.4} fill={line.dashed ? '#fff' : line.color} stroke={line.color}>
              <title>{`Epoch ${epoch.epoch}, ${line.label.toLowerCase()}: ${format(value)}`}</title>
            </circle>
          );
        })}
    </g>
  );
}

const formatLoss = (value: number) => formatNumber(value, value >= 10 ? 1 : value >= 1 ? 2 : 3);
const formatAccuracy = (value: number) => formatPercent(value, Math.abs(value * 100 - Math.round(value * 100)) < 1e-6 ? 0 : 1);

/** "Epoch 3 of 15 · 1,250 images/s · about 40 s left", or how training ended. */
function progressText(curves: Curves, live: boolean): string {
  const done = curves.epochs.length;
  const last = curves.epochs[done - 1];
  const speed = curves.imagesPerSecond ? `${Math.round(curves.imagesPerSecond).toLocaleString('en-US')} images/s` : '';
  if (live) {
    if (!last) return `Training the first of ${curves.totalEpochs} epochs…`;
    const eta = curves.etaSeconds !== undefined ? formatEta(curves.etaSeconds) : '';
    return [`Epoch ${last.epoch} of ${curves.totalEpochs}`, speed, eta].filter(Boolean).join(' · ');
  }
  if (!last) return 'Training stopped before the first epoch finished.';
  const took = last.seconds > 0 ? ` in ${formatDuration(last.seconds * 1000)}` : '';
  const count = last.epoch < curves.totalEpochs ? `${last.epoch} of ${curves.totalEpochs} epochs` : `${last.epoch} epoch${last.epoch === 1 ? '' : 's'}`;
  return `Trained for ${count}${took}.${speed ? ` ${speed}.` : ''}`;
}

function TrainingLegend({ hasValidation, bestEpoch }: { hasValidation: boolean; bestEpoch?: number }) {
  const entries: LegendEntry[] = [{ id: 'train', color: TRAIN_COLOR, swatch: 'line', label: 'Training images' }];
  if (hasValidation) entries.push({ id: 'validation', color: VALIDATION_COLOR, swatch: 'dashed-line', label: 'Validation images (held back)' });
  if (bestEpoch !== undefined) entries.push({ id: 'best', color: BEST_COLOR, swatch: 'marker', label: `Weights kept from epoch ${bestEpoch}` });
  return <Legend entries={entries} />;
}

/** Loss and accuracy per epoch; `live` adds the progress of a network still training. */
export function TrainingCurves({ curves, live = false }: { curves: Curves; live?: boolean }) {
  const { epochs } = curves;
  const span = epochSpan(curves);
  const hasValidation = epochs.some((epoch) => epoch.valLoss !== null || epoch.valAccuracy !== null);
  const loss = epochs.map((epoch) => epoch.loss);
  const valLoss = epochs.map((epoch) => epoch.valLoss);
  const accuracy = epochs.map((epoch) => epoch.accuracy);
  const valAccuracy = epochs.map((epoch) => epoch.valAccuracy);
  const line = (id: string, values: (number | null)[], validation: boolean): Series => ({
    id,
    values,
    label: validation ? 'Validation' : 'Training',
    color: validation ? VALIDATION_COLOR : TRAIN_COLOR,
    dashed: validation,
  });
  const done = epochs[epochs.length - 1]?.epoch ?? 0;
  return (
    <div className="training-curves" data-testid="training-curves" data-live={live ? 'true' : 'false'} data-epochs={epochs.length}>
      <p className="training-progress-text" data-testid="training-progress">
        {progressText(curves, live)}
      </p>
      {live && (
        <div className="progress training-progress" aria-hidden>
          <div className="progress-bar" style={{ width: `${Math.min(100, (done / span) * 100)}%` }} />
        </div>
      )}
      <div className="training-charts">
        <LineChart
          title="Loss (lower is better)"
          yLabel="Loss"
          epochs={epochs}
          span={span}
          scale={lossScale([...loss, ...valLoss])}
          series={[line('train-loss', loss, false), ...(hasValidation ? [line('validation-loss', valLoss, true)] : [])]}
          bestEpoch={curves.bestEpoch}
          format={formatLoss}
          formatTick={String}
        />
        <LineChart
          title="Accuracy (higher is better)"
          yLabel="Accuracy"
          epochs={epochs}
          span={span}
          scale={accuracyScale([...accuracy, ...valAccuracy])}
          series={[line('train-accuracy', accuracy, false), ...(hasValidation ? [line('validation-accuracy', valAccuracy, true)] : [])]}
          bestEpoch={curves.bestEpoch}
          format={formatAccuracy}
          formatTick={(tick) => `${Math.round(tick * 100)}%`}
        />
      </div>
      <TrainingLegend hasValidation={hasValidation} bestEpoch={curves.bestEpoch} />
      {curves.stoppedEarly && (
        <p className="training-stopped" data-testid="training-stopped-early">
          {curves.stoppedEarly}
        </p>
      )}
      {hasValidation && (
        <p className="muted small training-hint">
          When the validation line stops improving while the training line keeps getting better, the network has started to
          memorise its training images instead of learning what they have in common.
        </p>
      )}
    </div>
  );
}

const SPARK_W = 160;
const SPARK_H = 40;
const SPARK_PLOT_W = 112;
const SPARK_PAD = 4;

/** A tiny accuracy curve for the canvas node, so training progress shows without opening the results. */
export function TrainingSparkline({ curves }: { curves: Curves }) {
  const { epochs } = curves;
  const { values, validation } = headlineAccuracy(epochs);
  const span = epochSpan(curves);
  const scale = accuracyScale(values);
  const x = (epoch: number) => (span <= 1 ? SPARK_PLOT_W / 2 : SPARK_PAD + ((epoch - 1) / (span - 1)) * (SPARK_PLOT_W - 2 * SPARK_PAD));
  const y = (value: number) => SPARK_PAD + (1 - (value - scale.min) / (scale.max - scale.min || 1)) * (SPARK_H - 2 * SPARK_PAD);
  const shown = values.filter((value): value is number => value !== null && Number.isFinite(value));
  const latest = shown[shown.length - 1];
  const latestEpoch = epochs[values.lastIndexOf(latest ?? null)]?.epoch;
  const what = validation ? 'Validation accuracy' : 'Training accuracy';
  return (
    <svg
      className="training-sparkline"
      viewBox={`0 0 ${SPARK_W} ${SPARK_H}`}
      width={SPARK_W}
      height={SPARK_H}
      role="img"
      aria-label={`${what} per epoch`}
      data-testid="node-training-sparkline"
      data-points={shown.length}
    >
      <title>{`${what} per epoch${latest !== undefined ? `, latest ${formatAccuracy(latest)}` : ''}`}</title>
      <rect x={0} y={0} width={SPARK_PLOT_W} height={SPARK_H} className="sparkline-area" rx={3} />
      <polyline points={polylinePoints(epochs, values, x, y)} className="sparkline-line" />
      {latest !== undefined && latestEpoch !== undefined && <circle cx={x(latestEpoch)} cy={y(latest)} r={2.2} className="sparkline-dot" />}
      <text x={SPARK_W - 2} y={SPARK_H / 2 - 1} textAnchor="end" className="sparkline-value">
        {latest !== undefined ? formatAccuracy(latest) : '…'}
      </text>
      <text x={SPARK_W - 2} y={SPARK_H / 2 + 11} textAnchor="end" className="sparkline-label">
        {validation ? 'val. acc.' : 'accuracy'}
      </text>
    </svg>
  );
}
