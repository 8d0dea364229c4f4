import path from 'node:path';

/** Root of the installed app: where samples/, db/migrations/ and the worker entry live. */
export function appRoot(): string {
  return process.env.PIPELAB_HOME ?? process.cwd();
}

/** Where the database and uploaded files live (PIPELAB_DATA_DIR, default ./data). */
export function dataDir(): string {
  return path.resolve(/* turbopackIgnore: true */ process.env.PIPELAB_DATA_DIR ?? path.join(appRoot(), 'data'));
}

export function samplesDir(): string {
  return path.join(/* turbopackIgnore: true */ appRoot(), 'samples');
}
