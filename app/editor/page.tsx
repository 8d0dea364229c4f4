import { Editor } from './Editor';

type SearchParams = Promise<Record<string, string | string[] | undefined>>;

function single(value: string | string[] | undefined): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

/** A new pipeline: empty, from a template (?template=<id>) or from a past run (?run=<id>). */
export default async function NewPipelinePage({ searchParams }: { searchParams: SearchParams }) {
  const params = await searchParams;
  return <Editor templateId={single(params.template)} runId={single(params.run)} />;
}
