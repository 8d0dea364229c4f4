/** Which database this process keeps its records in: SQLite in the data directory, or PostgreSQL when DATABASE_URL says so. */
export type DatabaseDialect = 'sqlite' | 'postgresql';

export function databaseUrl(): string | undefined {
  return process.env.DATABASE_URL?.trim() || undefined;
}

export function databaseDialect(): DatabaseDialect {
  const url = databaseUrl();
  if (!url) return 'sqlite';
  if (/^postgres(ql)?:\/\//.test(url)) return 'postgresql';
  throw new Error(`DATABASE_URL must be a PostgreSQL address (postgres://user@host:5432/database); it is "${url.slice(0, 80)}".`);
}
