'use client';

import { useCallback, useEffect, useRef, useState, useSyncExternalStore, type ReactNode } from 'react';
import { useEditor } from './store';
import styles from './EditorSheets.module.css';

/** Below this width the side panels leave the grid and open over the canvas; it matches the CSS media queries. */
const NARROW_QUERY = '(max-width: 899.98px)';

export type SheetId = 'steps' | 'settings' | 'results';

export const SHEET_LABELS: Record<SheetId, string> = { steps: 'Steps', settings: 'Step settings', results: 'Results' };

function subscribeNarrow(onChange: () => void) {
  const query = window.matchMedia(NARROW_QUERY);
  query.addEventListener('change', onChange);
  return () => query.removeEventListener('change', onChange);
}

/** True on phones and small tablets, where the canvas takes the whole screen. */
export function useNarrowScreen(): boolean {
  return useSyncExternalStore(
    subscribeNarrow,
    () => window.matchMedia(NARROW_QUERY).matches,
    () => false,
  );
}

/** Which panel is open over the canvas on a narrow screen; focus goes back to the button that opened it. */
export function useSheets(runBusy: boolean) {
  const narrow = useNarrowScreen();
  const [open, setOpen] = useState<SheetId | null>(null);
  const opener = useRef<HTMLElement | null>(null);

  const show = useCallback((sheet: SheetId) => {
    opener.current = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    setOpen(sheet);
  }, []);
  const close = useCallback(() => {
    setOpen(null);
    // After the sheet turns inert, so the focus does not land inside it.
    requestAnimationFrame(() => opener.current?.focus());
  }, []);

  // Turning the tablet to landscape shows every panel in place: nothing is left "open".
  useEffect(() => {
    if (!narrow) setOpen(null);
  }, [narrow]);

  useOpenResultsOnRun(narrow && runBusy, show);
  useCloseStepsOnAdd(open === 'steps', close);
  return { narrow, open: narrow ? open : null, show, close };
}

/** Pressing Run on a phone shows the run's progress and results straight away. */
function useOpenResultsOnRun(runStarted: boolean, show: (sheet: SheetId) => void) {
  useEffect(() => {
    if (runStarted) show('results');
  }, [runStarted, show]);
}

/** A step tapped in the drawer lands on the canvas: close the drawer so the person sees where. */
function useCloseStepsOnAdd(stepsOpen: boolean, close: () => void) {
  const count = useEditor((state) => state.nodes.length);
  const before = useRef(count);
  useEffect(() => {
    if (stepsOpen && count > before.current) close();
    before.current = count;
  }, [count, stepsOpen, close]);
}

/** The row of buttons that open the panels; shown only on narrow screens. */
export function SheetButtons({ sheets, ids }: { sheets: ReturnType<typeof useSheets>; ids: readonly SheetId[] }) {
  return (
    <nav className={styles.sheetButtons} aria-label="Editor panels">
      {ids.map((id) => (
        <button
          key={id}
          type="button"
          className="button"
          aria-haspopup="dialog"
          aria-expanded={sheets.open === id}
          aria-controls={`sheet-${id}`}
          onClick={() => sheets.show(id)}
          data-testid={`open-sheet-${id}`}
        >
          {SHEET_LABELS[id]}
        </button>
      ))}
    </nav>
  );
}

interface SheetProps {
  id: SheetId;
  sheets: ReturnType<typeof useSheets>;
  children: ReactNode;
}

/**
 * On a wide screen a sheet is invisible to layout (its panel sits in the editor grid). On a narrow one it
 * is a modal drawer (steps from the left, settings from the right) or a bottom sheet (results).
 */
export function Sheet({ id, sheets, children }: SheetProps) {
  const isOpen = sheets.open === id;
  const box = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (isOpen) box.current?.focus();
  }, [isOpen]);
  const label = SHEET_LABELS[id];
  return (
    <div
      ref={box}
      id={`sheet-${id}`}
      className={`${styles.sheet} ${styles[id]}`}
      data-open={isOpen}
      role={sheets.narrow ? 'dialog' : undefined}
      aria-modal={sheets.narrow ? true : undefined}
      aria-labelledby={sheets.narrow ? `sheet-${id}-title` : undefined}
      tabIndex={sheets.narrow ? -1 : undefined}
      inert={sheets.narrow && !isOpen}
      onKeyDown={(event) => {
        if (isOpen && event.key === 'Escape') sheets.close();
      }}
      data-testid={`sheet-${id}`}
    >
      {sheets.narrow && (
        <div className={styles.sheetHead}>
          <h2 id={`sheet-${id}-title`}>{label}</h2>
          <button type="button" className="button" onClick={sheets.close} data-testid={`close-sheet-${id}`}>
            Close
          </button>
        </div>
      )}
      {children}
    </div>
  );
}

/** Dims the canvas under an open sheet; a tap on it closes the sheet. */
export function SheetBackdrop({ sheets }: { sheets: ReturnType<typeof useSheets> }) {
  if (!sheets.open) return null;
  return <div className={styles.backdrop} onClick={sheets.close} aria-hidden data-testid="sheet-backdrop" />;
}
