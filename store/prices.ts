import type { PriceMover } from '../domain/prices';
import type { PriceSource } from '../domain/priceTickers';
import { withTransaction, type Db, type DbClient } from './db';

const C = 'COLLATE "C"';

/**
 * The tickers a price update covers, canonical and sorted (byte order): those of transactions of the
 * last `trackDays` (both sides of an exchange), those named in rules, and those of alerts made in the
 * last day; less those no source knew when asked within the last day. `first`/`last` bound a batch.
 */
export async function trackedTickers(
  db: DbClient,
  opts: { trackDays: number; now: Date; first?: string; last?: string },
): Promise<string[]> {
  const { rows } = await db.query<{ ticker: string }>(
    `WITH candidates AS (
       SELECT price_ticker(t.ticker) AS ticker FROM transactions t
        WHERE t.ticker IS NOT NULL AND t.transaction_date >= ($1::timestamptz AT TIME ZONE 'America/New_York')::date - $2::int
       UNION
       SELECT price_ticker(t.received_ticker) FROM transactions t
        WHERE t.received_ticker IS NOT NULL AND t.transaction_date >= ($1::timestamptz AT TIME ZONE 'America/New_York')::date - $2::int
       UNION
       SELECT price_ticker(r.ticker) FROM alert_rules r WHERE r.ticker IS NOT NULL
       UNION
       SELECT price_ticker(t.ticker) FROM notifications n JOIN transactions t ON t.id = n.transaction_id
        WHERE n.created_at >= $1::timestamptz - interval '1 day' AND t.ticker IS NOT NULL
     )
     SELECT c.ticker FROM candidates c LEFT JOIN price_tickers p ON p.ticker = c.ticker
      WHERE c.ticker IS NOT NULL
        AND ($3::text IS NULL OR c.ticker ${C} >= $3) AND ($4::text IS NULL OR c.ticker ${C} <= $4)
        AND NOT (p.status IS NOT DISTINCT FROM 'unknown' AND p.checked_at > $1::timestamptz - interval '1 day')
      ORDER BY c.ticker ${C}`,
    [opts.now, opts.trackDays, opts.first ?? null, opts.last ?? null],
  );
  return rows.map((r) => r.ticker);
}

/** What a price update needs to know of a ticker before asking a source. */
export interface TickerState {
  ticker: string;
  /** Daily closes are complete from this day on; null: no history loaded yet. */
  historyFrom: string | null;
  /** The last stored close's day. */
  lastDay: string | null;
  /** The earliest trade date of the ticker (any age): how far back its history must reach. */
  earliestTrade: string | null;
}

export async function tickerStates(db: DbClient, tickers: string[]): Promise<Map<string, TickerState>> {
  const { rows } = await db.query<TickerState>(
    `SELECT k.ticker, p.history_from AS "historyFrom",
            (SELECT max(d.day) FROM price_daily d WHERE d.ticker = k.ticker) AS "lastDay",
            (SELECT min(t.transaction_date) FROM transactions t
              WHERE price_ticker(t.ticker) = k.ticker AND t.ticker IS NOT NULL) AS "earliestTrade"
       FROM unnest($1::text[]) AS k(ticker)
       LEFT JOIN price_tickers p ON p.ticker = k.ticker`,
    [tickers],
  );
  return new Map(rows.map((r) => [r.ticker, r]));
}

/** Stored closes of a ticker on these days. */
export async function storedCloses(
  db: DbClient,
  ticker: string,
  days: string[],
): Promise<Map<string, number>> {
  const { rows } = await db.query<{ day: string; close: number }>(
    'SELECT day, close FROM price_daily WHERE ticker = $1 AND day = ANY ($2::date[])',
    [ticker, days],
  );
  return new Map(rows.map((r) => [r.day, r.close]));
}

export interface PriceRecord {
  ticker: string;
  source: PriceSource;
  quote: { price: number; currency: string | null; quotedAt: Date } | null;
  /** Closes of sessions that have closed. */
  closes: { day: string; close: number }[];
  /** Set when these closes are a complete history from this day on. */
  historyFrom: string | null;
}

/**
 * Store what a source answered for one ticker, in one transaction: the quote (unless an older one
 * arrives late), the closes (upserted; an unchanged close is not rewritten) and the ticker's state.
 * Safe to repeat. Returns how many closes were written or corrected.
 */
export async function recordPrices(db: Db, r: PriceRecord): Promise<{ closes: number }> {
  return withTransaction(db, async (tx) => {
    if (r.quote) {
      await tx.query(
        `INSERT INTO price_quotes (ticker, price, currency, quoted_at, source, fetched_at)
         VALUES ($1, $2, $3, $4, $5, now())
         ON CONFLICT (ticker) DO UPDATE SET price = EXCLUDED.price, currency = EXCLUDED.currency,
           quoted_at = EXCLUDED.quoted_at, source = EXCLUDED.source, fetched_at = now()
         WHERE price_quotes.quoted_at <= EXCLUDED.quoted_at`,
        [r.ticker, r.quote.price, r.quote.currency, r.quote.quotedAt, r.source],
      );
    }
    const written = await tx.query(
      `INSERT INTO price_daily (ticker, day, close, source)
       SELECT $1, d.day, d.close, $4 FROM unnest($2::date[], $3::float8[]) AS d(day, close)
       ON CONFLICT (ticker, day) DO UPDATE SET close = EXCLUDED.close, source = EXCLUDED.source, updated_at = now()
       WHERE price_daily.close IS DISTINCT FROM EXCLUDED.close`,
      [r.ticker, r.closes.map((c) => c.day), r.closes.map((c) => c.close), r.source],
    );
    await tx.query(
      `INSERT INTO price_tickers (ticker, status, detail, history_from, checked_at)
       VALUES ($1, 'ok', NULL, $2, now())
       ON CONFLICT (ticker) DO UPDATE SET status = 'ok', detail = NULL, checked_at = now(),
         history_from = COALESCE(EXCLUDED.history_from, price_tickers.history_from)`,
      [r.ticker, r.historyFrom],
    );
    return { closes: written.rowCount ?? 0 };
  });
}

/** A ticker no source priced: `unknown` (not asked again for a day) or `failed` (asked next run). */
export async function recordTickerProblem(
  db: DbClient,
  ticker: string,
  status: 'unknown' | 'failed',
  detail: string,
): Promise<void> {
  await db.query(
    `INSERT INTO price_tickers (ticker, status, detail, checked_at) VALUES ($1, $2, $3, now())
     ON CONFLICT (ticker) DO UPDATE SET status = EXCLUDED.status, detail = EXCLUDED.detail, checked_at = now()`,
    [ticker, status, detail.slice(0, 500)],
  );
}

/**
 * Keep `transaction_prices` equal to `transaction_price_moves` (one statement each way): rows whose
 * values changed are rewritten, rows that lost their trade-date close are removed. Returns the rows
 * written or removed.
 */
export async function refreshTransactionPrices(db: DbClient): Promise<number> {
  const { rows } = await db.query<{ n: number }>(
    `WITH moves AS (
       SELECT transaction_id, ticker, trade_day, trade_close, close_1d, close_7d, close_30d,
              change_1d_pct, change_7d_pct, change_30d_pct
         FROM transaction_price_moves WHERE trade_close IS NOT NULL
     ), written AS (
       INSERT INTO transaction_prices AS tp (transaction_id, ticker, trade_day, trade_close, close_1d, close_7d,
                                             close_30d, change_1d_pct, change_7d_pct, change_30d_pct)
       SELECT * FROM moves
       ON CONFLICT (transaction_id) DO UPDATE SET ticker = EXCLUDED.ticker, trade_day = EXCLUDED.trade_day,
         trade_close = EXCLUDED.trade_close, close_1d = EXCLUDED.close_1d, close_7d = EXCLUDED.close_7d,
         close_30d = EXCLUDED.close_30d, change_1d_pct = EXCLUDED.change_1d_pct,
         change_7d_pct = EXCLUDED.change_7d_pct, change_30d_pct = EXCLUDED.change_30d_pct, computed_at = now()
       WHERE (tp.ticker, tp.trade_day, tp.trade_close, tp.close_1d, tp.close_7d, tp.close_30d)
             IS DISTINCT FROM (EXCLUDED.ticker, EXCLUDED.trade_day, EXCLUDED.trade_close, EXCLUDED.close_1d,
                               EXCLUDED.close_7d, EXCLUDED.close_30d)
       RETURNING 1
     ), removed AS (
       DELETE FROM transaction_prices tp WHERE NOT EXISTS (SELECT 1 FROM moves m WHERE m.transaction_id = tp.transaction_id)
       RETURNING 1
     )
     SELECT (SELECT count(*) FROM written)::int + (SELECT count(*) FROM removed)::int AS n`,
  );
  return rows[0]!.n;
}

// ---- reading (`capitolscope prices show`, reports) -------------------------------------------------

export interface TickerPrices {
  ticker: string;
  status: string | null;
  detail: string | null;
  historyFrom: string | null;
  checkedAt: Date | null;
  quote: { price: number; currency: string | null; quotedAt: Date; source: string } | null;
  closes: { day: string; close: number }[];
  trades: TradeMove[];
}

export interface TradeMove {
  transactionId: number;
  memberName: string;
  chamber: string;
  transactionType: string;
  transactionDate: string | null;
  amountMin: number | null;
  amountMax: number | null;
  tradeDay: string | null;
  tradeClose: number | null;
  change1dPct: number | null;
  change7dPct: number | null;
  change30dPct: number | null;
  changeNowPct: number | null;
}

/** A ticker's latest quote, its recent closes (newest first) and its trades with their moves. */
export async function tickerPrices(
  db: DbClient,
  ticker: string,
  opts: { closes: number; trades: number },
): Promise<TickerPrices> {
  const [state, closes, trades] = await Promise.all([
    db.query(
      `SELECT p.status, p.detail, p.history_from AS "historyFrom", p.checked_at AS "checkedAt",
              CASE WHEN q.ticker IS NULL THEN NULL ELSE json_build_object('price', q.price, 'currency', q.currency,
                'quotedAt', q.quoted_at, 'source', q.source) END AS quote
         FROM (SELECT $1::text AS ticker) k
         LEFT JOIN price_tickers p ON p.ticker = k.ticker
         LEFT JOIN price_quotes q ON q.ticker = k.ticker`,
      [ticker],
    ),
    db.query<{ day: string; close: number }>(
      'SELECT day, close FROM price_daily WHERE ticker = $1 ORDER BY day DESC LIMIT $2',
      [ticker, opts.closes],
    ),
    db.query<TradeMove>(
      `SELECT t.id AS "transactionId", COALESCE(m.full_name, f.filer_name) AS "memberName", f.chamber,
              t.transaction_type AS "transactionType", t.transaction_date AS "transactionDate",
              t.amount_min AS "amountMin", t.amount_max AS "amountMax",
              pm.trade_day AS "tradeDay", pm.trade_close AS "tradeClose", pm.change_1d_pct AS "change1dPct",
              pm.change_7d_pct AS "change7dPct", pm.change_30d_pct AS "change30dPct",
              pm.change_now_pct AS "changeNowPct"
         FROM transactions t
         JOIN filings f ON f.id = t.filing_id
         LEFT JOIN members m ON m.bioguide_id = f.member_id
         LEFT JOIN transaction_price_moves pm ON pm.transaction_id = t.id
        WHERE price_ticker(t.ticker) = $1 AND t.ticker IS NOT NULL
        ORDER BY t.transaction_date DESC NULLS LAST, t.id DESC
        LIMIT $2`,
      [ticker, opts.trades],
    ),
  ]);
  const s = state.rows[0] ?? {};
  const quote = s.quote ? { ...s.quote, quotedAt: new Date(s.quote.quotedAt) } : null;
  return {
    ticker,
    status: s.status ?? null,
    detail: s.detail ?? null,
    historyFrom: s.historyFrom ?? null,
    checkedAt: s.checkedAt ?? null,
    quote,
    closes: closes.rows,
    trades: trades.rows,
  };
}

/**
 * The period's biggest movers among traded stocks: tickers members traded in [from, to] (trade
 * date) or disclosed then (filing first seen), ranked by the size of their move from the last close
 * before `from` to the last close on or before `to` (ISO dates, New York). For the analytics report.
 */
export async function biggestMovers(
  db: DbClient,
  opts: { from: string; to: string; limit: number },
): Promise<PriceMover[]> {
  const { rows } = await db.query<PriceMover>(
    `WITH traded AS (
       SELECT price_ticker(t.ticker) AS ticker, count(*)::int AS trades
         FROM transactions t JOIN filings f ON f.id = t.filing_id
        WHERE t.ticker IS NOT NULL
          AND (t.transaction_date BETWEEN $1::date AND $2::date
               OR (f.first_seen_at AT TIME ZONE 'America/New_York')::date BETWEEN $1::date AND $2::date)
        GROUP BY 1
     )
     SELECT tr.ticker, tr.trades, s.day AS "startDay", s.close AS "startClose", e.day AS "endDay",
            e.close AS "endClose", 100 * (e.close / s.close - 1) AS "changePct"
       FROM traded tr
       JOIN LATERAL (SELECT day, close FROM price_daily d WHERE d.ticker = tr.ticker AND d.day < $1::date
                      AND d.day > $1::date - 7 ORDER BY day DESC LIMIT 1) s ON true
       JOIN LATERAL (SELECT day, close FROM price_daily d WHERE d.ticker = tr.ticker AND d.day <= $2::date
                      AND d.day >= $1::date ORDER BY day DESC LIMIT 1) e ON true
      ORDER BY abs(e.close / s.close - 1) DESC, tr.ticker
      LIMIT $3`,
    [opts.from, opts.to, opts.limit],
  );
  return rows;
}
