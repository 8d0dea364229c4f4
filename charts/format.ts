/**
 * How durations, dates and metric values read, the same in the app and in the HTML report. The app's
 * `app/_components/format.ts` re-exports these beside its UI-only helpers; the report imports them here.
 */

/** Shown where there is no value, so an empty cell reads as "nothing" rather than as a missing page part. */
export const NO_VALUE = '—';

/** "850 ms", "4.25 s", "12.3 s", "3 min 05 s", "2 h 05 min". */
export function formatDuration(ms: number | null | undefined): string {
  if (ms === null || ms === undefined || !Number.isFinite(ms)) return NO_VALUE;
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 10_000) return `${(ms / 1000).toFixed(2)} s`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  const totalSeconds = Math.round(ms / 1000);
  const minutes = Math.floor(totalSeconds / 60);
  const seconds = totalSeconds % 60;
  if (minutes < 60) return `${minutes} min ${String(seconds).padStart(2, '0')} s`;
  return `${Math.floor(minutes / 60)} h ${String(minutes % 60).padStart(2, '0')} min`;
}

/** "2026-11-24 08:15 UTC": the same for every reader wherever they are, as a printed report needs. */
export function formatDate(ms: number | null | undefined): string {
  if (ms === null || ms === undefined || !Number.isFinite(ms)) return NO_VALUE;
  const iso = new Date(ms).toISOString();
  return `${iso.slice(0, 10)} ${iso.slice(11, 16)} UTC`;
}

/** A score or any measured number: "0.912", "42", "12,345.7", "3.20e-5"; a dash when there is none. */
export function formatNumber(value: number | null | undefined, digits = 3): string {
  if (value === null || value === undefined || Number.isNaN(value)) return NO_VALUE;
  if (!Number.isFinite(value)) return value > 0 ? '∞' : '−∞';
  if (Number.isInteger(value)) return value.toLocaleString('en-US');
  const abs = Math.abs(value);
  if (abs >= 1000) return value.toLocaleString('en-US', { maximumFractionDigits: 1 });
  if (abs > 0 && abs < 0.001) return value.toExponential(2);
  return value.toFixed(digits);
}

/** A count of rows or cells: "1,250". */
export function formatCount(value: number): string {
  return value.toLocaleString('en-US');
}
