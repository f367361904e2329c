import type { Chamber, FilingKind, ParsedFiling, ParsedTransaction } from '../domain/filing';
import { transactionRowKey } from '../domain/transactionIdentity';
import { withTransaction, type Db, type DbClient } from './db';

export type FilingStatus = 'discovered' | 'parsed' | 'paper' | 'not_posted' | 'failed';
export const FILING_STATUSES: readonly FilingStatus[] = [
  'discovered',
  'parsed',
  'paper',
  'not_posted',
  'failed',
];

/** A filing as found in an upstream index or search, before its document is fetched. */
export interface DiscoveredFiling {
  chamber: Chamber;
  sourceId: string;
  filerName: string;
  stateDistrict: string | null;
  year: number | null;
  filedDate: string | null;
  rawUrl: string;
  amendment: boolean;
  /** Known from the listing alone (Senate paper reports); null until the document says. */
  kind: FilingKind | null;
}

/** A stored filing: what discovery found, plus where its ingestion stands. */
export interface FilingRow extends DiscoveredFiling {
  id: number;
  status: FilingStatus;
  failureReason: string | null;
  sha256: string | null;
  amendsFilingId: number | null;
  baseline: boolean;
  attempts: number;
  firstSeenAt: Date;
  /** When an operator last retried it (`filings retry`); its give-up clock restarts there. */
  retriedAt: Date | null;
}

const FILING_COLUMNS = `id, chamber, source_id AS "sourceId", filer_name AS "filerName",
  state_district AS "stateDistrict", year, filed_date AS "filedDate", kind, status,
  failure_reason AS "failureReason", raw_url AS "rawUrl", sha256, amendment,
  amends_filing_id AS "amendsFilingId", baseline, attempts, first_seen_at AS "firstSeenAt",
  retried_at AS "retriedAt"`;

/** Whether any filing of this chamber was ever recorded: the first sync on an empty store is a baseline. */
export async function hasFilings(db: DbClient, chamber: Chamber): Promise<boolean> {
  const { rows } = await db.query('SELECT EXISTS (SELECT 1 FROM filings WHERE chamber = $1) AS e', [chamber]);
  return rows[0].e as boolean;
}

/**
 * Record filings not seen before (one statement for the whole batch) and return the ids of those that
 * are new. Seen ones are left untouched, so re-running a discovery changes nothing.
 */
export async function recordDiscoveredFilings(
  db: DbClient,
  filings: DiscoveredFiling[],
  opts: { baseline: boolean },
): Promise<number[]> {
  if (filings.length === 0) return [];
  const { rows } = await db.query<{ id: number }>(
    `INSERT INTO filings (chamber, source_id, filer_name, state_district, year, filed_date, raw_url, amendment, kind,
                          status, baseline)
     SELECT f.chamber, f.source_id, f.filer_name, f.state_district, f.year, f.filed_date::date, f.raw_url,
            f.amendment, f.kind, 'discovered', $2
       FROM jsonb_to_recordset($1::jsonb) AS f(chamber text, source_id text, filer_name text, state_district text,
                                               year int, filed_date text, raw_url text, amendment boolean, kind text)
     ON CONFLICT (chamber, source_id) DO NOTHING
     RETURNING id`,
    [
      JSON.stringify(
        filings.map((f) => ({
          chamber: f.chamber,
          source_id: f.sourceId,
          filer_name: f.filerName,
          state_district: f.stateDistrict,
          year: f.year,
          filed_date: f.filedDate,
          raw_url: f.rawUrl,
          amendment: f.amendment,
          kind: f.kind,
        })),
      ),
      opts.baseline,
    ],
  );
  return rows.map((r) => r.id).sort((a, b) => a - b);
}

/** Filings still waiting for their document: new ones and those whose PDF was not posted yet. */
export async function pendingFilingIds(db: DbClient, chamber: Chamber, limit = 1000): Promise<number[]> {
  const { rows } = await db.query<{ id: number }>(
    `SELECT id FROM filings WHERE chamber = $1 AND status IN ('discovered', 'not_posted') ORDER BY id LIMIT $2`,
    [chamber, limit],
  );
  return rows.map((r) => r.id);
}

export async function getFiling(db: DbClient, id: number): Promise<FilingRow | null> {
  const { rows } = await db.query<FilingRow>(`SELECT ${FILING_COLUMNS} FROM filings WHERE id = $1`, [id]);
  return rows[0] ?? null;
}

export async function getFilingBySource(
  db: DbClient,
  chamber: Chamber,
  sourceId: string,
): Promise<FilingRow | null> {
  const { rows } = await db.query<FilingRow>(
    `SELECT ${FILING_COLUMNS} FROM filings WHERE chamber = $1 AND source_id = $2`,
    [chamber, sourceId],
  );
  return rows[0] ?? null;
}

/** Count an attempt to fetch the document, before trying, so a crash mid-way still shows up. */
export async function markAttempt(db: DbClient, id: number): Promise<void> {
  await db.query('UPDATE filings SET attempts = attempts + 1, last_tried_at = now() WHERE id = $1', [id]);
}

export async function markFilingStatus(
  db: DbClient,
  id: number,
  status: Extract<FilingStatus, 'not_posted' | 'failed'>,
  reason: string,
): Promise<void> {
  await db.query(
    `UPDATE filings SET status = $2, failure_reason = $3 WHERE id = $1 AND status NOT IN ('parsed', 'paper')`,
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
 * Store one parsed filing and all of its rows in one transaction: never half a filing. Rows are keyed
 * by a stable identity, so storing the same document again inserts nothing.
 */
export async function storeParsedFiling(
  db: Db,
  id: number,
  parsed: ParsedFiling,
  sha256: string,
): Promise<StoredFiling> {
  const amends =
    parsed.amendment ||
    parsed.transactions.some((t) => t.filingStatus === 'amended' || t.filingStatus === 'deleted');
  // Round trips are what storing a filing of a few rows costs: a filing that amends nothing is stored by
  // one statement (atomic on its own); an amendment is linked to what it amends in the same transaction.
  if (!amends) return storeFilingRows(db, id, parsed, sha256, false);
  return withTransaction(db, (tx) => storeFilingRows(tx, id, parsed, sha256, true));
}

/**
 * Lock the filing and, unless these very bytes are stored already, update it and insert the rows not
 * stored yet, in one statement; then, with `link` (inside a transaction), link it to what it amends.
 */
async function storeFilingRows(
  db: DbClient,
  id: number,
  parsed: ParsedFiling,
  sha256: string,
  link: boolean,
): Promise<StoredFiling> {
  const status = parsed.kind === 'paper' ? 'paper' : 'parsed';
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
                amendment = amendment OR $7, sha256 = $8, failure_reason = NULL, parsed_at = now()
           FROM current c
          WHERE filings.id = c.id AND NOT c.unchanged
         RETURNING filings.id
       ),
       inserted AS (
         INSERT INTO transactions (filing_id, row_key, ordinal, owner, asset_name, ticker, received_ticker, asset_type,
                                   transaction_type, transaction_date, notification_date, amount_min, amount_max,
                                   filing_status, description, comment, subholding_of)
         SELECT u.id, r.row_key, r.ordinal, r.owner, r.asset_name, r.ticker, r.received_ticker, r.asset_type,
                r.transaction_type, r.transaction_date::date, r.notification_date::date, r.amount_min, r.amount_max,
                r.filing_status, r.description, r.comment, r.subholding_of
           FROM updated u,
                jsonb_to_recordset($9::jsonb) AS r(row_key text, ordinal int, owner text, asset_name text, ticker text,
                received_ticker text, asset_type text, transaction_type text, transaction_date text,
                notification_date text, amount_min bigint, amount_max bigint, filing_status text, description text,
                comment text, subholding_of text)
         ON CONFLICT (filing_id, row_key) DO NOTHING
         RETURNING filing_status
       )
       SELECT c.unchanged, c.amends,
              (SELECT count(*) FROM inserted WHERE filing_status IS DISTINCT FROM 'deleted')::int AS inserted
         FROM current c`,
    values: [
      id,
      status,
      parsed.kind,
      parsed.filerName,
      parsed.stateDistrict,
      parsed.filedDate,
      parsed.amendment,
      sha256,
      JSON.stringify(transactionRecords(parsed.transactions)),
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
    const base = transactionRowKey(t);
    const n = seen.get(base) ?? 0;
    seen.set(base, n + 1);
    return {
      row_key: n === 0 ? base : `${base}#${n}`,
      ordinal,
      owner: t.owner,
      asset_name: t.assetName,
      ticker: t.ticker,
      received_ticker: t.receivedTicker ?? null,
      asset_type: t.assetType,
      transaction_type: t.transactionType,
      transaction_date: t.transactionDate,
      notification_date: t.notificationDate,
      amount_min: t.amountMin,
      amount_max: t.amountMax,
      filing_status: t.filingStatus,
      description: t.description,
      comment: t.comment,
      subholding_of: t.subholdingOf,
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

/** Conditional-request validators and the last successful sync of one upstream source. */
export interface SourceState {
  etag: string | null;
  lastModified: string | null;
  lastSuccessAt: Date | null;
}

export async function getSourceState(db: DbClient, source: string): Promise<SourceState> {
  const { rows } = await db.query<SourceState>(
    `SELECT etag, last_modified AS "lastModified", last_success_at AS "lastSuccessAt" FROM source_state WHERE source = $1`,
    [source],
  );
  return rows[0] ?? { etag: null, lastModified: null, lastSuccessAt: null };
}

export async function saveSourceState(
  db: DbClient,
  source: string,
  state: Partial<SourceState>,
): Promise<void> {
  await db.query(
    `INSERT INTO source_state (source, etag, last_modified, last_success_at, updated_at)
     VALUES ($1, $2, $3, $4, now())
     ON CONFLICT (source) DO UPDATE SET
       etag = CASE WHEN $5 THEN EXCLUDED.etag ELSE source_state.etag END,
       last_modified = CASE WHEN $5 THEN EXCLUDED.last_modified ELSE source_state.last_modified END,
       last_success_at = COALESCE(EXCLUDED.last_success_at, source_state.last_success_at),
       updated_at = now()`,
    [source, state.etag ?? null, state.lastModified ?? null, state.lastSuccessAt ?? null, 'etag' in state],
  );
}

// ---- operator views and retries (`capitolscope filings ...`) ------------------------------------

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
}

/** A filing `f` as operators see it; `a` is the filing it amends (LEFT JOINed). */
const VIEW_COLUMNS = `f.chamber AS source, f.source_id AS "filingId", f.filer_name AS filer,
  f.filed_date AS "filedDate", f.kind, f.status, f.failure_reason AS reason, f.first_seen_at AS "firstSeen",
  f.last_tried_at AS "lastTried", f.retried_at AS "retriedAt", f.attempts, a.source_id AS amends`;

/** Filings, most recently seen first, optionally of one status and one source. */
export async function listFilings(
  db: DbClient,
  opts: { status?: FilingStatus; chamber?: Chamber; limit: number },
): Promise<FilingSummary[]> {
  const { rows } = await db.query<FilingSummary>(
    `SELECT ${VIEW_COLUMNS}, (SELECT count(*)::int FROM transactions t WHERE t.filing_id = f.id) AS transactions
       FROM filings f LEFT JOIN filings a ON a.id = f.amends_filing_id
      WHERE ($1::text IS NULL OR f.status = $1) AND ($2::text IS NULL OR f.chamber = $2)
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
export interface TransactionDetail {
  id: number;
  ordinal: number;
  owner: string;
  assetName: string;
  ticker: string | null;
  receivedTicker: string | null;
  assetType: string | null;
  transactionType: string;
  transactionDate: string | null;
  notificationDate: string | null;
  amountMin: number | null;
  amountMax: number | null;
  filingStatus: string | null;
  description: string | null;
  comment: string | null;
  subholdingOf: string | null;
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
            filing_status AS "filingStatus", description, comment, subholding_of AS "subholdingOf"
       FROM transactions WHERE filing_id = $1 ORDER BY ordinal, id`,
    [id],
  );
  return { ...filing, transactions: txs.rows };
}

/** Statuses `filings retry` may reset: a failed filing, or one still waiting for its document. */
export const RETRYABLE_FILING_STATUSES: readonly FilingStatus[] = ['failed', 'not_posted'];

export interface RetriedFiling {
  source: Chamber;
  filingId: string;
  previousStatus: FilingStatus;
  previousReason: string | null;
}

/**
 * Put filings back where the next trade sync ingests them (one statement): status `discovered` (which
 * discovery hands out with every sync, whatever the upstream index says), the reason cleared, and
 * `retried_at` set, which restarts the 14-day give-up clock of ingestion. Only filings in one of
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
 * filings fixed long after the fact).
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
          SET status = 'discovered', failure_reason = NULL, retried_at = now(), baseline = f.baseline OR NOT $4
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
