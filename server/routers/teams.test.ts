import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../db/client';
import { openTestDatabase } from '../../db/test-fixtures';
import { insertRunRecords } from '../../db/runs';
import { TestPeople } from '../auth/test-people';
import { exportPipelineFile } from '../teams/service';
import { findTemplate } from '../templates';
import { appRouter } from './app';

let db: Db;
let caller: ReturnType<typeof appRouter.createCaller>;

beforeAll(async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pipelab-teams-router-'));
  process.env.PIPELAB_DATA_DIR = dir;
  db = await openTestDatabase();
  // These procedures never start a run, so no executor is needed.
  const people = new TestPeople(db);
  caller = appRouter.createCaller(people.context(await people.signUp('Olga Owner', 'olga@example.test')));
});

const graph = () => structuredClone(findTemplate('sales-forecast')!.graph);

describe('runs.cancel', () => {
  it('answers NOT_FOUND for a run that does not exist', async () => {
    await expect(caller.runs.cancel({ runId: 'no-such-run' })).rejects.toMatchObject({ code: 'NOT_FOUND', message: 'This run was not found.' });
  });
});

describe('teams procedures', () => {
  it('saves versions with a note, lists, shows, diffs and restores them', async () => {
    const saved = await caller.pipelines.save({ name: 'Sales', graph: graph() });
    expect(saved).toMatchObject({ version: 1 });
    const changed = graph();
    changed.nodes.find((n) => n.id === 'model')!.params = { degree: 2, l2: 0 };
    expect(await caller.pipelines.save({ id: saved.id, name: 'Sales', graph: changed, message: 'Curves' })).toMatchObject({ version: 2 });
    const versions = await caller.pipelines.versions({ id: saved.id });
    expect(versions.map((v) => [v.version, v.message])).toEqual([
      [2, 'Curves'],
      [1, ''],
    ]);
    expect((await caller.pipelines.version({ id: saved.id, version: 1 })).graph).toEqual(graph());
    const diff = await caller.pipelines.diffVersions({ id: saved.id, from: 1, to: 2 });
    expect(diff.nodes.find((n) => n.change !== 'same')).toEqual({ nodeId: 'model', title: 'Linear regression', change: 'changed', params: [{ param: 'degree', from: 1, to: 2 }] });
    expect(diff.diff.nodes.changed.map((n) => [n.id, n.title, n.params])).toEqual([['model', 'Linear regression', [{ name: 'degree', from: 1, to: 2 }]]]);
    const restored = await caller.pipelines.restoreVersion({ id: saved.id, version: 1 });
    expect(restored).toMatchObject({ version: 3, graph: graph() });
    expect((await caller.pipelines.versions({ id: saved.id }))[0].message).toBe('Restored version 1');
    await expect(caller.runs.search({ pageSize: 101 })).rejects.toMatchObject({ code: 'BAD_REQUEST' });
    await expect(caller.pipelines.versions({ id: 'nope' })).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(caller.pipelines.diffVersions({ id: saved.id, from: 1, to: 9 })).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });

  it('exports and imports, refusing bad files with BAD_REQUEST', async () => {
    const saved = await caller.pipelines.save({ name: 'To export', graph: graph() });
    const file = await exportPipelineFile(db, saved.id);
    expect(file.fileName).toBe('to-export-v1.pipelab.json');
    const result = await caller.pipelines.import({ text: file.text });
    expect(result.warnings).toEqual([]);
    // The workspace has "To export" already: the copy is "To export (2)", the next one "(3)".
    expect(result.pipeline).toMatchObject({ name: 'To export (2)', graph: graph() });
    expect((await caller.pipelines.import({ text: file.text })).pipeline.name).toBe('To export (3)');
    expect((await caller.pipelines.checkImport({ text: file.text })).ok).toBe(true);
    await expect(caller.pipelines.import({ text: '{"format": "pipelab-pipeline", "formatVersion": 2}' })).rejects.toMatchObject({
      code: 'BAD_REQUEST',
      message: expect.stringMatching(/newer Pipelab/),
    });
    await expect(caller.pipelines.import({ text: 'nope' })).rejects.toMatchObject({ code: 'BAD_REQUEST', message: expect.stringMatching(/^This is not a Pipelab pipeline file: it is not JSON text/) });
    await expect(caller.pipelines.import({ text: '' })).rejects.toMatchObject({ code: 'BAD_REQUEST', message: 'This is not a Pipelab pipeline file: the file is empty.' });
  });

  it('shares read-only, opens the link, duplicates from it and turns it off', async () => {
    const saved = await caller.pipelines.save({ name: 'Shared', graph: graph() });
    const link = await caller.pipelines.share({ id: saved.id });
    expect(link.url).toMatch(/^\/share\/[\w-]{32}$/);
    expect(await caller.pipelines.shareLinks({ id: saved.id })).toHaveLength(1);
    const shared = await caller.shares.get({ token: link.token });
    expect(shared).toMatchObject({ pipeline: { name: 'Shared', version: 1 }, runs: [] });
    // The read-only view carries no id a write call could use.
    expect(shared.pipeline).not.toHaveProperty('id');
    const copy = await caller.pipelines.duplicate({ shareToken: link.token });
    expect(copy.name).toBe('Shared (copy)');
    expect(await caller.pipelines.unshare({ id: saved.id })).toEqual({ ok: true, revoked: 1 });
    await expect(caller.shares.get({ token: link.token })).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });

  it('searches, compares and charts runs with the inputs the runs pages send', async () => {
    const saved = await caller.pipelines.save({ name: 'Searched', graph: graph() });
    const workspaceId = (await caller.account.me()).active!.id;
    await insertRunRecords(
      db,
      [0.7, 0.8, 0.9].map((r2, i) => ({
        run: { id: `s${i}`, workspaceId, pipelineId: saved.id, pipelineVersion: 1, label: `run ${i}`, origin: 'ui' as const, status: 'succeeded' as const, graph: graph(), startedAt: 1000 + i, durationMs: 10 },
        nodes: [],
        metrics: { r2, mae: 1 - r2 },
      })),
    );
    const page = await caller.runs.search({ page: 1, pageSize: 2, sort: { by: 'r2', direction: 'desc' }, filters: { pipelineId: saved.id, status: ['succeeded'] } });
    expect(page.rows.map((r) => r.id)).toEqual(['s2', 's1']);
    expect(page).toMatchObject({ total: 3, page: 1, pageSize: 2 });
    const choices = await caller.runs.searchChoices();
    expect(choices.metricNames).toEqual(['mae', 'r2']);
    expect(choices.pipelines.map((p) => p.name)).toContain('Searched');
    expect((await caller.runs.search()).total).toBeGreaterThanOrEqual(3);
    const comparison = await caller.runs.compare({ runIds: ['s0', 's2'] });
    expect(comparison.best).toEqual({ r2: 1, mae: 1 });
    expect(comparison.metricNames).toEqual(['mae', 'r2']);
    await expect(caller.runs.compare({ runIds: ['s0'] })).rejects.toMatchObject({ code: 'BAD_REQUEST' });
    const history = await caller.runs.metricHistory({ pipelineId: saved.id, metric: 'r2' });
    expect(history.map((p) => p.value)).toEqual([0.7, 0.8, 0.9]);
  });
});
