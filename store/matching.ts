import type { MatchResult } from '../domain/sync';
import { withTransaction, type Db, type DbClient } from './db';

/** Lower-case words of a name, punctuation dropped: "Hon. Nancy Pelosi" → {hon, nancy, pelosi}. */
const WORDS = (expr: string) => `array_remove(regexp_split_to_array(lower(${expr}), '[^a-z0-9]+'), '')`;

/**
 * The SQL condition under which rule `rule` holds for transaction `tx` of filing `filing` (whose linked
 * member row is `member`): every condition the rule gives must hold. The one definition of a match.
 * A ticker rule follows both sides of an exchange: the ticker given up and the one received.
 */
export function ruleHolds(a: { rule: string; tx: string; filing: string; member: string }): string {
  const { rule: r, tx: t, filing: f, member: m } = a;
  return `(${r}.member IS NULL OR upper(${r}.member) = ${f}.member_id OR ${WORDS(`${r}.member`)} <@ ${WORDS(`${f}.filer_name`)})
          AND (${r}.ticker IS NULL OR upper(${t}.ticker) = ${r}.ticker OR upper(${t}.received_ticker) = ${r}.ticker)
          AND (${r}.party IS NULL OR ${m}.party = ${r}.party)
          AND (${r}.chamber IS NULL OR ${r}.chamber = ${f}.chamber)
          AND (${r}.transaction_type IS NULL
               OR (${r}.transaction_type = 'purchase' AND ${t}.transaction_type = 'purchase')
               OR (${r}.transaction_type = 'sale' AND ${t}.transaction_type IN ('sale', 'sale_partial')))
          AND (${r}.min_amount IS NULL OR ${t}.amount_max >= ${r}.min_amount
               OR (${t}.amount_max IS NULL AND ${t}.amount_min IS NOT NULL))`;
}

/**
 * Link filings to members of Congress (for party rules) where the name and state leave one candidate.
 */
export async function linkFilingMembers(db: DbClient, filingIds: number[]): Promise<number> {
  const r = await db.query(
    `UPDATE filings f SET member_id = c.bioguide_id
       FROM (SELECT f2.id, min(m.bioguide_id) AS bioguide_id
               FROM filings f2 JOIN members m
                 ON m.chamber = f2.chamber AND lower(m.last_name) = ANY (${WORDS('f2.filer_name')})
                AND (f2.state_district IS NULL OR m.state IS NULL OR left(f2.state_district, 2) = m.state)
              WHERE f2.id = ANY ($1::bigint[]) AND f2.member_id IS NULL
              GROUP BY f2.id HAVING count(*) = 1) c
      WHERE f.id = c.id`,
    [filingIds],
  );
  return r.rowCount ?? 0;
}

/**
 * Match the transactions of the given filings against every active rule in one set-based statement,
 * writing one notification per (user, transaction); the unique key makes a re-run insert nothing.
 *
 * - Baseline filings (first sync of a source) alert nobody.
 * - A rule alerts only on filings first seen after the rule was created.
 * - A filing filed more than `maxFilingAgeDays` before we first saw it alerts nobody (0: no limit).
 * - A row of an amendment that restates a trade a user was already alerted about becomes a correction
 *   for that user when something changed, and nothing when nothing did; never a second alert.
 * - A row marked deleted (the filer withdraws a trade of the amended filing) never alerts anyone. For a
 *   user alerted about the trade it withdraws, it always becomes a correction saying so. It withdraws
 *   the original row with the same facts when there is one (several trades of one asset: only that
 *   one), else any row an amended row would restate.
 */
export async function matchTransactions(
  db: DbClient,
  opts: { filingIds: number[]; syncId: string; maxFilingAgeDays: number },
): Promise<MatchResult> {
  if (opts.filingIds.length === 0) return { notifications: 0, corrections: 0, users: 0 };
  const { rows } = await db.query(
    `WITH new_tx AS (
       SELECT t.*, f.chamber, f.filer_name, f.first_seen_at, f.amends_filing_id, f.member_id
         FROM transactions t JOIN filings f ON f.id = t.filing_id
        WHERE t.filing_id = ANY ($1::bigint[]) AND NOT f.baseline
          AND ($2::int = 0 OR f.filed_date IS NULL OR f.filed_date >= (f.first_seen_at AT TIME ZONE 'UTC')::date - $2::int)
     ),
     restated AS (
       SELECT nt.id AS transaction_id, ot.id AS original_id,
              nt.filing_status IS NOT DISTINCT FROM 'deleted' AS withdrawn,
              (ot.owner, ot.transaction_type, ot.transaction_date, ot.amount_min, ot.amount_max, ot.ticker)
                IS DISTINCT FROM
                (nt.owner, nt.transaction_type, nt.transaction_date, nt.amount_min, nt.amount_max, nt.ticker)
                AS differs
         FROM new_tx nt
         JOIN transactions ot ON ot.filing_id = nt.amends_filing_id AND lower(ot.asset_name) = lower(nt.asset_name)
                             AND (ot.transaction_date IS NOT DISTINCT FROM nt.transaction_date
                                  OR ot.transaction_type = nt.transaction_type)
     ),
     prior AS (
       SELECT rs.transaction_id, n.user_id, min(rs.original_id) AS original_id,
              bool_or(rs.differs OR rs.withdrawn) AS changed, bool_or(rs.withdrawn) AS withdrawn
         FROM restated rs
         JOIN notifications n ON n.transaction_id = rs.original_id AND n.status IN ('pending', 'sent')
        WHERE NOT (rs.withdrawn AND rs.differs
                   AND EXISTS (SELECT 1 FROM restated same
                                WHERE same.transaction_id = rs.transaction_id AND NOT same.differs))
        GROUP BY rs.transaction_id, n.user_id
     ),
     matches AS (
       SELECT nt.id AS transaction_id, r.user_id, array_agg(r.id ORDER BY r.id) AS rule_ids,
              array_agg(r.label ORDER BY r.id) AS reasons
         FROM new_tx nt
         JOIN alert_rules r ON r.created_at <= nt.first_seen_at
         JOIN users u ON u.id = r.user_id AND u.status = 'active'
         LEFT JOIN members m ON m.bioguide_id = nt.member_id
        WHERE nt.filing_status IS DISTINCT FROM 'deleted'
          AND ${ruleHolds({ rule: 'r', tx: 'nt', filing: 'nt', member: 'm' })}
        GROUP BY nt.id, r.user_id
     ),
     alerts AS (
       INSERT INTO notifications (user_id, transaction_id, kind, rule_ids, reasons, sync_id)
       SELECT m.user_id, m.transaction_id, 'alert', m.rule_ids, m.reasons, $3 FROM matches m
        WHERE NOT EXISTS (SELECT 1 FROM prior p WHERE p.transaction_id = m.transaction_id AND p.user_id = m.user_id)
       ON CONFLICT (user_id, transaction_id) DO NOTHING
       RETURNING user_id
     ),
     corrections AS (
       INSERT INTO notifications (user_id, transaction_id, kind, corrects_transaction_id, rule_ids, reasons, sync_id)
       SELECT p.user_id, p.transaction_id, 'correction', p.original_id, '{}',
              ARRAY[CASE WHEN p.withdrawn
                         THEN 'You were alerted about this trade before; the filer has since withdrawn it'
                         ELSE 'You were alerted about this trade before; the filer has since amended it' END], $3
         FROM prior p JOIN users u ON u.id = p.user_id AND u.status = 'active'
        WHERE p.changed
       ON CONFLICT (user_id, transaction_id) DO NOTHING
       RETURNING user_id
     )
     SELECT (SELECT count(*) FROM alerts)::int AS notifications,
            (SELECT count(*) FROM corrections)::int AS corrections,
            (SELECT count(DISTINCT user_id) FROM (SELECT user_id FROM alerts UNION ALL SELECT user_id FROM corrections) x)::int
              AS users`,
    [opts.filingIds, opts.maxFilingAgeDays, opts.syncId],
  );
  return rows[0] as MatchResult;
}

/**
 * Match every parsed filing not matched yet (this sync's, and any a crashed sync left behind), then mark
 * them matched, all in one transaction.
 */
export async function matchUnmatchedFilings(
  db: Db,
  opts: { syncId: string; maxFilingAgeDays: number },
): Promise<MatchResult & { filings: number }> {
  return withTransaction(db, async (tx) => {
    const { rows } = await tx.query<{ id: number }>(
      `SELECT id FROM filings WHERE matched_at IS NULL AND status = 'parsed' ORDER BY id FOR UPDATE SKIP LOCKED`,
    );
    const filingIds = rows.map((r) => r.id);
    if (filingIds.length === 0) return { notifications: 0, corrections: 0, users: 0, filings: 0 };
    await linkFilingMembers(tx, filingIds);
    const result = await matchTransactions(tx, { ...opts, filingIds });
    await tx.query('UPDATE filings SET matched_at = now() WHERE id = ANY ($1::bigint[])', [filingIds]);
    return { ...result, filings: filingIds.length };
  });
}
