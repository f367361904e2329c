import { randomUUID } from 'node:crypto';
import type { TransactionType } from '../domain/filing';
import type { DeliveryMode, RecipientBatch } from '../domain/notifications';
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
  /** The Message-ID of the claim it belongs to. */
  messageId: string;
  /** Claimed before (by this owner, or by one that stopped trying): this email may have gone out already. */
  resent: boolean;
  /** When its filing was first seen: where the alert's latency is counted from. */
  firstSeenAt: Date;
}

/** Who claims a user's rows, and with which Message-ID should the claim be new. */
export interface ClaimRequest {
  /** `<batch workflow id>/<run id>/<user id>`, or any string unique to one sender. */
  owner: string;
  /** For a new claim; a claim re-sent keeps the Message-ID it was made with. */
  messageId: string;
  /** A claim still `sending` but last attempted before this has lost its owner: it may be taken over. */
  staleBefore: Date;
}

/** One user's claim request among many (claimEmails). */
export interface EmailClaim {
  userId: number;
  owner: string;
  messageId: string;
  /**
   * Claim only for a user who receives mail this way: active, and (for `instant`) an instant user.
   * Absent: whatever the user's settings.
   */
  mode?: DeliveryMode;
}

/** The recipient of a claimed email, as its rendering and quiet hours need them. */
export interface ClaimRecipient {
  id: number;
  email: string;
  timezone: string;
  digest: DigestMode;
  quietStart: number | null;
  quietEnd: number | null;
}

/** An email claimed: who it goes to and what it shows. */
export interface ClaimedEmail {
  owner: string;
  user: ClaimRecipient;
  rows: DueNotification[];
}

/**
 * Claim a user's due notifications for one email and return what it shows, in one statement (no
 * transaction stays open). If this owner (or nobody, for longer than `staleBefore`) already holds a
 * claim of the user that is still `sending`, that exact set is returned again with its Message-ID:
 * the re-send of an email that may or may not have gone out. Otherwise the due `pending` rows become
 * `sending` under this owner and the given Message-ID, unless this owner has claimed for the user
 * before (a repeated call after the email went out claims nothing newer under the same Message-ID).
 * SKIP LOCKED: a concurrent sender takes none of the same rows.
 */
export async function claimDueNotifications(
  db: DbClient,
  userId: number,
  now: Date,
  claim: ClaimRequest = {
    owner: `claim-${randomUUID()}`,
    messageId: `<claim-${randomUUID()}@capitolscope.invalid>`,
    staleBefore: new Date(now.getTime() - STALE_CLAIM_MS),
  },
): Promise<DueNotification[]> {
  const [email] = await claimEmails(db, [{ userId, owner: claim.owner, messageId: claim.messageId }], {
    now,
    staleBefore: claim.staleBefore,
  });
  return email?.rows ?? [];
}

/**
 * claimDueNotifications for many users in one statement: what concurrent senders of a worker claim
 * together, one round trip for them all. Each user at most once (a second request of the same user
 * is claimed by a statement of its own). Returns the claims that got rows, in no particular order.
 */
export async function claimEmails(
  db: DbClient,
  requests: readonly EmailClaim[],
  at: { now: Date; staleBefore: Date },
): Promise<ClaimedEmail[]> {
  const seen = new Set<number>();
  const first = requests.filter((r) => !seen.has(r.userId) && seen.add(r.userId));
  const again = requests.filter((r) => !first.includes(r));
  if (first.length === 0) return [];
  const { rows } = await db.query<DueNotification & { claimOwner: string; recipient: ClaimRecipient }>({
    // Prepared once per connection: planning its joins took about 4 ms a call, three times its run.
    name: 'claim-emails',
    text: `WITH req AS (
       SELECT r.* FROM jsonb_to_recordset($1::jsonb) AS r(user_id bigint, owner text, message_id text, mode text)
         JOIN users u ON u.id = r.user_id
        WHERE u.id = ANY ($4::bigint[])
          AND (r.mode IS NULL OR (u.status = 'active' AND (r.mode = 'digest' OR u.digest = 'instant')))
     ), held_rows AS (
       SELECT n.id, n.user_id, n.message_id, r.owner FROM notifications n JOIN req r ON r.user_id = n.user_id
        WHERE n.user_id = ANY ($4::bigint[]) AND n.status = 'sending'
          AND (n.claim_owner = r.owner OR n.claimed_at < $3)
          FOR UPDATE OF n SKIP LOCKED
     ), held AS (
       SELECT id, owner, min(message_id) OVER (PARTITION BY user_id) AS message_id FROM held_rows
     ), fresh AS (
       SELECT n.id, r.owner, r.message_id FROM notifications n JOIN req r ON r.user_id = n.user_id
        WHERE n.user_id = ANY ($4::bigint[]) AND n.status = 'pending' AND n.deliver_after <= $2
          AND NOT EXISTS (SELECT 1 FROM notifications o
                           WHERE o.user_id = r.user_id AND o.user_id = ANY ($4::bigint[])
                             AND (o.claim_owner = r.owner OR (o.status = 'sending' AND o.claimed_at < $3)))
          FOR UPDATE OF n SKIP LOCKED
     ), picked AS (
       SELECT id, owner, message_id, true AS resent FROM held
       UNION ALL SELECT id, owner, message_id, false FROM fresh
     ), claimed AS (
       UPDATE notifications n
          SET status = 'sending', claim_owner = p.owner, claimed_at = now(), message_id = p.message_id
         FROM picked p WHERE n.id = p.id AND n.user_id = ANY ($4::bigint[])
       RETURNING n.id, p.owner, p.message_id, p.resent
     )
     SELECT c.owner AS "claimOwner", c.message_id AS "messageId", c.resent, n.id, n.kind, n.reasons, n.attempts,
            json_build_object('id', u.id, 'email', u.email, 'timezone', u.timezone, 'digest', u.digest,
                              'quietStart', u.quiet_start, 'quietEnd', u.quiet_end) AS recipient,
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
              'latestPrice', pm.latest_price, 'latestAt', pm.latest_at, 'currency', pm.currency) END AS price,
            f.first_seen_at AS "firstSeenAt"
       FROM claimed c
       JOIN notifications n ON n.id = c.id
       JOIN users u ON u.id = n.user_id
       JOIN transactions t ON t.id = n.transaction_id
       JOIN filings f ON f.id = t.filing_id
       LEFT JOIN members m ON m.bioguide_id = f.member_id
       LEFT JOIN transactions o ON o.id = n.corrects_transaction_id
       LEFT JOIN transaction_price_moves pm ON pm.transaction_id = t.id
      ORDER BY n.user_id, f.filed_date NULLS LAST, f.id, t.ordinal`,
    values: [
      JSON.stringify(
        first.map((r) => ({
          user_id: r.userId,
          owner: r.owner,
          message_id: r.messageId,
          mode: r.mode ?? null,
        })),
      ),
      at.now,
      at.staleBefore,
      // The users again, as an array: the planner knows how few they are and reads them by index.
      first.map((r) => r.userId),
    ],
  });
  const emails = new Map<string, ClaimedEmail>();
  for (const { claimOwner, recipient, ...row } of rows) {
    const email = emails.get(claimOwner) ?? { owner: claimOwner, user: recipient, rows: [] };
    email.rows.push(row as DueNotification);
    emails.set(claimOwner, email);
  }
  return [...emails.values(), ...(again.length ? await claimEmails(db, again, at) : [])];
}

/**
 * A claim still `sending` whose owner has not tried it for this long has lost its owner (its run was
 * terminated): any sender of that user may take it over and re-send it with its Message-ID. Far longer
 * than a live owner ever waits between two attempts (DELIVERY_RETRY pauses 10 minutes at most).
 */
export const STALE_CLAIM_MS = 60 * 60_000;

/** How an owner's claims of a user ended, when it holds none `sending`: what a repeated call reports. */
export async function claimResult(
  db: DbClient,
  userId: number,
  owner: string,
): Promise<{ status: 'sent' | 'failed' | 'suppressed' | 'pending'; notifications: number } | null> {
  const { rows } = await db.query(
    `SELECT status, count(*)::int AS n FROM notifications WHERE user_id = $1 AND claim_owner = $2
      GROUP BY status ORDER BY count(*) DESC LIMIT 1`,
    [userId, owner],
  );
  return rows[0] ? { status: rows[0].status, notifications: rows[0].n } : null;
}

/**
 * Claims that went out: their rows are `sent` (and a digest's time recorded, when `digestAt` is given),
 * many claims in one statement (what concurrent senders of a worker mark together). Returns how many
 * notifications each claim marked, in the order given.
 */
export async function markEmailsSent(
  db: DbClient,
  claims: readonly { userId: number; owner: string; digestAt: Date | null }[],
): Promise<number[]> {
  const { rows } = await db.query<{ owner: string; n: number }>({
    name: 'mark-emails-sent',
    text: `WITH k AS (
       SELECT * FROM jsonb_to_recordset($1::jsonb) AS k(user_id bigint, owner text, digest_at timestamptz)
     ), sent AS (
       UPDATE notifications n
          SET status = 'sent', sent_at = now(), attempts = n.attempts + 1, last_error = NULL
         FROM k WHERE n.user_id = ANY ($2::bigint[]) AND n.user_id = k.user_id AND n.claim_owner = k.owner
          AND n.status = 'sending'
       RETURNING n.user_id, k.owner
     ), digest AS (
       UPDATE users u SET last_digest_at = k.digest_at
         FROM k WHERE u.id = ANY ($2::bigint[]) AND u.id = k.user_id AND k.digest_at IS NOT NULL
          AND EXISTS (SELECT 1 FROM sent s WHERE s.owner = k.owner)
     )
     SELECT owner, count(*)::int AS n FROM sent GROUP BY owner`,
    values: [
      JSON.stringify(claims.map((c) => ({ user_id: c.userId, owner: c.owner, digest_at: c.digestAt }))),
      claims.map((c) => c.userId),
    ],
  });
  const marked = new Map(rows.map((r) => [r.owner, r.n]));
  return claims.map((c) => marked.get(c.owner) ?? 0);
}

/** A claimed email to defer (quiet hours): its rows go back to `pending`, due at `until`. */
export async function deferClaim(db: DbClient, userId: number, owner: string, until: Date): Promise<void> {
  await db.query(
    `UPDATE notifications SET status = 'pending', claim_owner = NULL, claimed_at = NULL, message_id = NULL,
            deliver_after = $3
      WHERE user_id = $1 AND claim_owner = $2 AND status = 'sending'`,
    [userId, owner, until],
  );
}

/** An attempt of a claim failed: counted, with the reason; the claim stays for the next attempt. */
export async function recordClaimFailure(
  db: DbClient,
  userId: number,
  owner: string,
  error: string,
): Promise<void> {
  await db.query(
    `UPDATE notifications SET attempts = attempts + 1, last_error = $3, claimed_at = now()
      WHERE user_id = $1 AND claim_owner = $2 AND status = 'sending'`,
    [userId, owner, error],
  );
}

/**
 * End claims for good: `failed` (retries given up) or `suppressed` (the address refused). Set-based,
 * for a whole batch's users at once. Returns how many notifications changed.
 */
export async function closeClaims(
  db: DbClient,
  claims: readonly { userId: number; owner: string; reason: string }[],
  status: 'failed' | 'suppressed',
): Promise<number> {
  if (claims.length === 0) return 0;
  const r = await db.query(
    `UPDATE notifications n SET status = $2, last_error = c.reason
       FROM jsonb_to_recordset($1::jsonb) AS c(user_id bigint, owner text, reason text)
      WHERE n.user_id = c.user_id AND n.claim_owner = c.owner AND n.status = 'sending'`,
    [JSON.stringify(claims.map((c) => ({ user_id: c.userId, owner: c.owner, reason: c.reason }))), status],
  );
  return r.rowCount ?? 0;
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
 * How long a pending notification may wait before it is stale. An instant user's (or a daily
 * digest's) after 7 days. A weekly digest user's after 9: the next weekly digest after any moment is
 * at most 7 days and a daylight-saving hour away, so expiry always comes at least two days after the
 * user's next due digest, which covers a late or skipped notification-processing run.
 */
export const STALE_AFTER_DAYS = { instant: 7, daily: 7, weekly: 9 } as const;

/**
 * Pending notifications never delivered within their user's STALE_AFTER_DAYS (of their creation, or
 * of an operator's `notifications retry`) are stale: mark them failed; returns how many.
 */
export async function expireStaleNotifications(db: DbClient, now: Date): Promise<number> {
  const r = await db.query(
    `UPDATE notifications n SET status = 'failed',
            last_error = COALESCE(n.last_error || ' ', '') || '(expired after ' || d.days || ' days)'
       FROM users u, LATERAL (SELECT CASE u.digest WHEN 'weekly' THEN $2::int WHEN 'daily' THEN $3::int
                                                   ELSE $4::int END AS days) d
      WHERE n.user_id = u.id AND n.status = 'pending'
        AND COALESCE(n.retried_at, n.created_at) < $1::timestamptz - make_interval(days => d.days)`,
    [now, STALE_AFTER_DAYS.weekly, STALE_AFTER_DAYS.daily, STALE_AFTER_DAYS.instant],
  );
  return r.rowCount ?? 0;
}

/**
 * What a fan-out delivers: pending notifications, and claims left `sending` by a sender that stopped
 * trying (`staleParam`: the stale-claim cut-off), which the next sender of that user takes over.
 */
function waiting(staleParam: string): string {
  return `(n.status = 'pending' OR (n.status = 'sending' AND n.claimed_at < ${staleParam}))`;
}

function staleClaimsBefore(now: Date): Date {
  return new Date(now.getTime() - STALE_CLAIM_MS);
}

/** Contiguous user-id ranges of about `size` recipients each, for batched fan-out. */
export async function recipientBatches(
  db: DbClient,
  opts: { syncId: string | null; size: number; digest: 'instant' | 'any'; now: Date },
): Promise<RecipientBatch[]> {
  const { rows } = await db.query(
    `SELECT min(user_id)::int AS "fromUserId", max(user_id)::int AS "toUserId", count(*)::int AS users
       FROM (SELECT user_id, (row_number() OVER (ORDER BY user_id) - 1) / $2 AS batch
               FROM (SELECT DISTINCT n.user_id FROM notifications n JOIN users u ON u.id = n.user_id
                      WHERE ${waiting('$4')} AND ($1::text IS NULL OR n.sync_id = $1)
                        AND ($3 = 'any' OR u.digest = 'instant')) d) b
      GROUP BY batch ORDER BY 1`,
    [opts.syncId, opts.size, opts.digest, staleClaimsBefore(opts.now)],
  );
  return rows;
}

/** The recipients of one batch: users in the id range with something to deliver (see `waiting`). */
export async function recipientsInRange(
  db: DbClient,
  opts: {
    syncId: string | null;
    fromUserId: number;
    toUserId: number;
    digest: 'instant' | 'any';
    now: Date;
  },
): Promise<number[]> {
  const { rows } = await db.query<{ user_id: number }>(
    `SELECT DISTINCT n.user_id FROM notifications n JOIN users u ON u.id = n.user_id
      WHERE ${waiting('$5')} AND n.user_id BETWEEN $2 AND $3
        AND ($1::text IS NULL OR n.sync_id = $1) AND ($4 = 'any' OR u.digest = 'instant')
      ORDER BY n.user_id`,
    [opts.syncId, opts.fromUserId, opts.toUserId, opts.digest, staleClaimsBefore(opts.now)],
  );
  return rows.map((r) => r.user_id);
}

// ---- operator views and retries (`capitolscope notifications ...`) -------------------------------

/** `sending`: claimed for an email now going out (or to be sent again after a crash, same Message-ID). */
export type NotificationStatus = 'pending' | 'sending' | 'sent' | 'failed' | 'suppressed';
export const NOTIFICATION_STATUSES: readonly NotificationStatus[] = [
  'pending',
  'sending',
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
 * `deliver_after` now, and `retried_at` now, from which stale-notification expiry counts its days
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

/** What delivery has still to do: alert emails due now, and alerts waiting (quiet hours, digests). */
export interface DeliveryBacklog {
  /** Instant users with something due: one email each. */
  dueEmails: number;
  dueAlerts: number;
  /** Alerts of digest users and alerts deferred past quiet hours: they go out later by design. */
  waitingAlerts: number;
  /** Emails sent in the last five minutes, per second: the pace delivery actually keeps. */
  recentPerSecond: number;
}

export async function deliveryBacklog(db: DbClient, now: Date): Promise<DeliveryBacklog> {
  const { rows } = await db.query(
    `SELECT count(DISTINCT n.user_id) FILTER (WHERE due)::int AS "dueEmails",
            count(*) FILTER (WHERE due)::int AS "dueAlerts",
            count(*) FILTER (WHERE NOT due)::int AS "waitingAlerts",
            (SELECT count(DISTINCT message_id) FROM notifications
              WHERE status = 'sent' AND sent_at > $1::timestamptz - interval '5 minutes')::float / 300 AS "recentPerSecond"
       FROM (SELECT n.user_id, u.digest = 'instant' AND n.deliver_after <= $1 AS due
               FROM notifications n JOIN users u ON u.id = n.user_id
              WHERE n.status IN ('pending', 'sending') AND u.status = 'active') n`,
    [now],
  );
  return rows[0];
}
