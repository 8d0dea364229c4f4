import { takeRows, type Column, type Frame } from '../../models/frame';
import type { ColumnSummary, TablePreview } from '../preview';
import type { TableValue } from '../values';
import { columnsFileFor, justParsedTable, openColumnsFile, readColumnsBlock, readStoredTable, type ColumnsLayout } from './columns-file';
import type { CsvReadResult } from './csv';
import { previewFromParts, summarizeColumn } from './summarize';
import { checkTargetColumn } from './table';

/**
 * A table kept on disk as a columns file, read a block of rows at a time: what a step that goes through
 * the rows once (Score new rows) reads instead of the whole table.
 */
export interface RowBlocks {
  rowCount: number;
  columnNames: string[];
  /** Rows [start, end) of every column. */
  read(start: number, end: number): Frame;
}

/**
 * Tables whose rows can be read in blocks, by the value a data source handed over. A step that builds a
 * new table from one (`{ ...table, frame }`) makes a new object, which is not here: only the untouched
 * table of a data source streams.
 */
const streamable = new WeakMap<TableValue, RowBlocks>();

/** The row blocks of a data source's table, when it is kept on disk and unchanged; undefined otherwise. */
export function rowBlocksOf(table: TableValue): RowBlocks | undefined {
  return streamable.get(table);
}

/**
 * The columns file of a stored table file, parsed (and the columns file written) first when it has none.
 * Returns the table itself instead when its columns file cannot be read back (a read-only folder).
 */
export async function openStoredTable(tableFile: string, fileName: string): Promise<{ layout: ColumnsLayout } | { table: CsvReadResult }> {
  const columnsFile = columnsFileFor(tableFile);
  const layout = openColumnsFile(columnsFile);
  if (layout) return { layout };
  const table = await readStoredTable(tableFile, fileName);
  const written = openColumnsFile(columnsFile);
  return written ? { layout: written } : { table };
}

/** Every row of one column, read alone. */
export function readWholeColumn(layout: ColumnsLayout, index: number): Column {
  return readColumnsBlock(layout, 0, layout.rowCount, [index]).columns[0];
}

/**
 * A data source's table whose frame is read from its columns file on first use, then kept: Score new rows
 * reads it a block at a time instead (rowBlocksOf), so a step that only streams never holds it whole.
 * The target column is checked by reading that column alone.
 */
export function storedTableValue(layout: ColumnsLayout, target: string, origin: string): TableValue {
  const names = layout.columns.map((c) => c.name);
  const chosen = target.trim() || null;
  if (chosen) checkTargetColumn(names, () => readWholeColumn(layout, names.indexOf(chosen)), chosen);
  // Held weakly: once the step that read it (a split) has taken its rows, a million-row table can go, even while
  // this value is still held (the output cache); a later reader reads it again. The table this process just
  // parsed (the command line's --input), while still in memory, is taken rather than a second copy.
  let held: WeakRef<Frame> | null = null;
  const load = () => {
    const kept = held?.deref();
    if (kept) return kept;
    const frame = justParsedTable(layout.file)?.frame ?? readColumnsBlock(layout, 0, layout.rowCount);
    held = new WeakRef(frame);
    return frame;
  };
  const table: TableValue = {
    get frame() {
      return load();
    },
    get source() {
      return load();
    },
    target: chosen,
    sourceTarget: chosen,
    steps: [],
    origin,
  };
  streamable.set(table, { rowCount: layout.rowCount, columnNames: names, read: (start, end) => readColumnsBlock(layout, start, end) });
  return table;
}

/** The summary of every column of a stored table, read one column at a time. */
export function storedColumnSummaries(layout: ColumnsLayout): ColumnSummary[] {
  return layout.columns.map((_, index) => summarizeColumn(readWholeColumn(layout, index)));
}

/** The preview of a stored table, its column summaries computed one column at a time. */
export function storedTablePreview(layout: ColumnsLayout, target: string | null, notes: string[], maxRows = 20): TablePreview {
  const columns = storedColumnSummaries(layout);
  const firstRows = readColumnsBlock(layout, 0, Math.min(maxRows, layout.rowCount));
  return previewFromParts({ rowCount: layout.rowCount, columns, firstRows, target }, maxRows, notes);
}

/** The chosen rows of a stored table, taken one column at a time (the whole table is never held). */
export function storedRows(layout: ColumnsLayout, rows: ArrayLike<number>): Frame {
  const columns = layout.columns.map((_, index) => takeRows({ columns: [readWholeColumn(layout, index)], rowCount: layout.rowCount }, rows).columns[0]);
  return { columns, rowCount: rows.length };
}
