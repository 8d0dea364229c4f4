import fs from 'node:fs';
import path from 'node:path';

/**
 * An external sort of text lines by a number, largest first, ties in the order the lines came (their
 * index): what sorting a scored list by probability needs when the list is too long to hold. Lines are
 * collected in memory up to `runLines`, sorted and written to a run file; the runs are then merged, at
 * most `fanIn` at a time (more runs are first merged into fewer, longer ones), so memory holds one run's
 * lines while sorting and one 64 KB read buffer per run while merging (16 MB at most), however long the
 * list. Runs are short (a scored block): a line built cell by cell is a rope of small strings, about ten
 * times its length in memory until it is written. Sorting by (key descending, index ascending) is exactly
 * what a stable sort of the whole list by key gives.
 */
export interface SortedLine {
  key: number;
  index: number;
  line: string;
}

/** Per record on disk: key (float64), index (float64), byte length (uint32), then the line in UTF-8. */
const RECORD_HEAD = 20;
const READ_BUFFER = 64 * 1024;
const WRITE_BUFFER = 1024 * 1024;

const before = (a: SortedLine, b: SortedLine) => (a.key !== b.key ? a.key > b.key : a.index < b.index);

export class ExternalSort {
  private keys: number[] = [];
  private indices: number[] = [];
  private lines: string[] = [];
  private runs: string[] = [];
  private made = 0;

  constructor(
    private readonly dir: string,
    private readonly runLines = 5000,
    private readonly fanIn = 256,
  ) {
    fs.mkdirSync(dir, { recursive: true });
  }

  add(key: number, index: number, line: string): void {
    this.keys.push(key);
    this.indices.push(index);
    this.lines.push(line);
    if (this.lines.length >= this.runLines) this.spill();
  }

  /** Every line added, in order; the run files are removed as the merge ends (or fails). */
  *sorted(): Generator<SortedLine> {
    try {
      if (this.runs.length === 0) {
        yield* this.inMemory();
        return;
      }
      this.spill();
      while (this.runs.length > this.fanIn) {
        const group = this.runs.splice(0, this.fanIn);
        const writer = new RunWriter(this.nextRunFile());
        for (const record of mergeRuns(group)) writer.write(record);
        writer.close();
        this.runs.push(writer.file);
      }
      yield* mergeRuns(this.runs);
    } finally {
      this.dispose();
    }
  }

  /** Removes what is left on disk (a run that failed before its merge ended). */
  dispose(): void {
    for (const file of this.runs) fs.rmSync(file, { force: true });
    this.runs = [];
  }

  private *inMemory(): Generator<SortedLine> {
    for (const i of this.order()) yield { key: this.keys[i], index: this.indices[i], line: this.lines[i] };
    this.keys = [];
    this.indices = [];
    this.lines = [];
  }

  private order(): number[] {
    const { keys, indices } = this;
    return Array.from({ length: keys.length }, (_, i) => i).sort((a, b) => keys[b] - keys[a] || indices[a] - indices[b]);
  }

  private spill(): void {
    if (!this.lines.length) return;
    const writer = new RunWriter(this.nextRunFile());
    for (const record of this.inMemory()) writer.write(record);
    writer.close();
    this.runs.push(writer.file);
  }

  private nextRunFile(): string {
    return path.join(this.dir, `run-${this.made++}`);
  }
}

class RunWriter {
  private fd: number;
  private pending: Buffer[] = [];
  private pendingBytes = 0;

  constructor(readonly file: string) {
    this.fd = fs.openSync(file, 'w');
  }

  write({ key, index, line }: SortedLine): void {
    const text = Buffer.from(line, 'utf8');
    const head = Buffer.alloc(RECORD_HEAD);
    head.writeDoubleLE(key, 0);
    head.writeDoubleLE(index, 8);
    head.writeUInt32LE(text.byteLength, 16);
    this.pending.push(head, text);
    this.pendingBytes += RECORD_HEAD + text.byteLength;
    if (this.pendingBytes >= WRITE_BUFFER) this.flush();
  }

  close(): void {
    this.flush();
    fs.closeSync(this.fd);
  }

  private flush(): void {
    if (this.pending.length) fs.writeSync(this.fd, Buffer.concat(this.pending, this.pendingBytes));
    this.pending = [];
    this.pendingBytes = 0;
  }
}

/** Reads a run file's records in order through one small buffer. */
class RunReader {
  private fd: number;
  private buffer = Buffer.alloc(READ_BUFFER);
  private start = 0;
  private end = 0;
  private position = 0;
  current: SortedLine | null = null;

  constructor(readonly file: string) {
    this.fd = fs.openSync(file, 'r');
    this.advance();
  }

  advance(): void {
    if (!this.fill(RECORD_HEAD)) {
      this.close();
      return;
    }
    const key = this.buffer.readDoubleLE(this.start);
    const index = this.buffer.readDoubleLE(this.start + 8);
    const length = this.buffer.readUInt32LE(this.start + 16);
    if (!this.fill(RECORD_HEAD + length)) throw new Error(`A sorting file ended in the middle of a row (${this.file}).`);
    const line = this.buffer.toString('utf8', this.start + RECORD_HEAD, this.start + RECORD_HEAD + length);
    this.start += RECORD_HEAD + length;
    this.current = { key, index, line };
  }

  /** Closes and removes the run file (once its records are read, or when the merge stops early). */
  close(): void {
    this.current = null;
    if (this.fd < 0) return;
    fs.closeSync(this.fd);
    this.fd = -1;
    fs.rmSync(this.file, { force: true });
  }

  /** Makes `bytes` bytes available from `start`; false at the end of the file. */
  private fill(bytes: number): boolean {
    if (this.end - this.start >= bytes) return true;
    if (bytes > this.buffer.length) {
      const larger = Buffer.alloc(Math.max(bytes, 2 * this.buffer.length));
      this.buffer.copy(larger, 0, this.start, this.end);
      this.buffer = larger;
    } else this.buffer.copy(this.buffer, 0, this.start, this.end);
    this.end -= this.start;
    this.start = 0;
    while (this.end < bytes) {
      const read = fs.readSync(this.fd, this.buffer, this.end, this.buffer.length - this.end, this.position);
      if (read === 0) return false;
      this.end += read;
      this.position += read;
    }
    return true;
  }
}

/** The records of sorted run files, merged through a binary heap of one reader per run. */
function* mergeRuns(files: string[]): Generator<SortedLine> {
  const heap = files.map((file) => new RunReader(file)).filter((reader) => reader.current);
  const less = (a: RunReader, b: RunReader) => before(a.current!, b.current!);
  const siftDown = (i: number) => {
    for (;;) {
      const left = 2 * i + 1;
      const right = left + 1;
      let best = i;
      if (left < heap.length && less(heap[left], heap[best])) best = left;
      if (right < heap.length && less(heap[right], heap[best])) best = right;
      if (best === i) return;
      [heap[i], heap[best]] = [heap[best], heap[i]];
      i = best;
    }
  };
  for (let i = (heap.length >> 1) - 1; i >= 0; i--) siftDown(i);
  try {
    while (heap.length) {
      const top = heap[0];
      yield top.current!;
      top.advance();
      if (!top.current) {
        heap[0] = heap[heap.length - 1];
        heap.pop();
      }
      if (heap.length) siftDown(0);
    }
  } finally {
    for (const reader of heap) reader.close();
  }
}
