import { Editor } from '../Editor';

type SearchParams = Promise<Record<string, string | string[] | undefined>>;

/** A saved pipeline; ?run=<id> shows the results of one of its runs. */
export default async function PipelinePage({ params, searchParams }: { params: Promise<{ id: string }>; searchParams: SearchParams }) {
  const [{ id }, query] = await Promise.all([params, searchParams]);
  const run = typeof query.run === 'string' && query.run !== '' ? query.run : undefined;
  return <Editor pipelineId={id} runId={run} />;
}
