import Papa from 'papaparse';
import type { Frame } from '../../models/frame';

/** A frame as RFC 4180 CSV text (comma-separated, quoted where needed), for downloads. */
export function frameToCsv(frame: Frame): string {
  const fields = frame.columns.map((c) => c.name);
  const data: (string | number)[][] = [];
  for (let row = 0; row < frame.rowCount; row++) {
    data.push(
      frame.columns.map((column) => {
        const value = column.values[row];
        if (column.type === 'number') return Number.isNaN(value as number) ? '' : (value as number);
        return (value as string | null) ?? '';
      }),
    );
  }
  return Papa.unparse({ fields, data }, { newline: '\n' });
}
