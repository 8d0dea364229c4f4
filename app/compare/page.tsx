import { parseRunIds } from '../_components/runs/runs-query';
import { ComparePage } from './ComparePage';

type SearchParams = Promise<Record<string, string | string[] | undefined>>;

/** Runs side by side: /compare?runs=<id>,<id>,… */
export default async function Compare({ searchParams }: { searchParams: SearchParams }) {
  const params = await searchParams;
  const value = Array.isArray(params.runs) ? params.runs.join(',') : params.runs;
  return <ComparePage runIds={parseRunIds(value)} />;
}
