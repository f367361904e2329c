import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { priceOn } from '../../devstack/priceSite';
import { createNotifyActivities } from '../../activities/notify';
import {
  addDays,
  isTradingDay,
  newYorkTime,
  sessionOn,
  tradingDayOnOrBefore,
} from '../../domain/marketCalendar';
import type { PriceUpdateInput, PriceUpdateResult } from '../../domain/prices';
import { priceTicker } from '../../domain/priceTickers';
import { TASK_QUEUES } from '../../domain/taskQueues';
import { formatChange, formatPrice } from '../../mail/priceMove';
import { formatIsoDate } from '../../mail/tradeFormat';
import { matchUnmatchedFilings } from '../../store/matching';
import { biggestMovers, trackedTickers } from '../../store/prices';
import { createLogger } from '../../ops/logger';
import { runCli } from '../support/cli';
import { seedFiling, seedUser } from '../support/seed';
import { trade } from '../support/trades';
import { startTestSystem, type TestSystem } from '../support/system';

let sys: TestSystem;
let runs = 0;
/** The request budget of each source in this file: fast, so the suite stays quick. */
const PER_MINUTE = 3000;

beforeAll(async () => {
  sys = await startTestSystem({
    FINNHUB_API_KEY: 'finnhub-test-key',
    ALPHA_VANTAGE_API_KEY: 'alpha-vantage-test-key',
    PRICES_REQUESTS_PER_MINUTE: String(PER_MINUTE),
    FINNHUB_REQUESTS_PER_MINUTE: String(PER_MINUTE),
    ALPHA_VANTAGE_REQUESTS_PER_MINUTE: String(PER_MINUTE),
  });
});
afterAll(async () => sys?.stop());
beforeEach(async () => {
  await sys.db.query(
    'TRUNCATE users, filings, price_tickers, price_quotes, price_daily RESTART IDENTITY CASCADE',
  );
  sys.prices.clear();
  await sys.smtp.clear();
});

async function update(input: PriceUpdateInput = { force: true }): Promise<PriceUpdateResult> {
  const handle = await sys.client.workflow.start('PriceUpdateWorkflow', {
    taskQueue: TASK_QUEUES.priceUpdates,
    workflowId: `prices-test-${++runs}`,
    args: [input],
  });
  return (await handle.result()) as PriceUpdateResult;
}

const today = () => newYorkTime(Date.now()).day;
/** A trading day at least `days` calendar days ago. */
const tradingDayAgo = (days: number) => tradingDayOnOrBefore(addDays(today(), -days));
const sources = () => sys.prices.requests.map((r) => `${r.source} ${r.status}`);

describe('tickers', () => {
  it('the SQL price_ticker() spells every ticker as priceTicker() does', async () => {
    const samples = [
      'NVDA',
      ' nvda ',
      'BRK.B',
      'brk/b',
      'BRK-B',
      'T$A',
      'T$',
      'T-P',
      'T-PA',
      'BAC.PR.L',
      'BAC-PRL',
      'IWDA.AS',
      'BF B',
      '',
    ];
    const { rows } = await sys.db.query<{ raw: string; t: string | null }>(
      'SELECT raw, price_ticker(raw) AS t FROM unnest($1::text[]) AS raw',
      [samples],
    );
    for (const r of rows) expect([r.raw, r.t]).toEqual([r.raw, priceTicker(r.raw)]);
  });
});

describe('which tickers', () => {
  it("tracks recent trades (both sides of an exchange), rule tickers and today's alerts, once each", async () => {
    const userId = await seedUser(sys.db, 'tracks@example.com', [{ ticker: 'RULT' }, { ticker: 'NEWT' }]);
    const filingId = await seedFiling(sys.db, {
      transactions: [
        trade({ ticker: 'NEWT', transactionDate: tradingDayAgo(10) }),
        trade({ ticker: 'brk/b', transactionDate: tradingDayAgo(12) }),
        trade({
          ticker: 'VFC',
          receivedTicker: 'KTB',
          transactionType: 'exchange',
          transactionDate: tradingDayAgo(14),
        }),
        trade({ ticker: 'OLDT', transactionDate: tradingDayAgo(400) }),
        trade({ ticker: 'ALRT', transactionDate: tradingDayAgo(500) }),
      ],
    });
    await sys.db.query(
      `INSERT INTO notifications (user_id, transaction_id, rule_ids, reasons)
       SELECT $1, id, '{}', '{}' FROM transactions WHERE filing_id = $2 AND ticker = 'ALRT'`,
      [userId, filingId],
    );
    expect(await trackedTickers(sys.db, { trackDays: 365, now: new Date() })).toEqual([
      'ALRT',
      'BRK.B',
      'KTB',
      'NEWT',
      'RULT',
      'VFC',
    ]);
  });
});

describe('sources', () => {
  it('falls back from Yahoo to Finnhub to Alpha Vantage when each is rate limited, in that order', async () => {
    sys.prices.rateLimit('yahoo', { retryAfter: 120 });
    let r = await update({ tickers: ['MSFT'] });
    expect(r).toMatchObject({ updated: 1, bySource: { yahoo: 0, finnhub: 1, alphavantage: 0 } });
    expect(sources()).toEqual(['yahoo 429', 'finnhub 200']);

    sys.prices.clear();
    sys.prices.rateLimit('yahoo', { retryAfter: 120 });
    sys.prices.rateLimit('finnhub', { retryAfter: 120 });
    r = await update({ tickers: ['MSFT'] });
    expect(r.bySource).toEqual({ yahoo: 0, finnhub: 0, alphavantage: 1 });
    expect(sources()).toEqual(['yahoo 429', 'finnhub 429', 'alphavantage 200']);
    const { rows } = await sys.db.query('SELECT source, price FROM price_quotes WHERE ticker = $1', ['MSFT']);
    // The stand-in quotes the latest session that has opened.
    const session = sessionOn(today());
    const day =
      session && session.openMs <= Date.now() ? today() : tradingDayOnOrBefore(addDays(today(), -1));
    expect(rows).toEqual([{ source: 'alphavantage', price: priceOn('MSFT', day) }]);
  });

  it('a rate-limited source rests for its Retry-After: the next tickers go straight to the fallback', async () => {
    sys.prices.rateLimit('yahoo', { retryAfter: 120 });
    const r = await update({ tickers: ['AMD', 'INTC', 'QCOM'] });
    expect(r.bySource.finnhub).toBe(3);
    expect(sys.prices.count('yahoo')).toBe(1);
  });

  it('retries server errors, and falls back only when they persist', async () => {
    sys.prices.fail('yahoo', { times: 2 });
    expect((await update({ tickers: ['ORCL'] })).bySource.yahoo).toBe(1);
    expect(sources()).toEqual(['yahoo 503', 'yahoo 503', 'yahoo 200']);

    sys.prices.clear();
    sys.prices.fail('yahoo');
    expect((await update({ tickers: ['ORCL'] })).bySource.finnhub).toBe(1);
    expect(sources()).toEqual(['yahoo 503', 'yahoo 503', 'yahoo 503', 'finnhub 200']);
  });

  it('records an unknown symbol without retrying it, and asks again only after a day', async () => {
    sys.prices.unknown('ZZZQ');
    await seedFiling(sys.db, {
      transactions: [trade({ ticker: 'ZZZQ', transactionDate: tradingDayAgo(10) })],
    });
    const first = await update();
    expect(first).toMatchObject({ tickers: 1, unknown: 1, updated: 0 });
    expect(first.problems[0]).toMatch(/^ZZZQ: Not Found/);
    expect(sources()).toEqual(['yahoo 404']);
    const { rows } = await sys.db.query("SELECT status FROM price_tickers WHERE ticker = 'ZZZQ'");
    expect(rows).toEqual([{ status: 'unknown' }]);

    expect((await update()).tickers).toBe(0);
    expect(sys.prices.count()).toBe(1);

    await sys.db.query("UPDATE price_tickers SET checked_at = now() - interval '25 hours'");
    expect((await update()).unknown).toBe(1);
    expect(sys.prices.count()).toBe(2);
  });
});

describe('history and moves', () => {
  it("loads a new ticker's history back to its earliest trade, and prices the trade from it (real AAPL chart)", async () => {
    await seedFiling(sys.db, {
      transactions: [
        trade({ ticker: 'AAPL', assetName: 'Apple Inc.', transactionDate: '2020-01-02' }),
        // New Year's Day: the close before it (2019-12-31) is not in the recorded chart, so nothing is shown.
        trade({
          ticker: 'AAPL',
          assetName: 'Apple Inc.',
          transactionDate: '2020-01-01',
          amountMin: 1001,
          amountMax: 15000,
        }),
      ],
    });
    const r = await update({ tickers: ['AAPL'] });
    expect(r).toMatchObject({ updated: 1, histories: 1, closes: 1, tradeMoves: 1 });
    expect(sys.prices.requests[0]!.query).toContain('range=10y');
    const { rows: state } = await sys.db.query(
      "SELECT history_from AS h FROM price_tickers WHERE ticker = 'AAPL'",
    );
    expect(state[0].h).toBe('2019-12-25');
    const { rows } = await sys.db.query(
      `SELECT t.transaction_date AS traded, pm.trade_day, pm.trade_close, pm.latest_price, pm.change_now_pct,
              tp.trade_close AS stored_close
         FROM transactions t JOIN transaction_price_moves pm ON pm.transaction_id = t.id
         LEFT JOIN transaction_prices tp ON tp.transaction_id = t.id ORDER BY t.transaction_date`,
    );
    expect(rows[0]).toMatchObject({
      traded: '2020-01-01',
      trade_day: null,
      trade_close: null,
      stored_close: null,
    });
    expect(rows[1]).toMatchObject({
      traded: '2020-01-02',
      trade_day: '2020-01-02',
      trade_close: 75.0875015258789,
      stored_close: 75.0875015258789,
      latest_price: 333.69,
    });
    // 333.69 / 75.0875 - 1 = +344.4 %
    expect(rows[1].change_now_pct).toBeCloseTo(344.405, 2);
  });

  it('an alert email shows the close on the trade date and the latest price with the change', async () => {
    const traded = tradingDayAgo(20);
    const userId = await seedUser(sys.db, 'movers@example.com', [{ ticker: 'NVDA' }]);
    await seedFiling(sys.db, { transactions: [trade({ ticker: 'NVDA', transactionDate: traded })] });
    const r = await update();
    expect(r).toMatchObject({ tickers: 1, updated: 1, histories: 1 });
    await matchUnmatchedFilings(sys.db, { syncId: 's1', maxFilingAgeDays: 0 });
    const notify = createNotifyActivities({ config: sys.config, db: sys.db, logger: createLogger('error') });
    expect(await notify.sendUserAlert({ userId, mode: 'instant' })).toMatchObject({ status: 'sent' });
    const [mail] = await sys.smtp.waitFor(1);

    const { rows } = await sys.db.query("SELECT price FROM price_quotes WHERE ticker = 'NVDA'");
    const then = priceOn('NVDA', traded);
    const date = formatIsoDate(traded)!.replace(
      /, \d{4}$/,
      traded.slice(0, 4) === today().slice(0, 4) ? '' : '$&',
    );
    const line = `NVDA ${formatPrice(then, 'USD')} on ${date} → ${formatPrice(rows[0].price, 'USD')} now, ${formatChange(then, rows[0].price)}`;
    expect(mail!.text).toContain(`Price: ${line}`);
    expect(mail!.html).toContain(line);

    // 1- and 7-day changes are known 20 days on; the 30-day one not yet.
    const { rows: moves } = await sys.db.query(
      'SELECT close_1d, close_7d, close_30d, change_7d_pct FROM transaction_prices',
    );
    const firstOnOrAfter = (d: string): string => (isTradingDay(d) ? d : firstOnOrAfter(addDays(d, 1)));
    expect(moves[0]).toMatchObject({
      close_1d: priceOn('NVDA', firstOnOrAfter(addDays(traded, 1))),
      close_7d: priceOn('NVDA', firstOnOrAfter(addDays(traded, 7))),
      close_30d: null,
    });
    expect(moves[0].change_7d_pct).toBeCloseTo(
      (priceOn('NVDA', firstOnOrAfter(addDays(traded, 7))) / then - 1) * 100,
      6,
    );
  });

  it('an alert shows no price line when the price is unknown', async () => {
    sys.prices.unknown('QQQZ');
    const userId = await seedUser(sys.db, 'unknown@example.com', [{ ticker: 'QQQZ' }]);
    await seedFiling(sys.db, {
      transactions: [trade({ ticker: 'QQQZ', transactionDate: tradingDayAgo(5) })],
    });
    await update();
    await matchUnmatchedFilings(sys.db, { syncId: 's2', maxFilingAgeDays: 0 });
    const notify = createNotifyActivities({ config: sys.config, db: sys.db, logger: createLogger('error') });
    await notify.sendUserAlert({ userId, mode: 'instant' });
    const [mail] = await sys.smtp.waitFor(1);
    expect(mail!.text).not.toContain('Price:');
    expect(mail!.text).toContain('QQQZ');
  });

  it('reloads the whole history when past closes changed (a split)', async () => {
    const traded = tradingDayAgo(40);
    await seedFiling(sys.db, { transactions: [trade({ ticker: 'NVDA', transactionDate: traded })] });
    await update();
    // As if stored before a 10-for-1 split: every close ten times what the source now says.
    await sys.db.query("UPDATE price_daily SET close = close * 10 WHERE ticker = 'NVDA'");
    sys.prices.clear();
    const r = await update();
    expect(r).toMatchObject({ updated: 1, histories: 1 });
    expect(sys.prices.count('yahoo')).toBe(2);
    const { rows } = await sys.db.query<{ day: string; close: number }>(
      "SELECT day, close FROM price_daily WHERE ticker = 'NVDA' ORDER BY day",
    );
    expect(rows.length).toBeGreaterThan(20);
    for (const row of rows) expect(row.close).toBe(priceOn('NVDA', row.day));
    const { rows: moves } = await sys.db.query('SELECT trade_close FROM transaction_prices');
    expect(moves).toEqual([{ trade_close: priceOn('NVDA', traded) }]);
  });

  it('ranks the biggest movers among traded stocks for the report', async () => {
    await seedFiling(sys.db, {
      transactions: ['AAA', 'BBB', 'CCC'].map((ticker) => trade({ ticker, transactionDate: '2025-03-04' })),
    });
    await sys.db.query(
      `INSERT INTO price_daily (ticker, day, close, source) VALUES
         ('AAA', '2025-03-03', 100, 'yahoo'), ('AAA', '2025-03-04', 103, 'yahoo'),
         ('BBB', '2025-03-03', 50, 'yahoo'), ('BBB', '2025-03-04', 40, 'yahoo'),
         ('CCC', '2025-03-03', 20, 'yahoo'), ('CCC', '2025-03-04', 20.2, 'yahoo'),
         ('DDD', '2025-03-03', 10, 'yahoo'), ('DDD', '2025-03-04', 30, 'yahoo')`,
    );
    const movers = await biggestMovers(sys.db, { from: '2025-03-04', to: '2025-03-04', limit: 2 });
    expect(movers.map((m) => [m.ticker, Math.round(m.changePct * 10) / 10])).toEqual([
      ['BBB', -20],
      ['AAA', 3],
    ]);
  });
});

describe('a full run', () => {
  // 300 tickers here keep the suite quick; `npm run bench` runs 3,000 at the default rate limits.
  const N = 300;
  const LANES = 4;

  it(`prices ${N} tickers within the rate limit, completely, with one request each`, async () => {
    const tickers = Array.from(
      { length: N },
      (_, i) => `X${String.fromCharCode(65 + (i % 26))}${String.fromCharCode(65 + Math.floor(i / 26))}`,
    );
    await seedFiling(sys.db, {
      transactions: tickers.map((ticker) => trade({ ticker, transactionDate: tradingDayAgo(30) })),
    });
    const first = await update();
    expect(first).toMatchObject({
      tickers: N,
      updated: N,
      unknown: 0,
      rateLimited: 0,
      failed: 0,
      histories: N,
      batches: 3,
    });
    expect(sys.prices.count('yahoo')).toBe(N);
    expect(new Set(sys.prices.requests.map((r) => r.symbol)).size).toBe(N);
    // Never faster than the budget: in any 2-second window at most 2 s worth, plus one request per lane.
    const perSecond = PER_MINUTE / 60;
    expect(sys.prices.maxInWindow('yahoo', 2000)).toBeLessThanOrEqual(2 * perSecond + 2 * LANES);
    const { rows } = await sys.db.query(
      `SELECT count(*)::int AS quotes, (SELECT count(*)::int FROM transaction_prices) AS moves,
              (SELECT count(*)::int FROM price_tickers WHERE status = 'ok' AND history_from IS NOT NULL) AS histories
         FROM price_quotes`,
    );
    expect(rows[0]).toEqual({ quotes: N, moves: N, histories: N });

    const second = await update();
    expect(second).toMatchObject({ tickers: N, updated: N, histories: 0 });
    expect(sys.prices.count('yahoo')).toBe(2 * N);
  }, 180_000);
});

describe('capitolscope prices', () => {
  const env = () => ({
    DATABASE_URL: sys.config.databaseUrl!,
    TEMPORAL_NAMESPACE: sys.config.temporal.namespace,
  });

  it('update --ticker runs an update through Temporal and prints what it did; show prints the ticker', async () => {
    await seedFiling(sys.db, {
      transactions: [trade({ ticker: 'NVDA', transactionDate: tradingDayAgo(20) })],
    });
    const table = await runCli(['prices', 'update', '--ticker', 'nvda'], env());
    expect(table.stderr).toBe('');
    expect(table.code).toBe(0);
    expect(table.stdout).toMatch(/^Updated\s+1 \(yahoo 1\)$/m);
    expect(table.stdout).toMatch(/^NVDA\s+\$[\d,]+\.\d\d\s+\S+ \S+\s+yahoo\s+ok$/m);

    const json = await runCli(['prices', 'update', '--ticker', 'NVDA', '-o', 'json'], env());
    expect(JSON.parse(json.stdout)).toMatchObject({ status: 'updated', mode: 'manual', updated: 1 });

    const show = await runCli(['prices', 'show', 'NVDA'], env());
    expect(show.code).toBe(0);
    expect(show.stdout).toMatch(/^Ticker\s+NVDA$/m);
    expect(show.stdout).toContain('Recent closes');
    expect(show.stdout).toMatch(/Nancy Pelosi\s+\w{3} \d+, \d{4}\s+Purchase/);

    const bad = await runCli(['prices', 'update', '--ticker', 'not a ticker!'], env());
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('--ticker must be a ticker symbol');
  }, 120_000);
});
