// Types of csv-scan.mjs (plain JavaScript so that worker threads load it without the TypeScript loader).

export const LINE_FEED: number;
export const CARRIAGE_RETURN: number;
export const MISSING_MARKERS: Set<string>;
export function isBlank(byte: number): boolean;
export function asciiText(bytes: Uint8Array, start: number, end: number): string;
export function isPlainAscii(bytes: Uint8Array, start: number, end: number): boolean;
export function isMissingMarker(bytes: Uint8Array, from: number, to: number): boolean;
export function parsePlainNumber(bytes: Uint8Array, from: number, to: number): number;

/** What one scan read: sent between threads as it is. Text codes are stored plus one (0 = none). */
export interface ScanPart {
  rowCount: number;
  /** Null when the part's values are where its shared columns put them. */
  values: Float64Array[] | null;
  numeric: Float64Array;
  text: Float64Array;
  containsComma: Uint8Array;
  texts: ({ codes: Int32Array; dictionary: string[] } | null)[];
}

/** Columns in shared memory for a file cut into parts: part k's rows start at row starts[k] (starts has one entry more than parts). */
export interface SharedColumns {
  buffers: SharedArrayBuffer[];
  starts: number[];
}
export function sharedColumns(width: number, capacities: number[]): SharedColumns;
export function sharedPart(shared: SharedColumns, part: number): Float64Array[];

export class PlainScan {
  constructor(width: number, capacity: number, delimiter: number, columns?: Float64Array[] | null);
  readonly width: number;
  rowCount: number;
  readonly values: Float64Array[];
  readonly inPlace: boolean;
  readonly numeric: Float64Array;
  readonly text: Float64Array;
  readonly containsComma: Uint8Array;
  scan(bytes: Uint8Array, start: number, end: number): boolean;
  part(): ScanPart;
  appendAll(parts: ScanPart[], shared: SharedColumns | null): void;
  codesOf(column: number): { codes: Int32Array; dictionary: string[] };
}

export function transferablesOf(part: ScanPart): ArrayBuffer[];
export function forEachLines(fd: number, from: number, to: number, chunkBytes: number, onLines: (bytes: Buffer, start: number, end: number) => boolean): boolean;

export interface RangeJob {
  file: string;
  from: number;
  to: number;
  width: number;
  /** The separator's byte. */
  delimiter: number;
  /** A guess at the rows in the range. */
  capacity: number;
  chunkBytes: number;
  /** Where the part's rows go, when the file's parts share their columns; `capacity` is then that part's room there. */
  shared?: SharedColumns | null;
  /** The part's number, counting from the first part of the file. */
  part?: number;
}
export function scanFileRange(job: RangeJob): ScanPart | null;
