import pg from 'pg';

/*
 * Creating and dropping whole PostgreSQL databases on the server of a `postgres://` address: for test
 * runs, the browser tests' team server and the benchmarks, which each want a database of their own.
 */

function checkedName(name: string): string {
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) throw new Error(`"${name}" is not a plain database name (letters, digits, _).`);
  return name;
}

/** The address of database `name` on the server of `serverUrl`. */
export function databaseAddress(serverUrl: string, name: string): string {
  const url = new URL(serverUrl);
  url.pathname = `/${checkedName(name)}`;
  return url.toString();
}

/** Runs `work` on a connection to the server; not to `name` itself, which cannot be dropped while in use. */
async function onServer<T>(serverUrl: string, name: string, work: (admin: pg.Client) => Promise<T>): Promise<T> {
  const own = decodeURIComponent(new URL(serverUrl).pathname.slice(1));
  const admin = new pg.Client({ connectionString: own === name ? databaseAddress(serverUrl, 'postgres') : serverUrl });
  await admin.connect();
  try {
    return await work(admin);
  } finally {
    await admin.end();
  }
}

/**
 * Creates database `name` beside `serverUrl`'s and returns its address. `replace` drops one that exists
 * first; `keepExisting` leaves one that exists as it is.
 */
export async function createDatabase(serverUrl: string, name: string, options: { replace?: boolean; keepExisting?: boolean } = {}): Promise<string> {
  checkedName(name);
  await onServer(serverUrl, name, async (admin) => {
    if (options.replace) await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    const found = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (!(options.keepExisting && found.rowCount)) await admin.query(`CREATE DATABASE "${name}"`);
  });
  return databaseAddress(serverUrl, name);
}

/** Drops database `name` on `serverUrl`'s server, closing the connections still open to it. */
export async function dropDatabase(serverUrl: string, name: string): Promise<void> {
  checkedName(name);
  await onServer(serverUrl, name, (admin) => admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`));
}

/** The names of the server's databases that start with `prefix`. */
export async function databasesNamed(serverUrl: string, prefix: string): Promise<string[]> {
  const { rows } = await onServer(serverUrl, '', (admin) =>
    admin.query<{ datname: string }>('SELECT datname FROM pg_database WHERE datname LIKE $1', [`${prefix}%`]),
  );
  return rows.map((row) => row.datname);
}
