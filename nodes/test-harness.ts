/** Test helpers: build small graphs compactly and run them with the real engine, nodes and file stores. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Db } from '../db/client';
import { openTestDatabase } from '../db/test-fixtures';
import { storeDataset, storedFiles } from '../server/datasets';
import { executeGraph, type ExecutionResult } from '../server/engine/execute';
import type { Graph } from './graph-document';
import { registry } from '../server/runs/registry';
import { initBackend } from '../server/tf-backend';

export async function useTempDataDir(): Promise<Db> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pipelab-test-'));
  process.env.PIPELAB_DATA_DIR = dir;
  return await openTestDatabase();
}

/** nodes: id → [type, params]; wires: "from.output -> to.input" */
export function graph(nodes: Record<string, [string, Record<string, unknown>?]>, wires: string[]): Graph {
  return {
    schemaVersion: 1,
    nodes: Object.entries(nodes).map(([id, [type, params]]) => ({ id, type, version: 1, params: params ?? {}, position: { x: 0, y: 0 } })),
    edges: wires.map((wire, i) => {
      const [from, to] = wire.split('->').map((s) => s.trim());
      const [source, sourceHandle] = from.split('.');
      const [target, targetHandle] = to.split('.');
      return { id: `w${i}`, source, sourceHandle, target, targetHandle };
    }),
  };
}

export async function run(g: Graph): Promise<ExecutionResult> {
  await initBackend();
  return executeGraph({ graph: g, registry, ...storedFiles });
}

export async function uploadCsv(db: Db, name: string, lines: string[]): Promise<string> {
  return (await storeDataset(db, name, new TextEncoder().encode(lines.join('\n')))).hash;
}

/** A deterministic customer table: spend and visits drive "bought"; region is noise. */
export function customerRows(count: number, seed = 1, withTarget = true): string[] {
  let state = seed;
  const random = () => ((state = (state * 1103515245 + 12345) % 2147483648) / 2147483648);
  const rows = [withTarget ? 'spend,visits,region,bought' : 'spend,visits,region'];
  for (let i = 0; i < count; i++) {
    const spend = Math.round(random() * 1000) / 10;
    const visits = Math.floor(random() * 20);
    const region = ['north', 'south', 'east'][Math.floor(random() * 3)];
    const bought = spend * 0.05 + visits * 0.3 + random() * 3 > 7 ? 'yes' : 'no';
    rows.push(withTarget ? `${spend},${visits},${region},${bought}` : `${spend},${visits},${region}`);
  }
  return rows;
}
