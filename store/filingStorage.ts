import type { ParsedFiling, ParsedTransaction } from '../domain/filing';
import { trustedFields } from '../domain/scanConfidence';
import type { DiscoveredFiling, FilingStatus } from '../domain/sync';
import { transactionRowKey } from '../domain/transactionIdentity';
import { withTransaction, type Db, type DbClient } from './db';

/** A stored filing: what discovery found, plus where its ingestion stands. */
export interface FilingRow extends DiscoveredFiling {
  id: number;
  status: FilingStatus;
  failureReason: string | null;
  sha256: string | null;
  amendsFilingId: number | null;
  baseline: boolean;
  attempts: number;
  /** Attempts begun since the last outcome: ones that never ended (timed out, worker died) stay counted. */
  openAttempts: number;
  firstSeenAt: Date;
  /** When an operator last retried it (`filings retry`); its give-up clock restarts there. */
  retriedAt: Date | null;
}

const FILING_COLUMNS = `id, chamber, source_id AS "sourceId", filer_name AS "filerName",
  state_district AS "stateDistrict", year, filed_date AS "filedDate", kind, status,
  failure_reason AS "failureReason", raw_url AS "rawUrl", sha256, amendment,
  amends_filing_id AS "amendsFilingId", baseline, attempts, open_attempts AS "openAttempts",
  first_seen_at AS "firstSeenAt",
  retried_at AS "retriedAt"`;

export async function getFiling(db: DbClient, id: number): Promise<FilingRow | null> {
  const { rows } = await db.query<FilingRow>(`SELECT ${FILING_COLUMNS} FROM filings WHERE id = $1`, [id]);
  return rows[0] ?? null;
}

/**
 * Count an attempt to fetch the document, before trying, so one that never ends (a timeout, a dead
 * worker) still counts: `open_attempts` stays raised until an outcome is recorded.
 */
export async function markAttempt(db: DbClient, id: number): Promise<void> {
  await db.query(
    'UPDATE filings SET attempts = attempts + 1, open_attempts = open_attempts + 1, last_tried_at = now() WHERE id = $1',
    [id],
  );
}

/** The attempt ended without changing where the filing stands (an upstream error to retry later). */
export async function settleAttempt(db: DbClient, id: number): Promise<void> {
  await db.query('UPDATE filings SET open_attempts = 0 WHERE id = $1', [id]);
}

export async function markFilingStatus(
  db: DbClient,
  id: number,
  status: Extract<FilingStatus, 'not_posted' | 'failed'>,
  reason: string,
): Promise<void> {
  await db.query(
    `UPDATE filings SET status = $2, failure_reason = $3, open_attempts = 0
      WHERE id = $1 AND status NOT IN ('parsed', 'paper')`,
    // A filing already stored stays stored: a later failed re-fetch must not hide its rows or put a
    // stored paper filing back in the queue (and, two weeks on, mark it failed).
    [id, status, reason],
  );
}

export interface StoredFiling {
  status: 'parsed' | 'paper';
  /** Trades of the filing; rows marked deleted (withdrawals of earlier trades) are not counted. */
  transactions: number;
  /** Trades stored by this call (deleted rows are stored, not counted). */
  newTransactions: number;
  /** The same bytes were stored before: nothing changed. */
  unchanged: boolean;
  amendsFilingId: number | null;
}

/**
 * Store one parsed filing and all of its rows at once: never half a filing. Rows are keyed by a
 * stable identity, so storing the same document again inserts nothing. `documentSha256` is the hash
 * of the fetched document's bytes; null when there is no document (a Senate paper report is known
 * from its listing alone), in which case a filing already stored is left as it is.
 */
export async function storeParsedFiling(
  db: Db,
  id: number,
  parsed: ParsedFiling,
  documentSha256: string | null,
): Promise<StoredFiling> {
  const amends =
    parsed.amendment ||
    parsed.transactions.some((t) => t.filingStatus === 'amended' || t.filingStatus === 'deleted');
  // Round trips are what storing a filing of a few rows costs: a filing that amends nothing is stored by
  // one statement (atomic on its own); an amendment is linked to what it amends in the same transaction.
  if (!amends) return storeFilingRows(db, id, parsed, documentSha256, false);
  return withTransaction(db, (tx) => storeFilingRows(tx, id, parsed, documentSha256, true));
}

/**
 * Lock the filing and, unless these very bytes are stored already, update it and insert the rows not
 * stored yet, in one statement; then, with `link` (inside a transaction), link it to what it amends.
 */
async function storeFilingRows(
  db: DbClient,
  id: number,
  parsed: ParsedFiling,
  documentSha256: string | null,
  link: boolean,
): Promise<StoredFiling> {
  const status = parsed.kind === 'paper' ? 'paper' : 'parsed';
  // A paper filing whose scan gave rows is stored as parsed (kind paper), so its rows are matched.
  const stored = parsed.kind === 'paper' && parsed.transactions.length === 0 ? 'paper' : 'parsed';
  const { rows } = await db.query<{
    unchanged: boolean;
    amends: number | null;
    inserted: number;
  }>({
    // Prepared once per connection: planning this statement costs more than running it for a few rows.
    name: 'store-parsed-filing',
    text: `WITH current AS (
         SELECT id, sha256 IS NOT DISTINCT FROM $8 AND status IN ('parsed', 'paper') AS unchanged,
                amends_filing_id AS amends
           FROM filings WHERE id = $1 FOR UPDATE
       ),
       updated AS (
         UPDATE filings SET status = $2, kind = $3, filer_name = COALESCE(NULLIF($4, ''), filer_name),
                state_district = COALESCE($5, state_district), filed_date = COALESCE($6::date, filed_date),
                amendment = amendment OR $7, sha256 = $8, failure_reason = NULL, parsed_at = now(),
                scan = $10::jsonb, open_attempts = 0
           FROM current c
          WHERE filings.id = c.id AND NOT c.unchanged
         RETURNING filings.id
       ),
       inserted AS (
         INSERT INTO transactions (filing_id, row_key, ordinal, owner, asset_name, ticker, received_ticker, asset_type,
                                   transaction_type, transaction_date, notification_date, amount_min, amount_max,
                                   filing_status, description, comment, subholding_of, read_from_scan,
                                   scan_confidence, scan_reading)
         SELECT u.id, r.row_key, r.ordinal, r.owner, r.asset_name, r.ticker, r.received_ticker, r.asset_type,
                r.transaction_type, r.transaction_date::date, r.notification_date::date, r.amount_min, r.amount_max,
                r.filing_status, r.description, r.comment, r.subholding_of, r.read_from_scan, r.scan_confidence,
                r.scan_reading
           FROM updated u,
                jsonb_to_recordset($9::jsonb) AS r(row_key text, ordinal int, owner text, asset_name text, ticker text,
                received_ticker text, asset_type text, transaction_type text, transaction_date text,
                notification_date text, amount_min bigint, amount_max bigint, filing_status text, description text,
                comment text, subholding_of text, read_from_scan boolean, scan_confidence jsonb,
                scan_reading jsonb)
         ON CONFLICT (filing_id, row_key) DO NOTHING
         RETURNING filing_status
       )
       SELECT c.unchanged, c.amends,
              (SELECT count(*) FROM inserted WHERE filing_status IS DISTINCT FROM 'deleted')::int AS inserted
         FROM current c`,
    values: [
      id,
      stored,
      parsed.kind,
      parsed.filerName,
      parsed.stateDistrict,
      parsed.filedDate,
      parsed.amendment,
      documentSha256,
      JSON.stringify(transactionRecords(parsed.transactions)),
      parsed.scan ? JSON.stringify(parsed.scan) : null,
    ],
  });
  const row = rows[0];
  if (!row) throw new Error(`filing ${id} does not exist`);
  if (row.unchanged) {
    // Counted afresh: having waited for another store of this filing, the statement's view is older.
    const count = await db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM transactions WHERE filing_id = $1 AND filing_status IS DISTINCT FROM 'deleted'`,
      [id],
    );
    return {
      status,
      transactions: count.rows[0]!.n,
      newTransactions: 0,
      unchanged: true,
      amendsFilingId: row.amends,
    };
  }
  return {
    status,
    transactions: parsed.transactions.filter((t) => t.filingStatus !== 'deleted').length,
    newTransactions: row.inserted,
    unchanged: false,
    amendsFilingId: link ? await linkAmendedFiling(db, id) : null,
  };
}

/**
 * A filing's rows as they are stored (column names), each with its identity within the filing: two
 * identical rows in one filing are two trades, so repeats are numbered and both keep their own key.
 */
export function transactionRecords(txs: ParsedTransaction[]) {
  const seen = new Map<string, number>();
  return txs.map((t, ordinal) => {
    // A row read from a scan is known by where it was read: a corrected reading keeps its identity.
    const base = t.scanPosition
      ? `scan|p${t.scanPosition.page}|r${t.scanPosition.row}`
      : transactionRowKey(t);
    const n = seen.get(base) ?? 0;
    seen.set(base, n + 1);
    // Alerts read ticker, type and amount: from a scan, only what was read with high confidence.
    const trusted = trustedFields(t);
    return {
      row_key: n === 0 ? base : `${base}#${n}`,
      ordinal,
      owner: t.owner,
      asset_name: t.assetName,
      ticker: trusted.ticker,
      received_ticker: t.receivedTicker ?? null,
      asset_type: t.assetType,
      transaction_type: trusted.transactionType,
      transaction_date: t.transactionDate,
      notification_date: t.notificationDate,
      amount_min: trusted.amountMin,
      amount_max: trusted.amountMax,
      filing_status: t.filingStatus,
      description: t.description,
      comment: t.comment,
      subholding_of: t.subholdingOf,
      read_from_scan: t.readFromScan === true,
      scan_confidence: t.confidence ?? null,
      // The reading itself, whatever its confidence, for operators.
      scan_reading: t.readFromScan
        ? {
            ticker: t.ticker,
            transactionType: t.transactionType,
            amountMin: t.amountMin,
            amountMax: t.amountMax,
            ...t.scanPosition,
          }
        : null,
    };
  });
}

/**
 * An amendment names no document it amends, so link it to the latest earlier filing of the same filer
 * that reports at least one of the same trades (asset and date).
 */
async function linkAmendedFiling(tx: DbClient, id: number): Promise<number | null> {
  const { rows } = await tx.query<{ id: number }>(
    `UPDATE filings a SET amends_filing_id = (
        SELECT o.id FROM filings o
         WHERE o.chamber = a.chamber AND lower(o.filer_name) = lower(a.filer_name) AND o.id <> a.id
           AND o.status = 'parsed' AND o.first_seen_at <= a.first_seen_at
           AND EXISTS (SELECT 1 FROM transactions ot JOIN transactions at ON at.filing_id = a.id
                        WHERE ot.filing_id = o.id AND lower(ot.asset_name) = lower(at.asset_name)
                          AND ot.transaction_date IS NOT DISTINCT FROM at.transaction_date)
         ORDER BY o.filed_date DESC NULLS LAST, o.id DESC LIMIT 1)
      WHERE a.id = $1
      RETURNING a.amends_filing_id AS id`,
    [id],
  );
  return rows[0]?.id ?? null;
}
