import type { CSSProperties } from 'react';
import { formatCount } from './format';
import { CHART_INK, confusionCellColor } from './theme';

const TABLE_STYLE: CSSProperties = { borderCollapse: 'collapse', fontSize: 13, margin: '4px 0', minWidth: 0, background: '#fff' };
const CELL_STYLE: CSSProperties = { border: `1px solid ${CHART_INK.border}`, padding: '8px 14px', textAlign: 'center' };
const HEAD_STYLE: CSSProperties = { ...CELL_STYLE, background: CHART_INK.tableHead, color: CHART_INK.muted, fontWeight: 600 };
const COUNT_STYLE: CSSProperties = { ...CELL_STYLE, fontVariantNumeric: 'tabular-nums', minWidth: 64, color: CHART_INK.text };

export const CONFUSION_NOTE = 'Green cells are right answers; red cells are mix-ups.';

interface ConfusionMatrixProps {
  classes: string[];
  matrix: number[][];
  /** The one-line key under the table; off where several tables share one key. */
  showNote?: boolean;
}

/**
 * Rows are the actual classes, columns the predicted ones; the diagonal holds the right answers. Right
 * answers are also bold, so a black-and-white print still tells them apart.
 */
export function ConfusionMatrix({ classes, matrix, showNote = true }: ConfusionMatrixProps) {
  const largest = Math.max(1, ...matrix.flat());
  const className = (index: number) => classes[index] ?? `class ${index + 1}`;
  return (
    <div className="confusion" data-testid="confusion-matrix" style={{ maxWidth: '100%', overflowX: 'auto' }}>
      <table className="confusion-table" style={TABLE_STYLE}>
        <thead>
          <tr>
            <th className="corner" style={{ ...HEAD_STYLE, fontSize: 11, fontWeight: 500 }}>
              Actual ↓ / Predicted →
            </th>
            {classes.map((label) => (
              <th key={label} scope="col" style={HEAD_STYLE}>
                {label}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {matrix.map((row, actual) => (
            <tr key={className(actual)}>
              <th scope="row" style={HEAD_STYLE}>
                {className(actual)}
              </th>
              {row.map((count, predicted) => {
                const right = actual === predicted;
                return (
                  <td
                    key={predicted}
                    className={right ? 'hit' : 'miss'}
                    style={{ ...COUNT_STYLE, fontWeight: right ? 700 : 500, background: confusionCellColor(count, largest, right) }}
                    data-actual={className(actual)}
                    data-predicted={className(predicted)}
                    title={`Actually ${className(actual)}, predicted ${className(predicted)}: ${formatCount(count)} rows`}
                  >
                    {right ? <strong>{formatCount(count)}</strong> : formatCount(count)}
                  </td>
                );
              })}
            </tr>
          ))}
        </tbody>
      </table>
      {showNote && <p style={{ color: CHART_INK.muted, fontSize: 12, margin: '4px 0 0' }}>{CONFUSION_NOTE}</p>}
    </div>
  );
}
