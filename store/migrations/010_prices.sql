-- Stock prices: the latest quote and the daily closes of every tracked ticker, and how each trade's
-- stock has moved since. Tickers are stored in one canonical form (price_ticker below), whatever the
-- filing wrote; transactions keep their own spelling.

-- The canonical price ticker of a ticker as written (BRK/B, BRK-B -> BRK.B; T$A, T.PRA -> T-PA).
-- Twin of priceTicker() in domain/priceTickers.ts; a test keeps the two equal.
CREATE FUNCTION price_ticker(raw text) RETURNS text
  LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
  RETURN NULLIF(
    regexp_replace(
      regexp_replace(
        regexp_replace(upper(regexp_replace(raw, '\s+', '', 'g')), '^([A-Z]+)[./-]([A-OQ-Z])$', '\1.\2'),
        '^([A-Z]+)\$([A-Z]{0,2})$', '\1-P\2'),
      '^([A-Z]+)[.-]PR[.-]?([A-Z])$', '\1-P\2'),
    '');

CREATE INDEX transactions_price_ticker ON transactions (price_ticker(ticker), transaction_date)
  WHERE ticker IS NOT NULL;

-- What the price updater knows of each ticker it has asked about.
CREATE TABLE price_tickers (
  ticker        text PRIMARY KEY,
  -- ok: priced; unknown: no source knows it (asked again after a day); failed: the last try failed.
  status        text NOT NULL CHECK (status IN ('ok', 'unknown', 'failed')),
  detail        text,
  -- Daily closes are complete from this day on (loaded from the source's history); NULL: not yet.
  history_from  date,
  checked_at    timestamptz NOT NULL DEFAULT now(),
  first_seen_at timestamptz NOT NULL DEFAULT now()
);

-- The latest quote per ticker.
CREATE TABLE price_quotes (
  ticker     text PRIMARY KEY,
  price      double precision NOT NULL CHECK (price > 0),
  currency   text,
  quoted_at  timestamptz NOT NULL,
  source     text NOT NULL,
  fetched_at timestamptz NOT NULL DEFAULT now()
);

-- One close per ticker per trading day (New York date), upserted; only sessions that have closed.
CREATE TABLE price_daily (
  ticker     text NOT NULL,
  day        date NOT NULL,
  close      double precision NOT NULL CHECK (close > 0),
  source     text NOT NULL,
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (ticker, day)
);

-- How each trade's stock moved, from the stored closes, as of now: the close on the trade date (or
-- the trading day before it), the closes on the first trading day 1, 7 and 30 days later once those
-- sessions have closed, and the latest quote. A close is only taken where the ticker's history is
-- complete, and never from more than a long weekend away, so a gap never yields a wrong number.
CREATE VIEW transaction_price_moves AS
SELECT t.id AS transaction_id, k.ticker, tc.day AS trade_day, tc.close AS trade_close,
       c1.close AS close_1d, c7.close AS close_7d, c30.close AS close_30d,
       100 * (c1.close / tc.close - 1) AS change_1d_pct,
       100 * (c7.close / tc.close - 1) AS change_7d_pct,
       100 * (c30.close / tc.close - 1) AS change_30d_pct,
       q.price AS latest_price, q.currency, q.quoted_at AS latest_at, q.source AS latest_source,
       100 * (q.price / tc.close - 1) AS change_now_pct
  FROM transactions t
 CROSS JOIN LATERAL (SELECT price_ticker(t.ticker) AS ticker) k
  LEFT JOIN price_tickers pt ON pt.ticker = k.ticker
  LEFT JOIN LATERAL (SELECT d.day, d.close FROM price_daily d
                      WHERE d.ticker = k.ticker AND pt.history_from <= t.transaction_date
                        AND d.day <= t.transaction_date AND d.day > t.transaction_date - 5
                      ORDER BY d.day DESC LIMIT 1) tc ON true
  LEFT JOIN LATERAL (SELECT d.close FROM price_daily d
                      WHERE d.ticker = k.ticker AND tc.day IS NOT NULL
                        AND d.day >= t.transaction_date + 1 AND d.day < t.transaction_date + 6
                      ORDER BY d.day LIMIT 1) c1 ON true
  LEFT JOIN LATERAL (SELECT d.close FROM price_daily d
                      WHERE d.ticker = k.ticker AND tc.day IS NOT NULL
                        AND d.day >= t.transaction_date + 7 AND d.day < t.transaction_date + 12
                      ORDER BY d.day LIMIT 1) c7 ON true
  LEFT JOIN LATERAL (SELECT d.close FROM price_daily d
                      WHERE d.ticker = k.ticker AND tc.day IS NOT NULL
                        AND d.day >= t.transaction_date + 30 AND d.day < t.transaction_date + 35
                      ORDER BY d.day LIMIT 1) c30 ON true
  LEFT JOIN price_quotes q ON q.ticker = k.ticker
 WHERE k.ticker IS NOT NULL;

-- The same, kept per transaction by every price update (for reports and history): the close on the
-- trade date and the 1-, 7- and 30-day changes once those days have passed.
CREATE TABLE transaction_prices (
  transaction_id bigint PRIMARY KEY REFERENCES transactions (id) ON DELETE CASCADE,
  ticker         text NOT NULL,
  trade_day      date NOT NULL,
  trade_close    double precision NOT NULL,
  close_1d       double precision,
  close_7d       double precision,
  close_30d      double precision,
  change_1d_pct  double precision,
  change_7d_pct  double precision,
  change_30d_pct double precision,
  computed_at    timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX transaction_prices_ticker ON transaction_prices (ticker);
