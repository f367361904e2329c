import type { DbClient } from './db';

/** Seconds from each notification's filing being first seen to this moment (its email just accepted; the clock, not the transaction start). */
export async function alertLatencies(db: DbClient, notificationIds: readonly number[]): Promise<number[]> {
  const { rows } = await db.query<{ seconds: number }>(
    `SELECT extract(epoch FROM clock_timestamp() - f.first_seen_at)::float8 AS seconds
       FROM notifications n JOIN transactions t ON t.id = n.transaction_id JOIN filings f ON f.id = t.filing_id
      WHERE n.id = ANY ($1::bigint[])`,
    [notificationIds],
  );
  return rows.map((r) => Math.max(0, r.seconds));
}
