/**
 * Every size limit of the product, in one place: what a request, an upload, a graph or a file may hold.
 * It lives in the lowest layer so the zip reader, the node runs, the engine and the HTTP routes all read
 * the same numbers; docs/security.md lists them in plain words. Each refusal names its limit, through
 * `formatBytes` / `formatCount` below, e.g. "This zip would unpack to 3.1 GB; the limit is 2 GB".
 */

export const KiB = 1024;
export const MiB = 1024 * KiB;
export const GiB = 1024 * MiB;

export const LIMITS = {
  /** HTTP requests and answers. */
  http: {
    /** Calls in one tRPC batch request (the browser client batches at most this many). */
    batchCalls: 16,
    /** Body of one tRPC request (a graph, a pipeline file being imported). */
    trpcBodyBytes: 25 * MiB,
    /** Body of one prediction API request. */
    predictBodyBytes: 10 * MiB,
    /** Body of one post of real outcomes to a prediction API (JSON or CSV). */
    outcomesBodyBytes: 4 * MiB,
    /** Any one answer built in memory; larger files (exports, downloads) are streamed from disk instead. */
    responseBytes: 50 * MiB,
    /** The path and query string of a URL. */
    urlLength: 8 * KiB,
    /** Live run event streams (GET /api/runs/<id>/events) open at once in one server process; beyond that, 503. */
    runEventStreams: 500,
    /** Seconds a browser is told to wait (Retry-After) when every live run event stream is taken. */
    runEventStreamRetrySeconds: 10,
  },

  /** Files handed in through the upload route, checked in a worker thread before they are kept. */
  upload: {
    /**
     * A table (CSV or Parquet). 2 GB: a 1,000,000-row × 50-column export is about 300 MB, and a plain
     * export several times that is parsed well within a check's heap (its bytes and number columns live
     * outside it; measured for 1 GB in docs/benchmarks.md). Tables over 512 MB must be plain exports: see
     * `generalReaderBytes` below.
     */
    datasetBytes: 2 * GiB,
    imageArchiveBytes: 500 * MiB,
    modelBytes: 100 * MiB,
    /** A pipeline file being imported (with its bundled files, base64-encoded). */
    pipelineFileBytes: 20 * MiB,
  },

  /** Worker threads that parse and check uploads, so no upload blocks other requests or the server's memory. */
  fileCheck: {
    /** Threads at once; more uploads wait in line. */
    threads: 2,
    /** Uploads waiting for a thread; beyond that the upload is refused with "try again". */
    queue: 16,
    /**
     * Tables larger than this are checked one at a time (other files still use both threads): a check
     * holds the file and its number columns outside its heap, about 2.5 times a typical export's size.
     */
    largeTableBytes: 256 * MiB,
    /** Large tables in line for that turn, the one being checked included; beyond that "try again" (each waits on disk, up to 2 GB). */
    largeTableQueue: 4,
    /** Heap of one checking thread (V8 old generation); a file that needs more is refused. */
    heapMb: 2048,
    /** Wall-clock time one check may take (a CSV gets more, in step with its size, below). */
    timeoutMs: 120_000,
    /**
     * A CSV: the time above plus this per MB (1 GB: 4.5 minutes). Parsing is linear in the bytes, about
     * 35 ms per MB of CPU on the development machine, so this leaves room for a busy server.
     */
    tableMsPerMb: 150,
    /** A Parquet file: this, plus the time per MB below (a damaged page can send its reader round a loop). */
    parquetBaseMs: 10_000,
    parquetMsPerMb: 500,
  },

  /** Text a person types or a file carries. */
  text: {
    idLength: 200,
    nameLength: 200,
    descriptionLength: 5000,
    messageLength: 2000,
  },

  /** A pipeline's graph, checked without recursion before anything recursive reads it. */
  graph: {
    nodes: 500,
    edges: 2000,
    /** Nesting of objects and arrays anywhere in the graph document (node parameters included). */
    depth: 32,
    /** Values (objects, arrays, strings, numbers...) in the whole document. */
    values: 200_000,
  },

  /** Tables a data node reads. */
  table: {
    /**
     * A CSV the general reader (quoted fields, other separators, non-ASCII text) may take: it holds the
     * file as one string, and V8 strings stop at 2^29 - 24 characters (24 bytes short of this). Larger CSVs
     * are read only when they are plain exports, which the fast reader takes straight from the bytes.
     */
    generalReaderBytes: 512 * MiB,
    /** The largest "use at most N rows" sample a data node may be set to (0 means every row). */
    sampleRows: 10_000_000,
    /**
     * Cells (rows × columns) of a Parquet file, checked on its description before anything is unpacked: a
     * small, highly compressed file may claim billions of rows. 800 MB of number columns: about what a 600 MB
     * CSV export holds (1,000,000 × 50 is 308 MB and 51 million values); a Parquet file is far smaller than its CSV.
     */
    parquetCells: 100_000_000,
    /** Real exports hold far fewer values per byte, even columns of one repeated value; a file claiming more is damaged. */
    parquetCellsPerByte: 1000,
    parquetColumns: 10_000,
  },

  /** The prediction API. */
  predict: {
    /**
     * Rows of one request. 10,000 (about 2.4 MB of JSON for 50 columns, well within `predictBodyBytes`): one
     * request costs less per row than ten of a thousand (measured in docs/benchmarks.md). What a request holds
     * stays bounded by the body's bytes, `scoredRowsAtOnce` and `answerValues`.
     */
    rows: 10_000,
    /** Rows scored at a time within a request: the model's feature matrix never holds more. */
    scoredRowsAtOnce: 1000,
    /**
     * Values of one answer (rows × (id, prediction and each class's probability)): about 20 MB of JSON at most,
     * within `http.responseBytes`, whatever the number of classes.
     */
    answerValues: 1_000_000,
    /** Real outcomes in one post (JSON list or CSV lines). */
    outcomes: 10_000,
  },

  /** Explanations ("See why"): bounds on what they may cost. */
  explain: {
    /** Test rows permutation importance scores on; beyond, a seeded sample of this many. */
    importanceRows: 2000,
    /** The same for a support vector machine, whose every prediction weighs each support vector. */
    importanceKernelRows: 500,
    /** Times each column is shuffled. */
    importanceRepeats: 5,
    /** Training rows kept with a trained model for the sampled estimate to compare with. */
    backgroundRows: 50,
    /** Orders of the columns drawn per row by the sampled estimate. */
    shapleySamples: 16,
    /** Rows of one scored list explained by the sampled estimate (linear models and trees explain every row). */
    sampledRows: 200,
    /** Rows of one prediction API request that asks for reasons. */
    requestRows: 100,
    /** Test photos given an occlusion map. */
    occlusionPhotos: 4,
    /** The grey patch slides over a grid of this many positions per side. */
    occlusionGrid: 7,
  },
  /**
   * The prediction API of a photo model: every figure is checked before a photo is decoded, the pixel count
   * on the file's header alone, so a small file that would unpack to a huge picture (a decompression bomb)
   * is refused unread.
   */
  photoPredict: {
    /** Photos in one request. */
    images: 32,
    /** One photo file, as sent (before base64 encoding in JSON). */
    imageBytes: 8 * MiB,
    /** A whole request: multipart form or JSON with base64 photos. */
    bodyBytes: 48 * MiB,
    /** Width × height of one photo, read from its header. */
    pixels: 25_000_000,
    /** Longest side of one photo, read from its header. */
    side: 12_000,
  },

  /** Zips of photos: checked entry by entry, whatever each entry's size. */
  zip: {
    entries: 100_000,
    /** One file once unpacked. */
    entryBytes: 64 * MiB,
    /** All files once unpacked. */
    totalBytes: 2 * GiB,
    /** Unpacked-to-packed ratio of any file of 64 KiB or more, and of the whole zip. */
    ratio: 200,
    /** Entries below this size are too small for a meaningful ratio of their own; the whole zip's ratio covers them. */
    ratioMinBytes: 64 * KiB,
  },

  /** Searching a model's settings: each trial trains the model once per fold, so both are capped. */
  tuning: {
    /** Settings tried in one search (trials). */
    trials: 100,
    /** Folds each trial is scored on (k-fold cross-validation on the training rows). */
    folds: 10,
    /**
     * Threads scoring a search's trials at once, at most (the default is one fewer than the cores, and
     * PIPELAB_TUNING_THREADS sets it; 1 scores them one after another in the run's own thread).
     */
    threads: 8,
    /** Heap of one trial-scoring thread (V8 old generation); a trial that needs more fails with that reason. */
    threadHeapMb: 2048,
    /**
     * Feature values (rows × inputs × trials) below which a search scores its trials in the run's own thread:
     * starting a thread and loading the model in it takes a second or more, more than a small search gains.
     */
    threadMinValues: 2_000_000,
    /**
     * Memory of one network search's threads together: each holds TensorFlow.js with its WebAssembly memory
     * (`networkThreadBaseMb`) and, while it trains a try, copies of one fold's photos (about twice their
     * pixels' bytes); larger photo sets get fewer threads, down to trying the settings in turn.
     */
    networkThreadsMb: 4096,
    /** A network search thread's own share: about 115 MB measured once started, more as its wasm memory grows. */
    networkThreadBaseMb: 200,
    /**
     * Pixel values a network's tries train on (photos' pixels × (folds − 1) × epochs × trials) below which
     * they are trained in the run's own thread: a thread takes about 2 s of CPU to load TensorFlow.js and
     * start its backend (scripts/bench-thread-start.mjs); at 10 million values (about 7 s in turn with the
     * default layers) 2 threads were no faster even on an idle 2-core machine (docs/benchmarks.md).
     */
    networkThreadMinValues: 40_000_000,
  },

  /** A trained model file (uploaded, bundled in a pipeline file, or read by a Saved model node). */
  modelFile: {
    /** Numbers in one array of weights, coefficients or tree nodes. */
    arrayLength: 20_000_000,
    /** Nesting of objects and arrays in the file. */
    depth: 64,
    /** Columns of a linear regression once its polynomial terms are expanded, as many as it will fit. */
    polynomialTerms: 400,
    /** One text value the model learned from the data: a class label, a one-hot category, a fill value. */
    valueLength: 1000,
  },
} as const;

/** 3.1 GB, 12.0 MB, 512 KB, 900 bytes: sizes as people read them. */
export function formatBytes(bytes: number): string {
  if (bytes >= GiB) return `${trim(bytes / GiB)} GB`;
  if (bytes >= MiB) return `${trim(bytes / MiB)} MB`;
  if (bytes >= KiB) return `${trim(bytes / KiB)} KB`;
  return `${bytes} byte${bytes === 1 ? '' : 's'}`;
}

/** 100,000 rather than 100000. */
export function formatCount(count: number): string {
  return count.toLocaleString('en-US');
}

function trim(value: number): string {
  return Number.isInteger(value) ? String(value) : value.toFixed(1);
}

/** "This file is 3.1 GB; the limit is 2 GB." */
export function sizeRefusal(what: string, bytes: number, limit: number, verb = 'is'): string {
  return `${what} ${verb} ${formatBytes(bytes)}; the limit is ${formatBytes(limit)}.`;
}
