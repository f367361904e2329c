import type { TransactionType } from '../domain/filing';
import type { RecipientBatch } from '../domain/notifications';
import type { DigestMode } from '../domain/rules';
import type { TradeFacts, TradeView } from '../domain/tradeView';
import type { DbClient } from './db';

/** A notification due for delivery, with everything its email shows. */
export interface DueNotification extends TradeView {
  id: number;
  kind: 'alert' | 'correction';
  reasons: string[];
  attempts: number;
  /** For corrections: the row as first reported. */
  original: TradeFacts | null;
}

/**
 * Lock and return a user's pending notifications that are due. SKIP LOCKED: a concurrent sender
 * (a retry, or notification-processing) takes none of the same rows, so no trade goes out twice.
 */
export async function claimDueNotifications(
  tx: DbClient,
  userId: number,
  now: Date,
): Promise<DueNotification[]> {
  const { rows } = await tx.query<DueNotification>(
    `SELECT n.id, n.kind, n.reasons, n.attempts,
            COALESCE(m.full_name, f.filer_name) AS "memberName", f.chamber, f.state_district AS "stateDistrict",
            m.party, t.ticker, t.received_ticker AS "receivedTicker", t.asset_name AS "assetName",
            t.asset_type AS "assetType",
            t.transaction_type AS "transactionType", t.owner, t.amount_min AS "amountMin", t.amount_max AS "amountMax",
            t.transaction_date AS "transactionDate", f.filed_date AS "filedDate", f.raw_url AS "filingUrl",
            t.description, t.filing_status IS NOT DISTINCT FROM 'deleted' AS withdrawn,
            CASE WHEN t.read_from_scan THEN t.scan_confidence END AS "scanConfidence",
            CASE WHEN o.id IS NULL THEN NULL ELSE json_build_object(
              'transactionType', o.transaction_type, 'owner', o.owner, 'amountMin', o.amount_min,
              'amountMax', o.amount_max, 'transactionDate', o.transaction_date, 'ticker', o.ticker) END AS original,
            CASE WHEN pm.trade_close IS NULL AND pm.latest_price IS NULL THEN NULL ELSE json_build_object(
              'ticker', pm.ticker, 'tradeDay', pm.trade_day, 'tradeClose', pm.trade_close,
              'latestPrice', pm.latest_price, 'latestAt', pm.latest_at, 'currency', pm.currency) END AS price
       FROM notifications n
       JOIN transactions t ON t.id = n.transaction_id
       JOIN filings f ON f.id = t.filing_id
       LEFT JOIN members m ON m.bioguide_id = f.member_id
       LEFT JOIN transactions o ON o.id = n.corrects_transaction_id
       LEFT JOIN transaction_price_moves pm ON pm.transaction_id = t.id
      WHERE n.user_id = $1 AND n.status = 'pending' AND n.deliver_after <= $2
      ORDER BY f.filed_date NULLS LAST, f.id, t.ordinal
      FOR UPDATE OF n SKIP LOCKED`,
    [userId, now],
  );
  return rows;
}

export async function markSent(tx: DbClient, ids: number[], messageId: string): Promise<void> {
  await tx.query(
    `UPDATE notifications SET status = 'sent', sent_at = now(), message_id = $2, attempts = attempts + 1, last_error = NULL
      WHERE id = ANY ($1::bigint[])`,
    [ids, messageId],
  );
}

export async function deferNotifications(db: DbClient, ids: number[], until: Date): Promise<void> {
  await db.query('UPDATE notifications SET deliver_after = $2 WHERE id = ANY ($1::bigint[])', [ids, until]);
}

/**
 * Count a failed delivery attempt; past the retry budget the notification is marked failed (and
 * counted by notification-processing) instead of being tried forever.
 */
export async function recordDeliveryFailure(
  db: DbClient,
  ids: number[],
  error: string,
  maxAttempts: number,
): Promise<{ failed: number }> {
  const { rows } = await db.query(
    `UPDATE notifications SET attempts = attempts + 1, last_error = $2,
            status = CASE WHEN attempts + 1 >= $3 THEN 'failed' ELSE status END
      WHERE id = ANY ($1::bigint[]) AND status = 'pending'
      RETURNING status`,
    [ids, error, maxAttempts],
  );
  return { failed: rows.filter((r) => r.status === 'failed').length };
}

/** Active digest users (daily or weekly) with something pending: candidates for this run's digests. */
export async function digestUsersWithPending(db: DbClient): Promise<DigestUser[]> {
  const { rows } = await db.query<DigestUser>(
    `SELECT u.id, u.timezone, u.digest, u.digest_hour AS "digestHour", u.last_digest_at AS "lastDigestAt"
       FROM users u WHERE u.status = 'active' AND u.digest <> 'instant'
        AND EXISTS (SELECT 1 FROM notifications n WHERE n.user_id = u.id AND n.status = 'pending')`,
  );
  return rows;
}

export interface DigestUser {
  id: number;
  timezone: string;
  digest: DigestMode;
  digestHour: number;
  lastDigestAt: Date | null;
}

/**
 * Pending notifications never delivered within `days` (of their creation, or of an operator's
 * `notifications retry`) are stale: mark them failed; returns how many.
 */
export async function expireStaleNotifications(db: DbClient, days: number): Promise<number> {
  const r = await db.query(
    `UPDATE notifications SET status = 'failed',
            last_error = COALESCE(last_error, '') || ' (expired after ' || $1::int || ' days)'
      WHERE status = 'pending' AND COALESCE(retried_at, created_at) < now() - make_interval(days => $1::int)`,
    [days],
  );
  return r.rowCount ?? 0;
}

/** Contiguous user-id ranges of about `size` recipients each, for batched fan-out. */
export async function recipientBatches(
  db: DbClient,
  opts: { syncId: string | null; size: number; digest: 'instant' | 'any' },
): Promise<RecipientBatch[]> {
  const { rows } = await db.query(
    `SELECT min(user_id)::int AS "fromUserId", max(user_id)::int AS "toUserId", count(*)::int AS users
       FROM (SELECT user_id, (row_number() OVER (ORDER BY user_id) - 1) / $2 AS batch
               FROM (SELECT DISTINCT n.user_id FROM notifications n JOIN users u ON u.id = n.user_id
                      WHERE n.status = 'pending' AND ($1::text IS NULL OR n.sync_id = $1)
                        AND ($3 = 'any' OR u.digest = 'instant')) d) b
      GROUP BY batch ORDER BY 1`,
    [opts.syncId, opts.size, opts.digest],
  );
  return rows;
}

/** The recipients of one batch: users in the id range with pending notifications. */
export async function recipientsInRange(
  db: DbClient,
  opts: { syncId: string | null; fromUserId: number; toUserId: number; digest: 'instant' | 'any' },
): Promise<number[]> {
  const { rows } = await db.query<{ user_id: number }>(
    `SELECT DISTINCT n.user_id FROM notifications n JOIN users u ON u.id = n.user_id
      WHERE n.status = 'pending' AND n.user_id BETWEEN $2 AND $3 AND ($1::text IS NULL OR n.sync_id = $1)
        AND ($4 = 'any' OR u.digest = 'instant')
      ORDER BY n.user_id`,
    [opts.syncId, opts.fromUserId, opts.toUserId, opts.digest],
  );
  return rows.map((r) => r.user_id);
}

// ---- operator views and retries (`capitolscope notifications ...`) -------------------------------

export type NotificationStatus = 'pending' | 'sent' | 'failed' | 'suppressed';
export const NOTIFICATION_STATUSES: readonly NotificationStatus[] = [
  'pending',
  'sent',
  'failed',
  'suppressed',
];

/** One notification as `notifications list` shows it, with the facts of its trade. */
export interface NotificationSummary {
  id: number;
  user: string;
  kind: 'alert' | 'correction';
  /** How the user takes delivery: instant, daily or weekly (digest). */
  delivery: string;
  status: NotificationStatus;
  attempts: number;
  lastError: string | null;
  created: Date;
  sentAt: Date | null;
  retriedAt: Date | null;
  source: string;
  filingId: string;
  memberName: string;
  ticker: string | null;
  receivedTicker: string | null;
  assetName: string;
  transactionType: TransactionType;
  transactionDate: string | null;
  withdrawn: boolean;
}

/** Notifications, newest first, optionally of one status and one user (email, case-insensitive). */
export async function listNotifications(
  db: DbClient,
  opts: { status?: NotificationStatus; email?: string; limit: number },
): Promise<NotificationSummary[]> {
  const { rows } = await db.query<NotificationSummary>(
    `SELECT n.id, u.email AS "user", n.kind, u.digest AS delivery, n.status, n.attempts, n.last_error AS "lastError",
            n.created_at AS created, n.sent_at AS "sentAt", n.retried_at AS "retriedAt",
            f.chamber AS source, f.source_id AS "filingId", COALESCE(m.full_name, f.filer_name) AS "memberName",
            t.ticker, t.received_ticker AS "receivedTicker", t.asset_name AS "assetName",
            t.transaction_type AS "transactionType", t.transaction_date AS "transactionDate",
            t.filing_status IS NOT DISTINCT FROM 'deleted' AS withdrawn
       FROM notifications n
       JOIN users u ON u.id = n.user_id
       JOIN transactions t ON t.id = n.transaction_id
       JOIN filings f ON f.id = t.filing_id
       LEFT JOIN members m ON m.bioguide_id = f.member_id
      WHERE ($1::text IS NULL OR n.status = $1) AND ($2::text IS NULL OR lower(u.email) = lower($2))
      ORDER BY n.created_at DESC, n.id DESC
      LIMIT $3`,
    [opts.status ?? null, opts.email ?? null, opts.limit],
  );
  return rows;
}

/** The status of each of these notifications and whether its user still receives mail. */
export async function notificationStates(
  db: DbClient,
  ids: number[],
): Promise<{ id: number; status: NotificationStatus; userStatus: string }[]> {
  const { rows } = await db.query(
    `SELECT n.id, n.status, u.status AS "userStatus"
       FROM notifications n JOIN users u ON u.id = n.user_id WHERE n.id = ANY ($1::bigint[]) ORDER BY n.id`,
    [ids],
  );
  return rows;
}

/**
 * Put failed notifications back to pending (one statement): attempts and last error reset,
 * `deliver_after` now, and `retried_at` now, from which stale-notification expiry counts its 7 days
 * again (else one older than a week would be expired by notification-processing before its send step).
 * The next NotificationProcessingWorkflow run sends them (its leftover fan-out takes every pending
 * notification of instant users; digest users get them in their next digest). Only `failed` rows are
 * touched, under the row lock: sent and suppressed ones never, so nothing is sent twice (a notification
 * is the one record per user and trade; no new row is made). Those of users who no longer receive mail
 * (unsubscribed or suppressed) stay failed: sending would only suppress them.
 */
export async function retryFailedNotifications(
  db: DbClient,
  opts: { ids?: number[] },
): Promise<{ reset: number[]; skippedInactiveUser: number[] }> {
  const { rows } = await db.query<{ id: number; reset: boolean }>(
    `WITH target AS (
       SELECT n.id, u.status = 'active' AS active
         FROM notifications n JOIN users u ON u.id = n.user_id
        WHERE n.status = 'failed' AND ($1::bigint[] IS NULL OR n.id = ANY ($1::bigint[]))
        ORDER BY n.id
          FOR UPDATE OF n
     ), reset AS (
       UPDATE notifications n
          SET status = 'pending', attempts = 0, last_error = NULL, deliver_after = now(), retried_at = now()
         FROM target t
        WHERE n.id = t.id AND t.active
       RETURNING n.id
     )
     SELECT t.id, (r.id IS NOT NULL) AS reset FROM target t LEFT JOIN reset r ON r.id = t.id ORDER BY t.id`,
    [opts.ids ?? null],
  );
  return {
    reset: rows.filter((r) => r.reset).map((r) => r.id),
    skippedInactiveUser: rows.filter((r) => !r.reset).map((r) => r.id),
  };
}
