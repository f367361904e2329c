import type { Chamber, FilingKind, ParsedTransaction, ScanSummary } from '../domain/filing';
import type { FilingStatus } from '../domain/sync';
import type { DbClient } from './db';

/** One filing as `filings list` shows it; `filingId` is the upstream id (House DocID, Senate UUID). */
export interface FilingSummary {
  source: Chamber;
  filingId: string;
  filer: string;
  filedDate: string | null;
  kind: FilingKind | null;
  status: FilingStatus;
  /** Why it failed or is still pending; null once stored. */
  reason: string | null;
  firstSeen: Date;
  lastTried: Date | null;
  retriedAt: Date | null;
  attempts: number;
  /** Rows stored, rows marked deleted (withdrawals) included. */
  transactions: number;
  /** The filing id of the filing this one amends, once linked. */
  amends: string | null;
  /** A paper filing read from its scan: what was read of it and how sure (lowest field confidence). */
  scan: ScanSummary | null;
}

/** A filing `f` as operators see it; `a` is the filing it amends (LEFT JOINed). */
const VIEW_COLUMNS = `f.chamber AS source, f.source_id AS "filingId", f.filer_name AS filer,
  f.filed_date AS "filedDate", f.kind, f.status, f.failure_reason AS reason, f.first_seen_at AS "firstSeen",
  f.last_tried_at AS "lastTried", f.retried_at AS "retriedAt", f.attempts, a.source_id AS amends, f.scan`;

/** Filings, most recently seen first, optionally of one status and one source. */
export async function listFilings(
  db: DbClient,
  opts: { status?: FilingStatus; chamber?: Chamber; limit: number },
): Promise<FilingSummary[]> {
  const { rows } = await db.query<FilingSummary>(
    `SELECT ${VIEW_COLUMNS}, (SELECT count(*)::int FROM transactions t WHERE t.filing_id = f.id) AS transactions
       FROM filings f LEFT JOIN filings a ON a.id = f.amends_filing_id
      WHERE ($1::text IS NULL OR f.status = $1 OR ($1 = 'paper' AND f.kind = 'paper'))
        AND ($2::text IS NULL OR f.chamber = $2)
      ORDER BY f.first_seen_at DESC, f.id DESC
      LIMIT $3`,
    [opts.status ?? null, opts.chamber ?? null, opts.limit],
  );
  return rows;
}

/** The stored filings with these upstream ids (a DocID and a Senate UUID may in theory collide). */
export async function findFilingsBySourceIds(
  db: DbClient,
  sourceIds: string[],
  chamber?: Chamber,
): Promise<{ id: number; source: Chamber; filingId: string; status: FilingStatus }[]> {
  const { rows } = await db.query(
    `SELECT id, chamber AS source, source_id AS "filingId", status FROM filings
      WHERE source_id = ANY ($1::text[]) AND ($2::text IS NULL OR chamber = $2)
      ORDER BY source_id, chamber`,
    [sourceIds, chamber ?? null],
  );
  return rows;
}

/** One stored row of a filing, in the normalised shape (ParsedTransaction) plus its identity. */
export interface TransactionDetail extends Omit<
  ParsedTransaction,
  'receivedTicker' | 'readFromScan' | 'confidence' | 'scanPosition'
> {
  id: number;
  ordinal: number;
  /** Stored for every row: null unless a Senate exchange names the holding received. */
  receivedTicker: string | null;
  /** Rows read from a scan: per-field confidence, and what was read (ticker, type, amount) whatever its confidence. */
  readFromScan: boolean;
  confidence: Record<string, number> | null;
  scanReading: Record<string, unknown> | null;
}

export interface FilingDetail extends Omit<FilingSummary, 'transactions'> {
  url: string;
  stateDistrict: string | null;
  year: number | null;
  amendment: boolean;
  /** Stored and never alerted on (the first sync of a source, or `filings retry --no-alerts`). */
  baseline: boolean;
  memberId: string | null;
  sha256: string | null;
  parsedAt: Date | null;
  matchedAt: Date | null;
  /** Filing ids of the later filings linked as amending this one. */
  amendedBy: string[];
  transactions: TransactionDetail[];
}

export async function getFilingDetail(db: DbClient, id: number): Promise<FilingDetail | null> {
  const { rows } = await db.query<Omit<FilingDetail, 'transactions'>>(
    `SELECT ${VIEW_COLUMNS}, f.raw_url AS url,
            f.state_district AS "stateDistrict", f.year, f.amendment, f.baseline, f.member_id AS "memberId",
            f.sha256, f.parsed_at AS "parsedAt", f.matched_at AS "matchedAt",
            ARRAY(SELECT b.source_id FROM filings b WHERE b.amends_filing_id = f.id ORDER BY b.id) AS "amendedBy"
       FROM filings f LEFT JOIN filings a ON a.id = f.amends_filing_id
      WHERE f.id = $1`,
    [id],
  );
  const filing = rows[0];
  if (!filing) return null;
  const txs = await db.query<TransactionDetail>(
    `SELECT id, ordinal, owner, asset_name AS "assetName", ticker, received_ticker AS "receivedTicker",
            asset_type AS "assetType", transaction_type AS "transactionType", transaction_date AS "transactionDate",
            notification_date AS "notificationDate", amount_min AS "amountMin", amount_max AS "amountMax",
            filing_status AS "filingStatus", description, comment, subholding_of AS "subholdingOf",
            read_from_scan AS "readFromScan", scan_confidence AS confidence, scan_reading AS "scanReading"
       FROM transactions WHERE filing_id = $1 ORDER BY ordinal, id`,
    [id],
  );
  return { ...filing, transactions: txs.rows };
}

/**
 * Statuses `filings retry` may reset: a failed filing, one still waiting for its document, or a paper
 * filing stored without rows (scanned, not read: OCR was off, or is to be tried again).
 */
export const RETRYABLE_FILING_STATUSES: readonly FilingStatus[] = ['failed', 'not_posted', 'paper'];

export interface RetriedFiling {
  source: Chamber;
  filingId: string;
  previousStatus: FilingStatus;
  previousReason: string | null;
}

/**
 * Put filings back where the next trade sync ingests them (one statement): status `discovered` (which
 * discovery hands out with every sync, whatever the upstream index says), the reason cleared, and
 * `retried_at` set, which restarts the 14-day give-up clock of ingestion, and the count of attempts that
 * did not finish reset. Only filings in one of
 * `statuses` (within RETRYABLE_FILING_STATUSES) are touched, checked under the row lock, so a filing a
 * running sync has just stored stays stored.
 *
 * Alert safety. `first_seen_at` is deliberately left alone: matching reads it for which rules apply
 * (created before the filing was first seen) and for ALERT_MAX_FILING_AGE_DAYS, and amendment linking
 * reads it too. A failed or not-posted filing never stored a row (a filing is stored whole, in one
 * transaction, as `parsed` or `paper`, and is never marked failed afterwards), so it has no
 * transactions, no notifications and was never matched (`matched_at` stays NULL: only parsed filings
 * are matched). Once re-ingested it is matched exactly once, by the next match step, exactly as if
 * it had parsed the first time: a baseline filing stays baseline and alerts nobody, the others alert
 * the users whose rules predate its first sighting. Nobody is alerted twice: the rows it gets are new,
 * and notifications are unique per (user, transaction) anyway. (As for any filing posted late, an
 * amendment of it stored meanwhile could not be linked to it, so its rows alerted as trades of their
 * own.) With `alerts: false` the filings are also marked baseline: stored, alerting nobody (for old
 * filings fixed long after the fact). A `paper` filing is one stored without rows (a scan with rows
 * read is `parsed`), never matched either: the same holds for it, and the next sync reads its scan.
 */
export async function retryFilings(
  db: DbClient,
  opts: { ids?: number[]; chamber?: Chamber; statuses: readonly FilingStatus[]; alerts: boolean },
): Promise<RetriedFiling[]> {
  const statuses = opts.statuses.filter((s) => RETRYABLE_FILING_STATUSES.includes(s));
  const { rows } = await db.query<RetriedFiling>(
    `WITH old AS (
       SELECT id, status, failure_reason FROM filings
        WHERE status = ANY ($3::text[]) AND ($1::bigint[] IS NULL OR id = ANY ($1::bigint[]))
          AND ($2::text IS NULL OR chamber = $2)
        ORDER BY id
          FOR UPDATE
     ), reset AS (
       UPDATE filings f
          SET status = 'discovered', failure_reason = NULL, retried_at = now(), baseline = f.baseline OR NOT $4,
              open_attempts = 0
         FROM old
        WHERE f.id = old.id
       RETURNING f.id, f.chamber AS source, f.source_id AS "filingId", old.status AS "previousStatus",
                 old.failure_reason AS "previousReason"
     )
     SELECT source, "filingId", "previousStatus", "previousReason" FROM reset ORDER BY id`,
    [opts.ids ?? null, opts.chamber ?? null, statuses, opts.alerts],
  );
  return rows;
}
