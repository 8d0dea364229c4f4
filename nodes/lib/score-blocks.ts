import path from 'node:path';
import fs from 'node:fs';
import { randomUUID } from 'node:crypto';
import { takeRows, type Column, type Frame } from '../../models/frame';
import type { Estimator } from '../../models/estimator';
import { restoreEstimator } from '../../models/estimators';
import { LIMITS } from '../../models/limits';
import type { ExplanationMethod } from '../../models/explain/explainer';
import type { ArtifactRef, ArtifactStore, NodeContext } from '../define';
import type { TablePreview } from '../preview';
import type { ModelValue } from '../values';
import { csvCell, csvRow } from './csv-write';
import { isTreeOrLinear } from './explanations';
import { artifactsRoot } from './paths';
import { predictColumns, reasonColumns, reasonsNote, withoutReasonColumns, withReasons } from './score-rows';
import { scoredFrame } from './score-stream';
import { ExternalSort } from './sorted-runs';
import type { RowBlocks } from './stored-table';
import { ColumnTally, previewFromParts } from './summarize';

/** Rows read, scored and written at a time, as `pipelab score` does. */
export const SCORE_BLOCK_ROWS = 5000;
/** Rows of the preview, as tablePreview shows. */
const PREVIEW_ROWS = 20;

/** Rows per block read, and the external sort's run length and fan-in (smaller in tests, to exercise every path). */
export interface BlockSizes {
  blockRows?: number;
  runLines?: number;
  fanIn?: number;
}

export interface ScoreOptions {
  sortByProbability: boolean;
  addReasons: boolean;
}

export interface StreamedScoring {
  /** The first rows of the scored list (in its final order) with every column, and every column's summary. */
  preview: TablePreview;
  rowCount: number;
  unscored: number;
  notes: string[];
  /** The scored CSV, byte for byte the file frameToCsvPieces writes from the whole scored table. */
  stored: ArtifactRef;
}

/**
 * Score new rows on a table read a block at a time (a data source's kept columns): each block is scored
 * with the model, and written to the scored CSV in pieces; the file is byte for byte the one the whole
 * table gives. Memory holds a block, the first rows (the preview, and the rows a sampled estimate explains)
 * and running column summaries. "Most likely first" sorts each block and sorts the rendered rows on disk
 * (ExternalSort); "the top three reasons" are found per block, except a sampled estimate's, which explains
 * the first rows of the final list only and so waits for them.
 */
export function scoreRowBlocks(
  model: ModelValue,
  blocks: RowBlocks,
  options: ScoreOptions,
  file: { artifacts: ArtifactStore; fileName: string },
  ctx: Pick<NodeContext, 'signal' | 'progress'>,
  sizes: BlockSizes = {},
): StreamedScoring {
  const run = new BlockScoring(model, blocks, options, sizes, ctx);
  let stored: ArtifactRef | undefined;
  const result = run.score((pieces) => (stored = file.artifacts.write(file.fileName, pieces)));
  return { ...result, stored: stored! };
}

/** Probability of the second class, largest first, missing last: the "Most likely first" order. */
const sortKey = (p: number) => (Number.isNaN(p) ? -1 : p);

class BlockScoring {
  private readonly estimator: Estimator;
  private readonly sorted: boolean;
  /** Reasons of a sampled estimate: found for the first rows of the final list only, at the end. */
  private readonly sampledReasons: boolean;
  /** The first rows of the final list so far (the preview's, and those a sampled estimate explains), with their keys. */
  private top: { frame: Frame; keys: number[]; indices: number[] } | null = null;
  private readonly keep: number;
  private readonly blockRows: number;
  private tallies: ColumnTally[] | null = null;
  private header: string[] | null = null;
  private unscored = 0;
  private explained = 0;
  private method: ExplanationMethod | null = null;

  constructor(
    private readonly model: ModelValue,
    private readonly blocks: RowBlocks,
    private readonly options: ScoreOptions,
    private readonly sizes: BlockSizes,
    private readonly ctx: Pick<NodeContext, 'signal' | 'progress'>,
  ) {
    // The first block must hold the rows a sampled estimate explains when the list is not sorted.
    this.blockRows = Math.max(sizes.blockRows ?? SCORE_BLOCK_ROWS, LIMITS.explain.sampledRows);
    this.estimator = restoreEstimator(model.estimator);
    this.sorted = options.sortByProbability && model.task === 'classification' && model.classes.length === 2;
    this.sampledReasons = options.addReasons && !isTreeOrLinear(this.estimator);
    this.keep = this.sampledReasons ? Math.max(PREVIEW_ROWS, LIMITS.explain.sampledRows) : PREVIEW_ROWS;
  }

  score(write: (pieces: Iterable<string>) => void): Omit<StreamedScoring, 'stored'> {
    if (!this.sorted) write(this.inOrder());
    else {
      const dir = path.join(artifactsRoot(), 'tmp', `score-${randomUUID()}`);
      try {
        const sort = new ExternalSort(dir, this.sizes.runLines, this.sizes.fanIn);
        for (const block of this.scoredBlocks()) {
          for (let row = 0; row < block.frame.rowCount; row++) sort.add(block.keys[row], block.indices[row], csvRow(block.frame, row));
        }
        const reasonCells = this.sampledReasons ? this.reasonsOfTop() : null;
        write(this.merged(sort, reasonCells));
      } finally {
        fs.rmSync(dir, { recursive: true, force: true });
      }
    }
    return this.result();
  }

  /** The scored CSV in the table's order: the header, then each block's rows. */
  private *inOrder(): Generator<string> {
    for (const block of this.scoredBlocks()) {
      let text = this.header ? '' : this.headerText(block.frame);
      for (let row = 0; row < block.frame.rowCount; row++) text += `\n${csvRow(block.frame, row)}`;
      yield text;
    }
    if (!this.header) yield this.headerText(this.emptyFrame());
  }

  /** The scored CSV in "most likely first" order, from the sorted rows; the sampled reasons follow the first rows. */
  private *merged(sort: ExternalSort, reasonCells: string[] | null): Generator<string> {
    let text = this.header ? this.header.map(csvCell).join(',') : this.headerText(this.emptyFrame());
    let position = 0;
    for (const { line } of sort.sorted()) {
      text += `\n${line}`;
      if (reasonCells) text += reasonCells[position] ?? ',,,';
      position++;
      if (text.length >= 1 << 20) {
        yield text;
        text = '';
      }
    }
    yield text;
  }

  private headerText(frame: Frame): string {
    const names = frame.columns.map((c) => c.name);
    this.header = this.sampledReasons && this.sorted ? [...names, 'reason 1', 'reason 2', 'reason 3'] : names;
    return this.header.map(csvCell).join(',');
  }

  /** The scored columns of a table with no rows, for the header of an empty list. */
  private emptyFrame(): Frame {
    return this.scoreBlock(this.blocks.read(0, 0), 0).frame;
  }

  private *scoredBlocks(): Generator<{ frame: Frame; keys: number[]; indices: number[] }> {
    const { rowCount } = this.blocks;
    for (let start = 0; start < rowCount; start += this.blockRows) {
      if (this.ctx.signal.aborted) throw new Error('Cancelled by the user');
      const end = Math.min(rowCount, start + this.blockRows);
      const block = this.scoreBlock(this.blocks.read(start, end), start);
      this.tally(block.frame);
      this.keepTop(block);
      // About fifty updates however long the list: each one is an event the run's watchers receive.
      if (Math.floor((50 * end) / rowCount) > Math.floor((50 * start) / rowCount)) {
        this.ctx.progress(end / rowCount, `Scored ${end.toLocaleString('en-US')} of ${rowCount.toLocaleString('en-US')} rows`);
      }
      yield block;
    }
  }

  /** One block scored (sorted, and with exact reasons, when asked), as the whole table would be. */
  private scoreBlock(raw: Frame, start: number): { frame: Frame; keys: number[]; indices: number[] } {
    const { columns, unscored } = predictColumns(this.model, raw, this.estimator);
    this.unscored += unscored;
    let frame = scoredFrame(raw, columns);
    let indices = Array.from({ length: raw.rowCount }, (_, i) => start + i);
    let keys: number[] = [];
    if (this.sorted) {
      const p = columns[1].values as Float64Array;
      const order = indices.map((_, i) => i).sort((a, b) => sortKey(p[b]) - sortKey(p[a]));
      frame = takeRows(frame, order);
      keys = order.map((i) => sortKey(p[i]));
      indices = order.map((i) => start + i);
    }
    if (this.options.addReasons) frame = this.withBlockReasons(frame, start);
    return { frame, keys, indices };
  }

  /**
   * Exact reasons explain every row, so each block is explained alone. A sampled estimate explains the
   * first rows of the list: without sorting those are the first block's (explained here, the others get
   * none); sorted, they are known only at the end (reasonsOfTop).
   */
  private withBlockReasons(frame: Frame, start: number): Frame {
    if (!this.sampledReasons || start === 0) {
      if (this.sampledReasons && this.sorted) return { columns: withoutReasonColumns(frame.columns), rowCount: frame.rowCount };
      const explained = withReasons(this.model, frame, this.estimator);
      this.explained += explained.found.explained;
      // A block without a row to explain says "sampled", as the whole table does when no row has reasons.
      if (explained.found.explained > 0) this.method = explained.found.method;
      return explained.frame;
    }
    if (this.sorted) return { columns: withoutReasonColumns(frame.columns), rowCount: frame.rowCount };
    const none = reasonColumns(Array.from({ length: frame.rowCount }, () => []));
    return { columns: [...withoutReasonColumns(frame.columns), ...none], rowCount: frame.rowCount };
  }

  /** Sorted with a sampled estimate: the first rows of the final list explained, as the cells each line ends with. */
  private reasonsOfTop(): string[] {
    const top = this.top?.frame ?? this.emptyFrame();
    const explained = withReasons(this.model, top, this.estimator);
    this.explained = explained.found.explained;
    this.method = explained.found.method;
    const reasons = explained.frame.columns.slice(-3);
    this.top = this.top && { ...this.top, frame: explained.frame };
    this.tallies ??= top.columns.map((column) => new ColumnTally(column.name, column.type));
    const tallies = reasons.map((column) => new ColumnTally(column.name, 'category'));
    tallies.forEach((tally, k) => {
      tally.add(reasons[k]);
      tally.addMissing(this.blocks.rowCount - top.rowCount);
    });
    this.tallies.push(...tallies);
    return Array.from({ length: top.rowCount }, (_, row) => reasons.map((column) => `,${csvCell(column.values[row])}`).join(''));
  }

  private tally(frame: Frame): void {
    this.tallies ??= frame.columns.map((column) => new ColumnTally(column.name, column.type));
    frame.columns.forEach((column, c) => this.tallies![c].add(column));
  }

  /** Keeps the first rows of the final list: the first block's, or when sorting, the best of those seen. */
  private keepTop(block: { frame: Frame; keys: number[]; indices: number[] }): void {
    if (this.top && !this.sorted) return;
    const take = (frame: Frame, rows: number[]) => takeRows(frame, rows);
    const blockTop = Array.from({ length: Math.min(this.keep, block.frame.rowCount) }, (_, i) => i);
    if (!this.top) {
      this.top = { frame: take(block.frame, blockTop), keys: blockTop.map((i) => block.keys[i]), indices: blockTop.map((i) => block.indices[i]) };
      return;
    }
    const current = this.top;
    const frame = concatFrames(current.frame, take(block.frame, blockTop));
    const keys = [...current.keys, ...blockTop.map((i) => block.keys[i])];
    const indices = [...current.indices, ...blockTop.map((i) => block.indices[i])];
    const best = keys.map((_, i) => i).sort((a, b) => keys[b] - keys[a] || indices[a] - indices[b]).slice(0, this.keep);
    this.top = { frame: take(frame, best), keys: best.map((i) => keys[i]), indices: best.map((i) => indices[i]) };
  }

  private result(): Omit<StreamedScoring, 'stored'> {
    const rowCount = this.blocks.rowCount;
    const notes = [
      `${(rowCount - this.unscored).toLocaleString('en-US')} rows scored by ${this.model.title}.`,
      ...(this.unscored ? [`${this.unscored.toLocaleString('en-US')} rows were not scored: they have empty cells the model's cleaning step drops.`] : []),
    ];
    if (this.options.addReasons) notes.push(reasonsNote(this.method ?? 'sampled', rowCount, this.explained));
    const firstRows = this.top?.frame ?? this.emptyFrame();
    const columns = (this.tallies ?? firstRows.columns.map((c) => new ColumnTally(c.name, c.type))).map((tally) => tally.summary());
    const preview = previewFromParts({ rowCount, columns, firstRows, target: null }, PREVIEW_ROWS, notes);
    return { preview, rowCount, unscored: this.unscored, notes };
  }
}

/** Two frames with the same columns, one after the other. */
function concatFrames(a: Frame, b: Frame): Frame {
  const columns = a.columns.map((column, c): Column => {
    const other = b.columns[c];
    if (column.type === 'number') {
      const values = new Float64Array(a.rowCount + b.rowCount);
      values.set(column.values);
      values.set(other.values as Float64Array, a.rowCount);
      return { name: column.name, type: 'number', values };
    }
    return { name: column.name, type: 'category', values: [...column.values, ...(other.values as (string | null)[])] };
  });
  return { columns, rowCount: a.rowCount + b.rowCount };
}
