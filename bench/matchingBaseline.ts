import type { DbClient } from '../store/db';

// `matchTransactions` as it was before matching searched candidate rules through indexes: every rule
// tried against every new transaction, member names split into words for each pair. Kept verbatim as
// the matching benchmark's baseline (the benchmark runs it in a transaction it rolls back).

const WORDS = (expr: string) => `array_remove(regexp_split_to_array(lower(${expr}), '[^a-z0-9]+'), '')`;

function ruleHolds(a: { rule: string; tx: string; filing: string; member: string }): string {
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

/** The old statement; returns what it wrote, as the old `matchTransactions` did. */
export async function baselineMatchTransactions(
  db: DbClient,
  opts: { filingIds: number[]; syncId: string; maxFilingAgeDays: number },
): Promise<{ notifications: number; corrections: number; users: number }> {
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
  return rows[0];
}
