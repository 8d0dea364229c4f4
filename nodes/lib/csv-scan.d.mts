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
  values: Float64Array[];
  numeric: Float64Array;
  text: Float64Array;
  containsComma: Uint8Array;
  texts: ({ codes: Int32Array; dictionary: string[] } | null)[];
}

export class PlainScan {
  constructor(width: number, capacity: number, delimiter: number);
  readonly width: number;
  rowCount: number;
  readonly values: Float64Array[];
  readonly numeric: Float64Array;
  readonly text: Float64Array;
  readonly containsComma: Uint8Array;
  scan(bytes: Uint8Array, start: number, end: number): boolean;
  part(): ScanPart;
  append(part: ScanPart): void;
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
}
export function scanFileRange(job: RangeJob): ScanPart | null;
