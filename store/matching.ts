import type { MatchResult } from '../domain/sync';
import { withTransaction, type Db, type DbClient } from './db';

/**
 * Lower-case words of a name, punctuation dropped: "Hon. Nancy Pelosi" → {hon, nancy, pelosi}. The SQL
 * function (migration 008) also computes each rule's stored `member_words` and `member_key`, so they
 * always agree with the filer's words computed here.
 */
const WORDS = (expr: string) => `name_words(${expr})`;

/**
 * The SQL condition under which rule `rule` holds for transaction `tx` of filing `filing` (whose linked
 * member row is `member`): every condition the rule gives must hold. The one definition of a match.
 * A member rule holds for a filing linked to that member (`--member P000197`) or when every word of it
 * is a word of the filer's name (`filer_words`, that is `name_words(filer_name)`, computed once per
 * filing; the rule's `member_words` were computed when it was saved).
 * A ticker rule follows both sides of an exchange: the ticker given up and the one received.
 */
export function ruleHolds(a: { rule: string; tx: string; filing: string; member: string }): string {
  const { rule: r, tx: t, filing: f, member: m } = a;
  return `(${r}.member IS NULL OR upper(${r}.member) = ${f}.member_id OR ${r}.member_words <@ ${f}.filer_words)
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
 * Where each kind of rule is looked for; each rule is found by one of these at most, through an index
 * (migration 008). A rule with a ticker, by the trade's tickers: the one given up and the one received
 * in an exchange. A member rule (without a ticker), by the filer: see `member_rules`. The broad rules
 * (party, chamber, type, amount only) are the only ones read whole and tried against every trade.
 */
const CANDIDATES = [
  `new_tx nt JOIN alert_rules r
     ON r.ticker IS NOT NULL AND r.ticker = ANY (ARRAY[upper(nt.ticker), upper(nt.received_ticker)])`,
  `new_tx nt JOIN member_rules r ON r.filing_id = nt.filing_id`,
  `new_tx nt JOIN alert_rules r ON r.ticker IS NULL AND r.member_key IS NULL`,
];

/**
 * The statement that matches the transactions of `filingIds` against every active rule, writing one
 * notification per (user, transaction); the unique key makes a re-run insert nothing.
 *
 * Candidate rules are found through indexes (CANDIDATES: each rule is found by at most one of them),
 * and `ruleHolds` decides for each candidate, so the work grows with the rules that can hold, not with
 * rules × transactions. Only the broad rules meet every transaction.
 *
 * - Baseline filings (first sync of a source) alert nobody.
 * - A rule alerts only on filings first seen after the rule was created.
 * - A filing filed more than `maxFilingAgeDays` before we first saw it alerts nobody (0: no limit).
 * - A row of an amendment that restates a trade a user was already alerted about (alert pending or
 *   sent) becomes a correction for that user when something changed, and nothing when nothing did;
 *   never a second alert.
 * - A row marked deleted (the filer withdraws a trade of the amended filing) never alerts anyone. For a
 *   user alerted about the trade it withdraws, it always becomes a correction saying so. It withdraws
 *   the original row with the same facts when there is one (several trades of one asset: only that
 *   one), else any row an amended row would restate.
 *
 * The statement cannot see the alerts it inserts itself (its CTEs share one snapshot), so it must never
 * be given an amendment together with the filing it amends: `matchUnmatchedFilings` matches the
 * original first, in an earlier statement.
 */
export function matchStatement(opts: { filingIds: number[]; syncId: string; maxFilingAgeDays: number }): {
  text: string;
  values: unknown[];
} {
  const candidates = CANDIDATES.map(
    (from) => `SELECT nt.id AS transaction_id, r.user_id, r.id AS rule_id, r.label
               FROM ${from}
              WHERE nt.filing_status IS DISTINCT FROM 'deleted' AND r.created_at <= nt.first_seen_at
                AND ${ruleHolds({ rule: 'r', tx: 'nt', filing: 'nt', member: 'nt' })}`,
  );
  return {
    text: `WITH new_tx AS MATERIALIZED (
       SELECT t.id, t.filing_id, t.owner, t.asset_name, t.ticker, t.received_ticker, t.transaction_type, t.transaction_date,
              t.amount_min, t.amount_max, t.filing_status, f.chamber, f.filer_name, f.first_seen_at,
              f.amends_filing_id, f.member_id, m.party, ${WORDS('f.filer_name')} AS filer_words
         FROM transactions t JOIN filings f ON f.id = t.filing_id
         LEFT JOIN members m ON m.bioguide_id = f.member_id
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
     filers AS (SELECT DISTINCT filing_id, filer_words, member_id FROM new_tx),
     -- The member rules (without a ticker) of each filer: those whose key word (the longest word of
     -- the rule's member) is one of the filer's words, and those naming the filer's bioguide id.
     member_rules AS (
       SELECT f.filing_id, r.* FROM filers f
         JOIN alert_rules r ON r.ticker IS NULL AND r.member_key = ANY (f.filer_words)
       UNION ALL
       -- (OFFSET 0 keeps this a lookup per filer, through the index, rather than a scan of every member rule.)
       SELECT f.filing_id, r.* FROM filers f
        CROSS JOIN LATERAL (SELECT * FROM alert_rules r
                             WHERE r.ticker IS NULL AND r.member_key IS NOT NULL AND upper(r.member) = f.member_id
                               AND NOT (r.member_key = ANY (f.filer_words)) OFFSET 0) r
     ),
     candidates AS (
       ${candidates.join('\n       UNION ALL\n       ')}
     ),
     matches AS (
       SELECT c.transaction_id, c.user_id, array_agg(c.rule_id ORDER BY c.rule_id) AS rule_ids,
              array_agg(c.label ORDER BY c.rule_id) AS reasons
         FROM candidates c JOIN users u ON u.id = c.user_id AND u.status = 'active'
        GROUP BY c.user_id, c.transaction_id
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
            ARRAY(SELECT DISTINCT user_id FROM (SELECT user_id FROM alerts UNION ALL SELECT user_id FROM corrections) x)
              AS users`,
    values: [opts.filingIds, opts.maxFilingAgeDays, opts.syncId],
  };
}

/** What one match statement wrote: alerts, corrections, and the users they are for. */
interface ChunkResult {
  notifications: number;
  corrections: number;
  userIds: number[];
}

async function matchChunk(
  db: DbClient,
  opts: { filingIds: number[]; syncId: string; maxFilingAgeDays: number },
): Promise<ChunkResult> {
  const { rows } = await db.query<{ notifications: number; corrections: number; users: (number | string)[] }>(
    matchStatement(opts),
  );
  const row = rows[0]!;
  return { notifications: row.notifications, corrections: row.corrections, userIds: row.users.map(Number) };
}

/** How far a match run has come; reported after every chunk. */
export interface MatchProgress {
  filings: number;
  transactions: number;
  notifications: number;
  corrections: number;
}

/**
 * Most transactions matched per chunk (whole filings, at least one); less when there is less to do, so
 * that every matcher gets a share: a typical sync of 100 is two chunks of about 50, a busy one of 1,000
 * two of about 500, a backlog of 20,000 forty of 500, each committed on its own within seconds.
 */
export const MATCH_CHUNK_TRANSACTIONS = 500;
/** Chunks matched at once, each on its own connection: PostgreSQL runs one statement on one core. */
export const MATCH_CONCURRENCY = 2;

/**
 * Match every parsed filing not matched yet (this sync's, and any a crashed sync left behind), in
 * chunks of whole filings, each in its own transaction: its notifications are written and its filings
 * marked matched together, so a retry after a crash or a timeout resumes with what is left and never
 * writes a notification twice (see `matchStatement` for what is matched and how). Chunks run
 * `concurrency` at a time; concurrent runs (a retry overlapping a slow attempt) share the work, as
 * each chunk locks its filings.
 *
 * An amendment is matched only once the filing it amends has been, in an earlier chunk: when both are
 * new in one run, the user alerted about the original trade gets a correction (or nothing, when the
 * amendment changes nothing), never a second alert; a withdrawn trade is told as withdrawn.
 */
export async function matchUnmatchedFilings(
  db: Db,
  opts: {
    syncId: string;
    maxFilingAgeDays: number;
    chunkTransactions?: number;
    concurrency?: number;
    onProgress?: (progress: MatchProgress) => void;
    /** Stops before the next chunk (the activity was cancelled); what was committed stays. */
    signal?: AbortSignal;
  },
): Promise<MatchResult & { filings: number }> {
  const users = new Set<number>();
  const done: MatchProgress = { filings: 0, transactions: 0, notifications: 0, corrections: 0 };
  const budget = opts.chunkTransactions ?? MATCH_CHUNK_TRANSACTIONS;
  const concurrency = opts.concurrency ?? MATCH_CONCURRENCY;
  // One matcher failing stops the others before their next chunk; what they committed stays.
  const failed = new AbortController();
  const matcher = async () => {
    for (;;) {
      opts.signal?.throwIfAborted();
      if (failed.signal.aborted) return;
      const chunk = await withTransaction(db, async (tx) => {
        const filings = await claimChunk(tx, budget, concurrency);
        if (filings.length === 0) return null;
        const filingIds = filings.map((f) => f.id);
        // Sorting and grouping a few hundred thousand matches in memory rather than on disk.
        await tx.query(`SET LOCAL work_mem = '64MB'`);
        await linkFilingMembers(tx, filingIds);
        const result = await matchChunk(tx, { ...opts, filingIds });
        await tx.query('UPDATE filings SET matched_at = now() WHERE id = ANY ($1::bigint[])', [filingIds]);
        return { ...result, filings: filings.length, transactions: filings.reduce((n, f) => n + f.rows, 0) };
      });
      if (!chunk) return;
      for (const id of chunk.userIds) users.add(id);
      done.filings += chunk.filings;
      done.transactions += chunk.transactions;
      done.notifications += chunk.notifications;
      done.corrections += chunk.corrections;
      opts.onProgress?.({ ...done });
    }
  };
  const outcomes = await Promise.allSettled(
    Array.from({ length: concurrency }, () =>
      matcher().catch((err: unknown) => {
        failed.abort();
        throw err;
      }),
    ),
  );
  const failure = outcomes.find((o) => o.status === 'rejected');
  if (failure) throw failure.reason;
  return {
    notifications: done.notifications,
    corrections: done.corrections,
    users: users.size,
    filings: done.filings,
  };
}

interface UnmatchedFiling {
  id: number;
  amends: number | null;
  rows: number;
}

/**
 * Lock the next chunk of filings to match: unmatched parsed filings in id order, up to `budget` rows or
 * a `share` of the rows ready to match, whichever is less (at least one filing), leaving out amendments
 * whose original is still unmatched and filings another matcher holds (locked one by one, so that
 * matcher can take the next ones).
 */
async function claimChunk(tx: DbClient, budget: number, share: number): Promise<UnmatchedFiling[]> {
  const { rows: unmatched } = await tx.query<UnmatchedFiling>(
    `SELECT f.id, f.amends_filing_id AS amends,
            (SELECT count(*) FROM transactions t WHERE t.filing_id = f.id)::int AS rows
       FROM filings f WHERE f.matched_at IS NULL AND f.status = 'parsed'
      ORDER BY f.id`,
  );
  const ready = readyToMatch(unmatched, new Set(unmatched.map((u) => u.id)));
  const limit = Math.min(budget, Math.ceil(ready.reduce((n, f) => n + f.rows, 0) / share));
  const chunk: UnmatchedFiling[] = [];
  let rows = 0;
  for (const f of ready) {
    if (chunk.length > 0 && rows + f.rows > limit) break;
    const locked = await tx.query(
      `SELECT id FROM filings WHERE id = $1 AND matched_at IS NULL AND status = 'parsed' FOR UPDATE SKIP LOCKED`,
      [f.id],
    );
    if (locked.rowCount === 0) continue;
    chunk.push(f);
    rows += f.rows;
  }
  return chunk;
}

/**
 * The filings that may be matched now: those that amend nothing still unmatched. Should amendments
 * wait on each other in a circle (which linking never produces), the lowest id of the circle goes first
 * rather than none ever.
 */
function readyToMatch(unmatched: UnmatchedFiling[], waiting: Set<number>): UnmatchedFiling[] {
  const waits = (f: UnmatchedFiling) => f.amends !== null && f.amends !== f.id && waiting.has(f.amends);
  const ready = unmatched.filter((f) => !waits(f));
  if (ready.length > 0 || unmatched.length === 0) return ready;
  const byId = new Map(unmatched.map((f) => [f.id, f]));
  for (const start of unmatched) {
    // Follow what each filing waits for; coming back to a filing seen on the way means a circle.
    const seen = new Set<number>();
    let f: UnmatchedFiling | undefined = start;
    while (f && waits(f) && !seen.has(f.id)) {
      seen.add(f.id);
      f = byId.get(f.amends!);
    }
    if (f && seen.has(f.id)) {
      const circle = [f];
      for (let g = byId.get(f.amends!)!; g !== f; g = byId.get(g.amends!)!) circle.push(g);
      return [circle.reduce((a, b) => (a.id < b.id ? a : b))];
    }
  }
  return [];
}
