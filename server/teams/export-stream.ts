import fs from 'node:fs';
import { Readable } from 'node:stream';
import type { Db } from '../../db/client';
import type { PipelineExportFile } from '../api-types';
import { fileParams } from './transfer';
import { pipelineExport } from './service';
import { nodeLookup, storedFilePath } from './stored-files';

/** Bytes read from disk at a time; a multiple of 3, so each chunk's base64 joins the next one's cleanly. */
const CHUNK_BYTES = 3 * 64 * 1024;

export interface ExportDownload {
  fileName: string;
  body: ReadableStream<Uint8Array>;
}

/**
 * A pipeline export file as a stream, with the uploaded files it uses bundled (base64) when asked. The
 * files are read from disk a chunk at a time while the answer is sent, so exporting a pipeline with a
 * large dataset holds one chunk in memory, never the file or the export. The bytes equal
 * `serializeExport` of the same file with its bundle filled in.
 */
export async function exportPipelineDownload(db: Db, pipelineId: string, options: { version?: number; bundleFiles?: boolean } = {}, now = Date.now()): Promise<ExportDownload> {
  const { fileName, file } = await pipelineExport(db, pipelineId, { version: options.version }, now);
  const bundled = options.bundleFiles ? bundledFiles(file) : null;
  const encoder = new TextEncoder();
  async function* pieces(): AsyncGenerator<Uint8Array> {
    const head = JSON.stringify(file, null, 2);
    if (!bundled) {
      yield encoder.encode(`${head}\n`);
      return;
    }
    // The head ends with "\n}"; the bundle goes in as the last key, as JSON.stringify would place it.
    yield encoder.encode(`${head.slice(0, -2)},\n  "bundle": {`);
    let first = true;
    for (const { hash, path } of bundled) {
      yield encoder.encode(`${first ? '' : ','}\n    ${JSON.stringify(hash)}: "`);
      yield* base64Of(path);
      yield encoder.encode('"');
      first = false;
    }
    yield encoder.encode(`${first ? '}' : '\n  }'}\n}\n`);
  }
  return { fileName, body: Readable.toWeb(Readable.from(pieces(), { objectMode: false })) as ReadableStream<Uint8Array> };
}

/** The stored files the pipeline refers to, once each, skipping any no longer stored (as exportPipeline does). */
function bundledFiles(file: PipelineExportFile): { hash: string; path: string }[] {
  const found: { hash: string; path: string }[] = [];
  const seen = new Set<string>();
  for (const ref of fileParams(file.graph, nodeLookup())) {
    if (seen.has(ref.hash)) continue;
    seen.add(ref.hash);
    const path = storedFilePath(ref.kind, ref.hash);
    if (path && fs.existsSync(path)) found.push({ hash: ref.hash, path });
  }
  return found;
}

async function* base64Of(path: string): AsyncGenerator<Uint8Array> {
  let carry: Buffer = Buffer.alloc(0);
  for await (const chunk of fs.createReadStream(path, { highWaterMark: CHUNK_BYTES })) {
    const bytes: Buffer = carry.length ? Buffer.concat([carry, chunk as Buffer]) : (chunk as Buffer);
    const whole = bytes.length - (bytes.length % 3);
    carry = bytes.subarray(whole);
    yield Buffer.from(bytes.subarray(0, whole).toString('base64'));
  }
  if (carry.length) yield Buffer.from(carry.toString('base64'));
}
