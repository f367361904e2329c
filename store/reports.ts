import {
  LATE_FILING_DAYS,
  type ActiveMember,
  type AnalyticsReport,
  type CountBy,
  type HealthIncident,
  type LateFiling,
  type PartyKey,
  type ReportTrade,
  type ReportWindow,
  type TickerActivity,
} from '../domain/report';
import type { Chamber } from '../domain/filing';
import type { DbClient } from './db';
import { biggestMovers } from './prices';

/**
 * The figures of one analytics report. Every query reads the same window: the local days
 * `from`..`to` of `timezone`, as instants (`$1`, `$2`, `$3` below).
 *
 * - filings: stored (parsed, or kept as paper) in the window; transactions: rows stored in the
 *   window, withdrawals (rows marked deleted) not counted;
 * - alerts: notifications matched in the window, by what became of them;
 * - users: added and removed in the window;
 * - incidents: the stored health results of the window, per check;
 * - biggest movers: the traded stocks whose price moved most over the window (once prices are stored).
 */
const LO = `($1::date::timestamp AT TIME ZONE $3)`;
const HI = `(($2::date + 1)::timestamp AT TIME ZONE $3)`;
const IN_WINDOW = (col: string) => `${col} >= ${LO} AND ${col} < ${HI}`;

const STORED_FILINGS = `
  SELECT f.*, COALESCE(m.full_name, f.filer_name) AS member, m.party
    FROM filings f LEFT JOIN members m ON m.bioguide_id = f.member_id
   WHERE f.status IN ('parsed', 'paper') AND ${IN_WINDOW('f.parsed_at')}`;

const NEW_TRADES = `
  SELECT t.*, f.chamber, f.filed_date, f.source_id, COALESCE(m.full_name, f.filer_name) AS member, m.party
    FROM transactions t JOIN filings f ON f.id = t.filing_id LEFT JOIN members m ON m.bioguide_id = f.member_id
   WHERE ${IN_WINDOW('t.created_at')} AND t.filing_status IS DISTINCT FROM 'deleted'`;

const TOP = 10;

export async function buildReportContent(
  db: DbClient,
  window: ReportWindow,
  now: Date,
): Promise<AnalyticsReport> {
  const p = [window.from, window.to, window.timezone];
  const q = async <T>(sql: string, params: unknown[] = p) => (await db.query(sql, params)).rows as T[];

  const [filingRows, tradeRows, topTickers, largestTrades, late, lateCount, activeMembers] =
    await Promise.all([
      q<{ chamber: Chamber; party: string | null; kind: string | null; amendment: boolean; n: number }>(
        `SELECT chamber, party, kind, amendment, count(*)::int AS n FROM (${STORED_FILINGS}) s
        GROUP BY chamber, party, kind, amendment`,
      ),
      q<{ chamber: Chamber; party: string | null; transaction_type: string; n: number }>(
        `SELECT chamber, party, transaction_type, count(*)::int AS n FROM (${NEW_TRADES}) s
        GROUP BY chamber, party, transaction_type`,
      ),
      q<TickerActivity>(
        `SELECT upper(ticker) AS ticker, count(*)::int AS trades,
              count(*) FILTER (WHERE transaction_type = 'purchase')::int AS buys,
              count(*) FILTER (WHERE transaction_type IN ('sale', 'sale_partial'))::int AS sells
         FROM (${NEW_TRADES}) s WHERE ticker IS NOT NULL
        GROUP BY upper(ticker) ORDER BY trades DESC, ticker LIMIT ${TOP}`,
      ),
      q<ReportTrade>(
        `SELECT member, chamber, party, ticker, asset_name AS "assetName", transaction_type AS "transactionType",
              amount_min AS "amountMin", amount_max AS "amountMax", transaction_date AS "transactionDate",
              filed_date AS "filedDate"
         FROM (${NEW_TRADES}) s WHERE COALESCE(amount_max, amount_min) IS NOT NULL
        ORDER BY COALESCE(amount_max, amount_min) DESC, amount_min DESC, member, transaction_date, ordinal, id
        LIMIT ${TOP}`,
      ),
      q<LateFiling>(`${LATE_FILINGS} ORDER BY "daysAfterTrade" DESC, "sourceId" LIMIT 20`, [
        ...p,
        LATE_FILING_DAYS,
      ]),
      q<{ n: number }>(`SELECT count(*)::int AS n FROM (${LATE_FILINGS}) l`, [...p, LATE_FILING_DAYS]),
      q<ActiveMember>(
        `SELECT s.member, s.chamber, s.party, count(DISTINCT s.id)::int AS filings, count(t.id)::int AS trades
         FROM (${STORED_FILINGS}) s
         LEFT JOIN transactions t ON t.filing_id = s.id AND t.filing_status IS DISTINCT FROM 'deleted'
        GROUP BY s.member, s.chamber, s.party ORDER BY trades DESC, filings DESC, s.member LIMIT ${TOP}`,
      ),
    ]);

  const [paper, alerts, users, incidents] = await Promise.all([
    q<{ count: number; oldestFiled: string | null }>(
      `SELECT count(*)::int AS count, min(filed_date) AS "oldestFiled" FROM filings f
        WHERE f.status = 'paper' AND f.parsed_at < (($1::date + 1)::timestamp AT TIME ZONE $2)
          AND NOT EXISTS (SELECT 1 FROM transactions t WHERE t.filing_id = f.id)`,
      [window.to, window.timezone],
    ),
    q<AnalyticsReport['alerts']>(
      `SELECT count(*) FILTER (WHERE status = 'sent')::int AS sent,
              count(*) FILTER (WHERE status = 'failed')::int AS failed,
              count(*) FILTER (WHERE status = 'suppressed')::int AS suppressed,
              count(DISTINCT user_id) FILTER (WHERE status = 'sent')::int AS "usersAlerted"
         FROM notifications WHERE ${IN_WINDOW('created_at')}`,
    ),
    q<AnalyticsReport['users']>(
      `SELECT (SELECT count(*) FROM users WHERE ${IN_WINDOW('created_at')})::int AS new,
              (SELECT count(*) FROM user_removals WHERE ${IN_WINDOW('removed_at')})::int AS removed,
              (SELECT count(*) FROM users WHERE status = 'active')::int AS active`,
    ),
    q<HealthIncident & { upstream: boolean }>(
      `WITH checks AS (
         SELECT r.id, r.checked_at, r.workflow_id, c->>'name' AS name, c->>'status' AS status, c->>'detail' AS detail
           FROM health_checks r, jsonb_array_elements(r.checks) c WHERE ${IN_WINDOW('r.checked_at')})
       SELECT name AS "check",
              count(*) FILTER (WHERE status IN ('warning', 'warn'))::int AS warning,
              count(*) FILTER (WHERE status = 'critical')::int AS critical,
              (array_agg(detail ORDER BY checked_at DESC, id DESC))[1] AS "lastDetail",
              bool_or(${UPSTREAM_CHECK}) AS upstream
         FROM checks WHERE status IN ('warning', 'warn', 'critical')
        GROUP BY name ORDER BY critical DESC, warning DESC, name`,
    ),
  ]);
  const { n: healthRuns } = (
    await q<{ n: number }>(`SELECT count(*)::int AS n FROM health_checks WHERE ${IN_WINDOW('checked_at')}`)
  )[0]!;
  const movers = await biggestMovers(db, { from: window.from, to: window.to, limit: TOP });

  const strip = ({ upstream: _u, ...i }: HealthIncident & { upstream: boolean }) => i;
  return {
    window,
    generatedAt: now.toISOString(),
    filings: {
      ...countBy(filingRows),
      paper: sum(filingRows.filter((r) => r.kind === 'paper')),
      amendments: sum(filingRows.filter((r) => r.amendment)),
    },
    transactions: {
      ...countBy(tradeRows),
      buys: sum(tradeRows.filter((r) => r.transaction_type === 'purchase')),
      sells: sum(
        tradeRows.filter((r) => r.transaction_type === 'sale' || r.transaction_type === 'sale_partial'),
      ),
      exchanges: sum(tradeRows.filter((r) => r.transaction_type === 'exchange')),
    },
    topTickers,
    largestTrades,
    lateFilings: { count: lateCount[0]!.n, filings: late },
    activeMembers,
    paperAwaiting: paper[0]!,
    alerts: alerts[0]!,
    users: users[0]!,
    incidents: {
      upstream: incidents.filter((i) => i.upstream).map(strip),
      health: incidents.filter((i) => !i.upstream).map(strip),
      runs: healthRuns,
    },
    biggestMovers: movers,
  };
}

/** Filings stored in the window whose earliest trade came more than $4 days before the filing. */
const LATE_FILINGS = `
  SELECT s.member, s.chamber, s.source_id AS "sourceId", s.filed_date AS "filedDate",
         min(t.transaction_date) AS "earliestTrade", (s.filed_date - min(t.transaction_date))::int AS "daysAfterTrade"
    FROM (${STORED_FILINGS}) s JOIN transactions t ON t.filing_id = s.id AND t.filing_status IS DISTINCT FROM 'deleted'
   WHERE s.filed_date IS NOT NULL AND t.transaction_date IS NOT NULL
   GROUP BY s.id, s.member, s.chamber, s.source_id, s.filed_date
  HAVING s.filed_date - min(t.transaction_date) > $4`;

/**
 * Which stored health checks concern the upstream sites (UpstreamHealthWorkflow's runs, or checks
 * named for a site) rather than this system's own health.
 */
const UPSTREAM_CHECK = `(workflow_id LIKE 'congress-api-health%' OR name ~ '^(upstream|house|senate|congress|prices?)')`;

function countBy(rows: { chamber: Chamber; party: string | null; n: number }[]): CountBy {
  const byChamber: CountBy['byChamber'] = { house: 0, senate: 0 };
  const byParty: CountBy['byParty'] = { D: 0, R: 0, I: 0, unknown: 0 };
  for (const r of rows) {
    byChamber[r.chamber] += r.n;
    const party: PartyKey = r.party === 'D' || r.party === 'R' || r.party === 'I' ? r.party : 'unknown';
    byParty[party] += r.n;
  }
  return { total: sum(rows), byChamber, byParty };
}

function sum(rows: { n: number }[]): number {
  return rows.reduce((n, r) => n + r.n, 0);
}

// ---- stored reports ----------------------------------------------------------------------------------

/** Keep a report; re-running a period replaces its content and keeps its id (and its deliveries). */
export async function saveReport(db: DbClient, report: AnalyticsReport): Promise<number> {
  const { rows } = await db.query<{ id: number }>(
    `INSERT INTO reports (period, period_from, period_to, timezone, content) VALUES ($1, $2, $3, $4, $5)
     ON CONFLICT (period, period_from) DO UPDATE SET period_to = EXCLUDED.period_to, timezone = EXCLUDED.timezone,
       content = EXCLUDED.content, updated_at = now()
     RETURNING id`,
    [
      report.window.period,
      report.window.from,
      report.window.to,
      report.window.timezone,
      JSON.stringify(report),
    ],
  );
  return rows[0]!.id;
}

export async function getReport(db: DbClient, id: number): Promise<AnalyticsReport | null> {
  const { rows } = await db.query<{ content: AnalyticsReport }>('SELECT content FROM reports WHERE id = $1', [
    id,
  ]);
  return rows[0]?.content ?? null;
}

/** Administrators this report was already sent to (lower-cased). */
export async function reportRecipientsSent(db: DbClient, reportId: number): Promise<Set<string>> {
  const { rows } = await db.query<{ email: string }>(
    'SELECT email FROM report_deliveries WHERE report_id = $1',
    [reportId],
  );
  return new Set(rows.map((r) => r.email));
}

export async function recordReportDelivery(
  db: DbClient,
  d: { reportId: number; email: string; messageId: string },
): Promise<void> {
  await db.query(
    `INSERT INTO report_deliveries (report_id, email, message_id) VALUES ($1, lower($2), $3)
     ON CONFLICT (report_id, email) DO NOTHING`,
    [d.reportId, d.email, d.messageId],
  );
}
