import path from 'node:path';

/** Root of the installed app: where samples/, db/migrations/ and the worker entry live. */
export function appRoot(): string {
  return process.env.PIPELAB_HOME ?? process.cwd();
}

/** Where the database and uploaded files live (PIPELAB_DATA_DIR, default ./data). */
export function dataDir(): string {
  return path.resolve(/* turbopackIgnore: true */ process.env.PIPELAB_DATA_DIR ?? path.join(appRoot(), 'data'));
}

/**
 * Where uploaded files and the files runs produce are kept (PIPELAB_ARTIFACTS_DIR, default the data
 * directory). Every process of a team server (web servers, workers) must reach the same one, e.g. a
 * network volume mounted at the same path.
 */
export function artifactsRoot(): string {
  return path.resolve(/* turbopackIgnore: true */ process.env.PIPELAB_ARTIFACTS_DIR || dataDir());
}

export function samplesDir(): string {
  return path.join(/* turbopackIgnore: true */ appRoot(), 'samples');
}
