import type { Owner, TransactionType } from '../domain/filing';
import { REVIEW_BELOW } from '../domain/scanConfidence';
import { withTransaction, type Db, type DbClient } from './db';

/**
 * Issuers seen in e-filed reports (asset name → ticker), for resolving the asset names read from
 * scans. One row per distinct name and ticker, with how many rows gave it.
 */
export async function knownIssuers(
  db: DbClient,
): Promise<{ assetName: string; ticker: string; rows: number }[]> {
  const { rows } = await db.query<{ assetName: string; ticker: string; rows: number }>(
    `SELECT asset_name AS "assetName", upper(ticker) AS ticker, count(*)::int AS rows
       FROM transactions WHERE ticker IS NOT NULL AND NOT read_from_scan
      GROUP BY 1, 2`,
  );
  return rows;
}

/** A paper filing whose reading an operator should check. */
export interface FilingToReview {
  filingId: string;
  filer: string;
  filedDate: string | null;
  status: string;
  rows: number;
  /** Rows with at least one field below the review threshold. */
  unsureRows: number;
  /** The lowest confidence of any field of any row; null when nothing was read. */
  minConfidence: number | null;
  pages: number | null;
  formPages: number | null;
  url: string;
}

/**
 * House paper filings read from their scan with some field below the review threshold, or whose scan
 * gave no rows at all (a blank sheet, a form not recognised, a read that ran out of time): least sure
 * first.
 */
export async function filingsToReview(db: DbClient, limit: number): Promise<FilingToReview[]> {
  const { rows } = await db.query<FilingToReview>(
    `WITH per_row AS (
       SELECT t.filing_id, (SELECT min(v::numeric) FROM jsonb_each_text(t.scan_confidence) AS c(k, v)) AS low
         FROM transactions t WHERE t.read_from_scan
     )
     SELECT f.source_id AS "filingId", f.filer_name AS filer, f.filed_date AS "filedDate", f.status,
            count(r.filing_id)::int AS rows, count(*) FILTER (WHERE r.low < $1)::int AS "unsureRows",
            min(r.low)::float8 AS "minConfidence", (f.scan->>'pages')::int AS pages,
            (f.scan->>'formPages')::int AS "formPages", f.raw_url AS url
       FROM filings f LEFT JOIN per_row r ON r.filing_id = f.id
      WHERE f.kind = 'paper' AND f.chamber = 'house' AND f.status IN ('parsed', 'paper')
      GROUP BY f.id
     HAVING count(r.filing_id) = 0 OR min(r.low) < $1
      ORDER BY min(r.low) NULLS FIRST, f.first_seen_at DESC
      LIMIT $2`,
    [REVIEW_BELOW, limit],
  );
  return rows;
}

/** What an operator may set on a row read from a scan. */
export interface RowCorrection {
  owner?: Owner;
  assetName?: string;
  ticker?: string | null;
  transactionType?: TransactionType;
  transactionDate?: string;
  notificationDate?: string;
  amount?: { min: number; max: number | null };
}

const COLUMNS: Record<keyof RowCorrection, { columns: string[]; confidence: string }> = {
  owner: { columns: ['owner'], confidence: 'owner' },
  assetName: { columns: ['asset_name'], confidence: 'assetName' },
  ticker: { columns: ['ticker'], confidence: 'ticker' },
  transactionType: { columns: ['transaction_type'], confidence: 'transactionType' },
  transactionDate: { columns: ['transaction_date'], confidence: 'transactionDate' },
  notificationDate: { columns: ['notification_date'], confidence: 'notificationDate' },
  amount: { columns: ['amount_min', 'amount_max'], confidence: 'amount' },
};

export interface CorrectedRow {
  filingId: string;
  row: number;
  transactionId: number;
  changed: { field: string; before: unknown; after: unknown }[];
}

/**
 * Corrects row `row` (1-based, in the filing's order) of a paper filing read from its scan. Each
 * changed field is recorded in `paper_corrections` (before and after), written to the row and marked
 * certain. The filing is then matched again by the next trade sync: a rule that now holds (a ticker
 * rule, once the ticker is known) alerts its users, and nobody already told about the trade is told
 * again (notifications are unique per user and trade).
 */
export async function correctScanRow(
  db: Db,
  opts: { sourceId: string; row: number; correction: RowCorrection; by: string | null },
): Promise<CorrectedRow> {
  return withTransaction(db, async (tx) => {
    const found = await tx.query<{ id: number; filingId: number; current: Record<string, unknown> }>(
      `SELECT t.id, t.filing_id AS "filingId", to_jsonb(t) AS current
         FROM transactions t JOIN filings f ON f.id = t.filing_id
        WHERE f.chamber = 'house' AND f.source_id = $1 AND t.read_from_scan
        ORDER BY t.ordinal, t.id OFFSET $2 LIMIT 1 FOR UPDATE OF t`,
      [opts.sourceId, opts.row - 1],
    );
    const target = found.rows[0];
    if (!target) {
      throw new Error(
        `filing ${opts.sourceId} has no row ${opts.row} read from a scan (see \`capitolscope filings show ${opts.sourceId}\`)`,
      );
    }
    const changed: CorrectedRow['changed'] = [];
    for (const [field, given] of Object.entries(opts.correction) as [keyof RowCorrection, unknown][]) {
      if (given === undefined) continue;
      const spec = COLUMNS[field];
      const row = target.current;
      const amount = given as { min: number; max: number | null };
      const after = field === 'ticker' && typeof given === 'string' ? given.toUpperCase() : given;
      const before =
        field === 'amount' ? { min: row.amount_min, max: row.amount_max } : row[spec.columns[0]!];
      // Setting what is already there changes nothing, and records nothing.
      if (JSON.stringify(before ?? null) === JSON.stringify(after ?? null)) continue;
      const values = field === 'amount' ? [amount.min, amount.max] : [after];
      const sets = spec.columns.map((c, i) => `${c} = $${i + 2}`).join(', ');
      await tx.query(
        `UPDATE transactions SET ${sets},
                scan_confidence = jsonb_set(coalesce(scan_confidence, '{}'), '{${spec.confidence}}', '1')
          WHERE id = $1`,
        [target.id, ...values],
      );
      await tx.query(
        `INSERT INTO paper_corrections (transaction_id, field, before, after, corrected_by)
         VALUES ($1, $2, $3::jsonb, $4::jsonb, $5)`,
        [target.id, field, JSON.stringify(before ?? null), JSON.stringify(after ?? null), opts.by],
      );
      changed.push({ field, before: before ?? null, after });
    }
    // Match the filing again on the next sync (only alerts not sent yet can come of it).
    if (changed.length)
      await tx.query('UPDATE filings SET matched_at = NULL WHERE id = $1', [target.filingId]);
    return { filingId: opts.sourceId, row: opts.row, transactionId: target.id, changed };
  });
}

/** The corrections made to a filing's rows, oldest first. */
export async function correctionsOf(
  db: DbClient,
  sourceId: string,
): Promise<
  { transactionId: number; field: string; before: unknown; after: unknown; by: string | null; at: Date }[]
> {
  const { rows } = await db.query(
    `SELECT c.transaction_id AS "transactionId", c.field, c.before, c.after, c.corrected_by AS by, c.created_at AS at
       FROM paper_corrections c JOIN transactions t ON t.id = c.transaction_id JOIN filings f ON f.id = t.filing_id
      WHERE f.chamber = 'house' AND f.source_id = $1 ORDER BY c.id`,
    [sourceId],
  );
  return rows;
}
