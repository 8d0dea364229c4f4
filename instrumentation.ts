/**
 * Runs once when the server starts (not during `next build`): opens the database, starts the run worker,
 * and recovers the runs the previous server left behind, before any request comes in. Otherwise a run
 * interrupted by a crash would keep saying "Running" until someone happened to call the API.
 */
export async function register() {
  if (process.env.NEXT_RUNTIME !== 'nodejs' || process.env.NEXT_PHASE === 'phase-production-build') return;
  const { serverContext } = await import('./server/context');
  await serverContext();
}
