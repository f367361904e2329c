import pg from 'pg';

export type Db = pg.Pool;
export type DbClient = pg.PoolClient | pg.Pool;

// Postgres `bigint` (int8) rows come back as strings by default; our ids and amounts fit in a double.
pg.types.setTypeParser(pg.types.builtins.INT8, (v) => Number(v));
// `date` columns stay ISO strings: a calendar date has no time zone to shift it.
pg.types.setTypeParser(pg.types.builtins.DATE, (v) => v);

export function createDb(connectionString: string, max = 10): Db {
  const pool = new pg.Pool({
    connectionString,
    max,
    connectionTimeoutMillis: 10_000,
    idleTimeoutMillis: 30_000,
  });
  // An idle client's error (server restart) must not crash the process; the next query reconnects.
  pool.on('error', () => undefined);
  // node-postgres detaches the pool's listener while a client is checked out: a server that goes away
  // between two queries of a checked-out client would raise an unhandled 'error' and end the process.
  // With this listener the client's next query fails instead, and release() drops the dead client.
  pool.on('connect', (client) => {
    client.on('error', () => undefined);
  });
  return pool;
}

/** Run `fn` in one transaction: all of its writes land, or none. */
export async function withTransaction<T>(db: Db, fn: (client: pg.PoolClient) => Promise<T>): Promise<T> {
  const client = await db.connect();
  try {
    await client.query('BEGIN');
    const result = await fn(client);
    await client.query('COMMIT');
    return result;
  } catch (err) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw err;
  } finally {
    client.release();
  }
}

/** Open a pool and prove it works, turning a bad DATABASE_URL into one clear line. */
export async function connectDb(connectionString: string, max?: number): Promise<Db> {
  const db = createDb(connectionString, max);
  try {
    await db.query('SELECT 1');
  } catch (err) {
    await db.end().catch(() => undefined);
    throw new Error(
      `cannot connect to the database at ${redactUrl(connectionString)}: ${(err as Error).message}`,
    );
  }
  return db;
}

export function redactUrl(u: string): string {
  try {
    const parsed = new URL(u);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return '(unparseable URL)';
  }
}
