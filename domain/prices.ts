import type { PriceSource } from './priceTickers';

/** How often the `price-update` schedule fires; the closing update is the first run in this window after the close. */
export const PRICE_UPDATE_INTERVAL_MINUTES = 15;

/** Name of the PriceUpdateWorkflow query that reports progress (`capitolscope prices update` polls it). */
export const PRICE_PROGRESS_QUERY = 'progress';

export interface PriceUpdateInput {
  /** Only these tickers (any spelling: `BRK.B`, `brk-b`); default: every tracked ticker. */
  tickers?: string[];
  /** Update now whatever the market clock says (a manual run). */
  force?: boolean;
}

export type PriceRunMode = 'session' | 'closing' | 'manual';

/** One slice of the run's tickers: a range of the tracked set (re-read by the batch), or named tickers. */
export type PriceBatch = { first: string; last: string; count: number } | { tickers: string[] };

export interface PricePlan {
  tickers: number;
  batches: PriceBatch[];
}

export interface PriceBatchInput {
  batch: PriceBatch;
  mode: PriceRunMode;
  /** Batches running at once: each paces itself at 1/lanes of every source's rate limit. */
  lanes: number;
}

/** What happened to one ticker in a run. */
export type TickerStatus =
  | 'updated'
  /** The source does not know the symbol: recorded, and not asked again for a day. */
  | 'unknown'
  /** Every source available was rate limited: tried again next run. */
  | 'rate_limited'
  /** Server errors or timeouts persisted through the retries and every fallback. */
  | 'failed';

export interface TickerOutcome {
  ticker: string;
  status: TickerStatus;
  source: PriceSource | null;
  detail: string | null;
}

export interface PriceCounts {
  tickers: number;
  updated: number;
  unknown: number;
  rateLimited: number;
  failed: number;
  bySource: Record<PriceSource, number>;
  /** Tickers whose daily history was loaded (first sight, an older trade, a split). */
  histories: number;
  /** Daily closes written or corrected. */
  closes: number;
  /** A few `TICKER: why` lines for what did not update (unknown, failed). */
  problems: string[];
}

export type PriceBatchResult = PriceCounts;

export interface PriceUpdateProgress {
  batches: number;
  batchesDone: number;
  tickers: number;
  tickersDone: number;
}

/** What a PriceUpdateWorkflow run did (or why it did nothing); reads well in the Web UI. */
export interface PriceUpdateResult extends PriceCounts {
  status: 'updated' | 'skipped';
  mode: PriceRunMode | null;
  reason: string;
  batches: number;
  /** Transactions whose trade-date close and 1/7/30-day moves were (re)computed. */
  tradeMoves: number;
}

/** At most this many problem lines travel in a result. */
export const MAX_PROBLEMS = 20;

export function emptyCounts(): PriceCounts {
  return {
    tickers: 0,
    updated: 0,
    unknown: 0,
    rateLimited: 0,
    failed: 0,
    bySource: { yahoo: 0, finnhub: 0, alphavantage: 0 },
    histories: 0,
    closes: 0,
    problems: [],
  };
}

export function addCounts(a: PriceCounts, b: PriceCounts): PriceCounts {
  return {
    tickers: a.tickers + b.tickers,
    updated: a.updated + b.updated,
    unknown: a.unknown + b.unknown,
    rateLimited: a.rateLimited + b.rateLimited,
    failed: a.failed + b.failed,
    bySource: {
      yahoo: a.bySource.yahoo + b.bySource.yahoo,
      finnhub: a.bySource.finnhub + b.bySource.finnhub,
      alphavantage: a.bySource.alphavantage + b.bySource.alphavantage,
    },
    histories: a.histories + b.histories,
    closes: a.closes + b.closes,
    problems: [...a.problems, ...b.problems].slice(0, MAX_PROBLEMS),
  };
}

/** Count one ticker's outcome. */
export function countOutcome(c: PriceCounts, o: TickerOutcome): PriceCounts {
  const next = { ...c, tickers: c.tickers + 1, bySource: { ...c.bySource } };
  if (o.status === 'updated') {
    next.updated += 1;
    if (o.source) next.bySource[o.source] += 1;
  } else if (o.status === 'unknown') next.unknown += 1;
  else if (o.status === 'rate_limited') next.rateLimited += 1;
  else next.failed += 1;
  if (o.status !== 'updated' && o.detail && next.problems.length < MAX_PROBLEMS)
    next.problems = [...next.problems, `${o.ticker}: ${o.detail}`];
  return next;
}

/** How a traded stock moved over a period: the last close before it against the last close in it. */
export interface PriceMover {
  ticker: string;
  /** Trades of it in the period (by trade date, or disclosed then). */
  trades: number;
  startDay: string;
  startClose: number;
  endDay: string;
  endClose: number;
  changePct: number;
}
