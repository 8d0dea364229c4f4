import type { EpochStats, TrainingCurves as Curves } from '../../../nodes/preview';
import { formatDuration, formatNumber, formatPercent } from '../../_components/format';
import { seriesColor } from './palette';
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

const WIDTH = 300;
const HEIGHT = 180;
const LEFT = 42;
const RIGHT = 12;
const TOP = 12;
const BOTTOM = 34;
const PLOT_W = WIDTH - LEFT - RIGHT;
const PLOT_H = HEIGHT - TOP - BOTTOM;
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

function LineChart({ title, yLabel, epochs, span, scale, series, bestEpoch, format, formatTick }: LineChartProps) {
  // With a single planned epoch there is no width to spread over: the point sits in the middle.
  const x = (epoch: number) => (span <= 1 ? LEFT + PLOT_W / 2 : LEFT + ((epoch - 1) / (span - 1)) * PLOT_W);
  const y = (value: number) => TOP + (1 - (value - scale.min) / (scale.max - scale.min || 1)) * PLOT_H;
  return (
    <figure className="chart training-chart">
      <figcaption className="training-chart-title">{title}</figcaption>
      <svg viewBox={`0 0 ${WIDTH} ${HEIGHT}`} width={WIDTH} height={HEIGHT} role="img" aria-label={`${title} per epoch`}>
        <rect x={LEFT} y={TOP} width={PLOT_W} height={PLOT_H} className="plot-area" />
        {scale.ticks.map((tick) => (
          <g key={`y${tick}`}>
            <line x1={LEFT} x2={LEFT + PLOT_W} y1={y(tick)} y2={y(tick)} className="grid-line" />
            <text x={LEFT - 6} y={y(tick) + 3} textAnchor="end" className="tick">
              {formatTick(tick)}
            </text>
          </g>
        ))}
        {epochTicks(span).map((epoch) => (
          <text key={`x${epoch}`} x={x(epoch)} y={TOP + PLOT_H + 14} textAnchor="middle" className="tick">
            {epoch}
          </text>
        ))}
        <text x={LEFT + PLOT_W / 2} y={HEIGHT - 4} textAnchor="middle" className="axis-label">
          Epoch
        </text>
        <text x={11} y={TOP + PLOT_H / 2} textAnchor="middle" className="axis-label" transform={`rotate(-90 11 ${TOP + PLOT_H / 2})`}>
          {yLabel}
        </text>
        {bestEpoch !== undefined && bestEpoch >= 1 && bestEpoch <= span && (
          <g className="best-marker" data-testid="best-epoch-marker">
            <title>{`Epoch ${bestEpoch}: the weights kept`}</title>
            <line x1={x(bestEpoch)} x2={x(bestEpoch)} y1={TOP} y2={TOP + PLOT_H} stroke={BEST_COLOR} />
            <text x={x(bestEpoch) + 3} y={TOP + 9} className="best-label" fill={BEST_COLOR}>
              kept
            </text>
          </g>
        )}
        {epochs.length === 0 && (
          <text x={LEFT + PLOT_W / 2} y={TOP + PLOT_H / 2} textAnchor="middle" className="tick">
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
        className={`training-line${line.dashed ? ' dashed' : ''}`}
        stroke={line.color}
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

function Legend({ hasValidation, bestEpoch }: { hasValidation: boolean; bestEpoch?: number }) {
  return (
    <ul className="chart-legend training-legend">
      <li>
        <span className="swatch swatch-line" style={{ borderTopColor: TRAIN_COLOR }} aria-hidden />
        Training images
      </li>
      {hasValidation && (
        <li>
          <span className="swatch swatch-line swatch-line-dashed" style={{ borderTopColor: VALIDATION_COLOR }} aria-hidden />
          Validation images (held back)
        </li>
      )}
      {bestEpoch !== undefined && (
        <li>
          <span className="swatch swatch-marker" style={{ background: BEST_COLOR }} aria-hidden />
          Weights kept from epoch {bestEpoch}
        </li>
      )}
    </ul>
  );
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
      <Legend hasValidation={hasValidation} bestEpoch={curves.bestEpoch} />
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
