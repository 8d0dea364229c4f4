import { dropTestDatabases } from './test-fixtures';

/** Vitest global setup of the PostgreSQL project: no test database outlives the run. */
export async function setup(): Promise<() => Promise<void>> {
  const url = process.env.DATABASE_URL!;
  await dropTestDatabases(url);
  return () => dropTestDatabases(url);
}
