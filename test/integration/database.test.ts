import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withTransaction, type Db } from '../../store/db';
import { createTestDatabase } from '../support/services';
import { waitFor } from '../support/wait';

let db: Db;
let drop: () => Promise<void>;

beforeAll(async () => {
  ({ db, drop } = await createTestDatabase());
});
afterAll(async () => drop?.());

/** What PostgreSQL does to our connections on a restart or failover: ends them from its side. */
async function terminateBackend(pid: number): Promise<void> {
  const admin = await db.connect();
  try {
    await admin.query('SELECT pg_terminate_backend($1)', [pid]);
  } finally {
    admin.release();
  }
}

describe('a dropped database connection', () => {
  it('of a checked-out client between two queries fails that work, not the process', async () => {
    const unhandled: unknown[] = [];
    const onUncaught = (err: unknown) => unhandled.push(err);
    process.on('uncaughtException', onUncaught);
    try {
      let ended = false;
      const work = withTransaction(db, async (tx) => {
        const { rows } = await tx.query<{ pid: number }>('SELECT pg_backend_pid() AS pid');
        tx.once('end', () => (ended = true));
        // The server goes away while this client is checked out and idle, between two queries.
        await terminateBackend(rows[0]!.pid);
        await waitFor(() => ended, { timeoutMs: 10_000, intervalMs: 20 });
        await tx.query('SELECT 1');
      });
      await expect(work).rejects.toThrow();
      expect(unhandled).toEqual([]);
      // The pool replaces the dead client: the next query works.
      expect((await db.query('SELECT 1 AS one')).rows).toEqual([{ one: 1 }]);
    } finally {
      process.off('uncaughtException', onUncaught);
    }
  });
});
