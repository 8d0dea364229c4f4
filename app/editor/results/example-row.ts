import type { RunDetail } from '../../../server/api-types';
import type { NodePreview, TablePreview } from '../../../nodes/preview';

export type ExampleRow = Record<string, string | number | null>;

function tableOf(preview: NodePreview | null | undefined): TablePreview | null {
  if (!preview) return null;
  if (preview.kind === 'table') return preview;
  if (preview.kind === 'split') return preview.train;
  return null;
}

/** Steps upstream of `nodeId` in the run's graph, nearest first. */
function upstream(run: RunDetail, nodeId: string): string[] {
  const order: string[] = [];
  const seen = new Set([nodeId]);
  let frontier = [nodeId];
  while (frontier.length) {
    const next: string[] = [];
    for (const id of frontier) {
      for (const edge of run.graph.edges) {
        if (edge.target !== id || seen.has(edge.source)) continue;
        seen.add(edge.source);
        order.push(edge.source);
        next.push(edge.source);
      }
    }
    frontier = next;
  }
  return order;
}

/**
 * A row to put in the example request of a published model: a prediction API takes rows as they
 * come from the data source (its preparation steps are part of the model), so the first row of the
 * source feeding the model is used, without the column it predicts. Without one, the model's inputs
 * are listed with 0.
 */
export function exampleRow(run: RunDetail | null | undefined, nodeId: string, features: string[], target: string): ExampleRow {
  if (run) {
    const ids = upstream(run, nodeId);
    const sources = ids.filter((id) => !run.graph.edges.some((edge) => edge.target === id));
    for (const id of [...sources, ...ids]) {
      const table = tableOf(run.nodes[id]?.preview);
      if (!table || table.rows.length === 0) continue;
      const skip = new Set([target, table.target].filter((name): name is string => Boolean(name)));
      const row: ExampleRow = {};
      table.columns.forEach((column, index) => {
        if (!skip.has(column.name)) row[column.name] = table.rows[0][index] ?? null;
      });
      if (Object.keys(row).length > 0) return row;
    }
  }
  return Object.fromEntries(features.map((feature) => [feature, 0]));
}

/** Quotes text for a POSIX shell command line. */
export function shellQuote(text: string): string {
  return `'${text.replace(/'/g, `'\\''`)}'`;
}

/** The example command shown once a model is published. */
export function curlExample(endpointUrl: string, token: string, row: ExampleRow): string {
  return [
    `curl -X POST ${endpointUrl}`,
    `-H "Authorization: Bearer ${token}"`,
    `-H "content-type: application/json"`,
    `-d ${shellQuote(JSON.stringify({ rows: [row] }))}`,
  ].join(' \\\n  ');
}

/** The example command for a photo model's API: one photo file sent as a multipart form. */
export function photoCurlExample(endpointUrl: string, token: string): string {
  return [`curl -X POST ${endpointUrl}`, `-H "Authorization: Bearer ${token}"`, `-F image=@photo.jpg`].join(' \\\n  ');
}
