import { SharedPipeline } from '../SharedPipeline';

/** A pipeline someone shared: look at it and its runs, or make an editable copy. */
export default async function SharePage({ params }: { params: Promise<{ token: string }> }) {
  const { token } = await params;
  return <SharedPipeline token={token} />;
}
