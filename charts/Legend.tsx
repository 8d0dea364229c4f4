import type { CSSProperties, ReactNode } from 'react';
import { CHART_INK } from './theme';

/**
 * Legends are HTML beside the SVG; their look is inline so the report needs no stylesheet for them. Only the
 * app makes entries clickable, so the buttons keep the app's `legend-button` class for their hover look.
 */

const LIST_STYLE: CSSProperties = {
  listStyle: 'none',
  margin: '6px 0 4px',
  padding: 0,
  display: 'flex',
  flexWrap: 'wrap',
  gap: '4px 14px',
  fontSize: 12,
};
const ITEM_STYLE: CSSProperties = { display: 'inline-flex', alignItems: 'center' };
const SWATCH_BASE: CSSProperties = { display: 'inline-block', width: 10, marginRight: 6, flexShrink: 0 };

export type SwatchKind = 'block' | 'line' | 'dashed-line' | 'marker';

export function Swatch({ color, kind = 'block' }: { color: string; kind?: SwatchKind }) {
  const look: CSSProperties =
    kind === 'block'
      ? { height: 10, borderRadius: 2, background: color, verticalAlign: -1 }
      : kind === 'marker'
        ? { width: 2, height: 12, background: color }
        : { height: 0, borderTop: `2px ${kind === 'dashed-line' ? 'dashed' : 'solid'} ${color}`, verticalAlign: 3 };
  return <span className="swatch" style={{ ...SWATCH_BASE, ...look }} aria-hidden />;
}

export interface LegendEntry {
  id: string;
  color: string;
  swatch?: SwatchKind;
  label: ReactNode;
  /** Shown muted after the label, e.g. "AUC 0.91". */
  extra?: string;
  muted?: boolean;
}

interface LegendProps {
  entries: LegendEntry[];
  selected?: string | null;
  /** When given, each entry is a button that picks its series. */
  onSelect?(id: string): void;
  testId?: string;
}

export function Legend({ entries, selected = null, onSelect, testId }: LegendProps) {
  return (
    <ul className="chart-legend" style={LIST_STYLE} data-testid={testId}>
      {entries.map((entry) => {
        const picked = entry.id === selected;
        const content = (
          <>
            <Swatch color={entry.color} kind={entry.swatch} />
            {entry.label}
            {entry.extra && <span style={{ color: CHART_INK.muted, marginLeft: 4 }}>{entry.extra}</span>}
          </>
        );
        return (
          <li
            key={entry.id}
            className={picked ? 'selected' : undefined}
            style={{ ...ITEM_STYLE, color: entry.muted ? CHART_INK.muted : undefined, fontWeight: picked ? 600 : undefined }}
          >
            {onSelect && !entry.muted ? (
              <button type="button" className="legend-button" onClick={() => onSelect(entry.id)}>
                {content}
              </button>
            ) : (
              content
            )}
          </li>
        );
      })}
    </ul>
  );
}
