import {
  normaliseRule,
  ruleKey,
  describeRule,
  type DigestMode,
  type Rule,
  type RuleInput,
} from '../domain/rules';
import { UserInputError, type CleanUser } from '../domain/users';
import { withTransaction, type Db, type DbClient } from './db';

export interface UserRow {
  id: number;
  email: string;
  timezone: string;
  digest: DigestMode;
  status: 'active' | 'unsubscribed' | 'suppressed';
  statusReason: string | null;
  quietStart: number | null;
  quietEnd: number | null;
  digestHour: number;
  lastDigestAt: Date | null;
  createdAt: Date;
}

const USER_COLUMNS = `id, email, timezone, digest, status, status_reason AS "statusReason", quiet_start AS "quietStart",
  quiet_end AS "quietEnd", digest_hour AS "digestHour", last_digest_at AS "lastDigestAt", created_at AS "createdAt"`;

/**
 * Create or update users and add their rules, idempotent by email (case-insensitive): a set-based
 * statement per chunk, not a round-trip per row, so 100,000 users load in seconds.
 */
export async function upsertUsers(
  db: Db,
  users: CleanUser[],
  opts: { chunkSize?: number; onProgress?: (usersDone: number) => void } = {},
): Promise<{ users: number; rulesAdded: number }> {
  const chunkSize = opts.chunkSize ?? 5000;
  let rulesAdded = 0;
  for (let i = 0; i < users.length; i += chunkSize) {
    const chunk = dedupeByEmail(users.slice(i, i + chunkSize));
    rulesAdded += await withTransaction(db, async (tx) => {
      // Existing users keep every setting the input leaves out; new ones get the defaults.
      await tx.query(
        `WITH input AS (
           SELECT * FROM jsonb_to_recordset($1::jsonb)
             AS u(email text, timezone text, digest text, quiet_start int, quiet_end int)
         ), updated AS (
           UPDATE users SET timezone = COALESCE(i.timezone, users.timezone), digest = COALESCE(i.digest, users.digest),
                  quiet_start = COALESCE(i.quiet_start, users.quiet_start),
                  quiet_end = COALESCE(i.quiet_end, users.quiet_end)
             FROM input i WHERE lower(users.email) = lower(i.email)
         )
         INSERT INTO users (email, timezone, digest, quiet_start, quiet_end)
         SELECT i.email, COALESCE(i.timezone, 'America/New_York'), COALESCE(i.digest, 'instant'), i.quiet_start, i.quiet_end
           FROM input i
         ON CONFLICT ((lower(email))) DO NOTHING`,
        [
          JSON.stringify(
            chunk.map((u) => ({
              email: u.email,
              timezone: u.timezone,
              digest: u.digest,
              quiet_start: u.quietStart,
              quiet_end: u.quietEnd,
            })),
          ),
        ],
      );
      const rules = chunk.flatMap((u) => u.rules.map((r) => ruleRecord(u.email, r)));
      return rules.length ? insertRules(tx, rules) : 0;
    });
    opts.onProgress?.(Math.min(users.length, i + chunkSize));
  }
  return { users: users.length, rulesAdded };
}

function dedupeByEmail(users: CleanUser[]): CleanUser[] {
  const byEmail = new Map<string, CleanUser>();
  for (const u of users) {
    const prev = byEmail.get(u.email.toLowerCase());
    byEmail.set(u.email.toLowerCase(), prev ? { ...u, rules: [...prev.rules, ...u.rules] } : u);
  }
  return [...byEmail.values()];
}

/** A rule as its row is written (`email` finds the user). */
export function ruleRecord(email: string, r: Rule) {
  return {
    email,
    member: r.member,
    ticker: r.ticker,
    party: r.party,
    chamber: r.chamber,
    transaction_type: r.transactionType,
    min_amount: r.minAmount,
    label: describeRule(r),
    rule_key: ruleKey(r),
  };
}

async function insertRules(tx: DbClient, rules: ReturnType<typeof ruleRecord>[]): Promise<number> {
  const result = await tx.query(
    `INSERT INTO alert_rules (user_id, member, ticker, party, chamber, transaction_type, min_amount, label, rule_key)
     SELECT u.id, r.member, r.ticker, r.party, r.chamber, r.transaction_type, r.min_amount, r.label, r.rule_key
       FROM jsonb_to_recordset($1::jsonb) AS r(email text, member text, ticker text, party text, chamber text,
            transaction_type text, min_amount bigint, label text, rule_key text)
       JOIN users u ON lower(u.email) = lower(r.email)
     ON CONFLICT (user_id, rule_key) DO NOTHING`,
    [JSON.stringify(rules)],
  );
  return result.rowCount ?? 0;
}

export async function addRule(
  db: Db,
  email: string,
  input: RuleInput,
): Promise<{ id: number; label: string; created: boolean }> {
  const rule = normaliseRule(input);
  const user = await getUserByEmail(db, email);
  if (!user) throw new UserInputError(`no user with email ${email} (add one with \`users add\`)`);
  const rec = ruleRecord(user.email, rule);
  const inserted = await db.query<{ id: number }>(
    `INSERT INTO alert_rules (user_id, member, ticker, party, chamber, transaction_type, min_amount, label, rule_key)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) ON CONFLICT (user_id, rule_key) DO NOTHING RETURNING id`,
    [
      user.id,
      rec.member,
      rec.ticker,
      rec.party,
      rec.chamber,
      rec.transaction_type,
      rec.min_amount,
      rec.label,
      rec.rule_key,
    ],
  );
  if (inserted.rows[0]) return { id: inserted.rows[0].id, label: rec.label, created: true };
  const existing = await db.query<{ id: number }>(
    'SELECT id FROM alert_rules WHERE user_id = $1 AND rule_key = $2',
    [user.id, rec.rule_key],
  );
  return { id: existing.rows[0]!.id, label: rec.label, created: false };
}

export interface RuleRow {
  id: number;
  label: string;
  member: string | null;
  ticker: string | null;
  party: string | null;
  chamber: string | null;
  transactionType: string | null;
  minAmount: number | null;
  createdAt: Date;
}

export async function listRules(db: DbClient, email: string): Promise<RuleRow[]> {
  const { rows } = await db.query<RuleRow>(
    `SELECT r.id, r.label, r.member, r.ticker, r.party, r.chamber, r.transaction_type AS "transactionType",
            r.min_amount AS "minAmount", r.created_at AS "createdAt"
       FROM alert_rules r JOIN users u ON u.id = r.user_id WHERE lower(u.email) = lower($1) ORDER BY r.id`,
    [email],
  );
  return rows;
}

export async function removeRule(db: DbClient, email: string, id: number): Promise<boolean> {
  const r = await db.query(
    'DELETE FROM alert_rules r USING users u WHERE r.user_id = u.id AND lower(u.email) = lower($1) AND r.id = $2',
    [email, id],
  );
  return (r.rowCount ?? 0) > 0;
}

export async function getUserByEmail(db: DbClient, email: string): Promise<UserRow | null> {
  const { rows } = await db.query<UserRow>(
    `SELECT ${USER_COLUMNS} FROM users WHERE lower(email) = lower($1)`,
    [email],
  );
  return rows[0] ?? null;
}

export async function getUser(db: DbClient, id: number): Promise<UserRow | null> {
  const { rows } = await db.query<UserRow>(`SELECT ${USER_COLUMNS} FROM users WHERE id = $1`, [id]);
  return rows[0] ?? null;
}

export async function listUsers(db: DbClient, limit = 1000): Promise<(UserRow & { rules: number })[]> {
  const { rows } = await db.query(
    `SELECT x.*, (SELECT count(*)::int FROM alert_rules r WHERE r.user_id = x.id) AS rules
       FROM (SELECT ${USER_COLUMNS} FROM users ORDER BY id LIMIT $1) x ORDER BY x.id`,
    [limit],
  );
  return rows;
}

export async function removeUser(db: DbClient, email: string): Promise<boolean> {
  const r = await db.query('DELETE FROM users WHERE lower(email) = lower($1)', [email]);
  return (r.rowCount ?? 0) > 0;
}

/** Unsubscribed or suppressed users are never sent to; their pending notifications are suppressed too. */
export async function setUserStatus(
  db: DbClient,
  id: number,
  status: 'unsubscribed' | 'suppressed' | 'active',
  reason: string | null,
): Promise<boolean> {
  const { rows } = await db.query(
    `WITH u AS (UPDATE users SET status = $2, status_reason = $3,
                   status_changed_at = CASE WHEN status = $2 THEN status_changed_at ELSE now() END
                 WHERE id = $1 RETURNING id),
          n AS (UPDATE notifications n SET status = 'suppressed', last_error = $3
                  FROM u WHERE n.user_id = u.id AND n.status = 'pending' AND $2 <> 'active')
     SELECT count(*)::int AS n FROM u`,
    [id, status, reason],
  );
  return rows[0].n > 0;
}

/** A digest went out to this user at `at`: the next one is due a period later. */
export async function markDigestSent(db: DbClient, userId: number, at: Date): Promise<void> {
  await db.query('UPDATE users SET last_digest_at = $2 WHERE id = $1', [userId, at]);
}

export interface ReactivatedUser {
  id: number;
  email: string;
  /** Why the address had been suppressed, and since when. */
  reason: string | null;
  suppressedAt: Date | null;
  /** Its alerts suppressed with it, pending again now. */
  alertsRestored: number;
}

/**
 * Undo suppressions (a relay's refusal taken for the recipient's): the users become active again, and
 * the alerts suppressed with them (same reason, not older than `alertsNewerThan`) are pending again.
 * Only `suppressed` users: an unsubscribe is the user's own choice and stays. One user by email, or
 * everyone suppressed since a time.
 */
export async function reactivateUsers(
  db: Db,
  which: { email: string } | { suppressedSince: Date },
  alertsNewerThan: Date,
): Promise<ReactivatedUser[]> {
  const email = 'email' in which ? which.email : null;
  const since = 'suppressedSince' in which ? which.suppressedSince : null;
  const { rows } = await db.query<ReactivatedUser>(
    `WITH target AS (
       SELECT id, status_reason, status_changed_at FROM users
        WHERE status = 'suppressed'
          AND ($1::text IS NULL OR lower(email) = lower($1))
          AND ($2::timestamptz IS NULL OR status_changed_at >= $2)
          FOR UPDATE
     ), alerts AS (
       UPDATE notifications n SET status = 'pending', deliver_after = now(), last_error = NULL,
              claim_owner = NULL, claimed_at = NULL, message_id = NULL
         FROM target t
        WHERE n.user_id = t.id AND n.status = 'suppressed' AND n.last_error IS NOT DISTINCT FROM t.status_reason
          AND n.created_at >= $3
       RETURNING n.user_id
     ), users AS (
       UPDATE users u SET status = 'active', status_reason = NULL, status_changed_at = now()
         FROM target t WHERE u.id = t.id
       RETURNING u.id, u.email
     )
     SELECT u.id, u.email, t.status_reason AS reason, t.status_changed_at AS "suppressedAt",
            (SELECT count(*)::int FROM alerts a WHERE a.user_id = u.id) AS "alertsRestored"
       FROM users u JOIN target t ON t.id = u.id ORDER BY u.id`,
    [email, since, alertsNewerThan],
  );
  return rows;
}

/** Of these emails, the users who get no mail (unsubscribed or suppressed), for import to say so. */
export async function inactiveAmong(
  db: DbClient,
  emails: readonly string[],
): Promise<{ unsubscribed: number; suppressed: number }> {
  const { rows } = await db.query(
    `SELECT count(*) FILTER (WHERE status = 'unsubscribed')::int AS unsubscribed,
            count(*) FILTER (WHERE status = 'suppressed')::int AS suppressed
       FROM users WHERE lower(email) = ANY (SELECT lower(e) FROM unnest($1::text[]) e)`,
    [emails],
  );
  return rows[0];
}
