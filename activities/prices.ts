import { ApplicationFailure, Context } from '@temporalio/activity';
import {
  addDays,
  isTradingDay,
  lastClosedSession,
  newYorkTime,
  sessionOn,
  tradingDayOnOrBefore,
} from '../domain/marketCalendar';
import {
  countOutcome,
  emptyCounts,
  type PriceBatch,
  type PriceBatchInput,
  type PriceBatchResult,
  type PriceCounts,
  type PricePlan,
  type TickerOutcome,
} from '../domain/prices';
import { priceTicker } from '../domain/priceTickers';
import type { PriceAnswer } from '../sources/prices/answer';
import { PriceSources, type PriceLookup } from '../sources/prices/priceSources';
import { chartRange } from '../sources/prices/yahoo';
import {
  recordPrices,
  recordTickerProblem,
  refreshTransactionPrices,
  storedCloses,
  tickerStates,
  trackedTickers,
  type TickerState,
} from '../store/prices';
import type { ActivityDeps } from './deps';
import { activityLog } from './log';

/** A rate limit ending within this long is waited out; a longer one retries the batch after it. */
const MAX_RATE_LIMIT_WAIT_MS = 30_000;
/** This many failed tickers in a row means a source is down: fail the batch, to be retried later. */
const FAILURE_STREAK = 10;
/** A stored close off by more than this from the source's means a split rewrote history: reload it. */
const SPLIT_TOLERANCE = 0.05;
/** History reaches a week before the earliest trade, so a holiday trade finds the day before it. */
const HISTORY_MARGIN_DAYS = 7;

interface BatchProgress {
  /** Index of the next ticker to do: a retried attempt resumes here. */
  next: number;
  counts: PriceCounts;
}

export function createPriceActivities({ config, db, logger }: ActivityDeps, opts: { now?: () => Date } = {}) {
  const now = opts.now ?? (() => new Date());
  const p = config.prices;

  return {
    /** The run's tickers in batches: ranges of the tracked set, or the tickers asked for. */
    async planPriceUpdate(input: { tickers?: string[]; batchSize: number }): Promise<PricePlan> {
      if (input.tickers?.length) {
        const wanted = [...new Set(input.tickers.map(priceTicker).filter((t): t is string => t !== null))];
        if (wanted.length === 0)
          throw ApplicationFailure.nonRetryable('no ticker symbol given', 'InvalidTicker');
        const sorted = wanted.sort();
        return {
          tickers: sorted.length,
          batches: chunk(sorted, input.batchSize).map((tickers) => ({ tickers })),
        };
      }
      const all = await trackedTickers(db, { trackDays: p.trackDays, now: now() });
      return {
        tickers: all.length,
        batches: chunk(all, input.batchSize).map((c) => ({ first: c[0]!, last: c.at(-1)!, count: c.length })),
      };
    },

    /**
     * Price one batch of tickers, one at a time through the paced sources, storing each as it comes.
     * Heartbeats carry the progress, so a retried attempt resumes where the last one stopped.
     */
    async updatePriceBatch(input: PriceBatchInput): Promise<PriceBatchResult> {
      const ctx = Context.current();
      const tickers = await batchTickers(input.batch);
      const resumed = ctx.info.heartbeatDetails as BatchProgress | undefined;
      const progress: BatchProgress = resumed ?? { next: 0, counts: emptyCounts() };
      const states = await tickerStates(db, tickers.slice(progress.next));
      const sources = new PriceSources({
        yahoo: { baseUrl: config.sites.prices },
        finnhub: p.finnhub.apiKey ? { baseUrl: p.finnhub.baseUrl, apiKey: p.finnhub.apiKey } : null,
        alphavantage: p.alphaVantage.apiKey
          ? { baseUrl: p.alphaVantage.baseUrl, apiKey: p.alphaVantage.apiKey }
          : null,
        requestsPerMinute: p.requestsPerMinute,
        lanes: input.lanes,
      });
      const beat = setInterval(() => ctx.heartbeat(progress), 5_000);
      let streak = 0;
      let beforeStreak = progress;
      try {
        for (let i = progress.next; i < tickers.length; i++) {
          if (ctx.cancellationSignal.aborted) throw ctx.cancellationSignal.reason;
          const ticker = tickers[i]!;
          const done = await updateTicker(ticker, states.get(ticker), sources);
          if (done.outcome.status !== 'failed') streak = 0;
          else if (streak++ === 0) beforeStreak = structuredClone(progress);
          if (streak >= FAILURE_STREAK) {
            // The retry starts again at the first of the failed ones.
            ctx.heartbeat(beforeStreak);
            throw ApplicationFailure.retryable(
              `${streak} tickers in a row failed; last: ${done.outcome.detail}`,
              'PricesUnavailable',
            );
          }
          progress.counts = {
            ...countOutcome(progress.counts, done.outcome),
            histories: progress.counts.histories + done.histories,
            closes: progress.counts.closes + done.closes,
          };
          progress.next = i + 1;
          ctx.heartbeat(progress);
        }
      } finally {
        clearInterval(beat);
      }
      activityLog(logger).info('price batch done', {
        mode: input.mode,
        tickers: tickers.length,
        updated: progress.counts.updated,
        unknown: progress.counts.unknown,
        rateLimited: progress.counts.rateLimited,
        failed: progress.counts.failed,
        resumedAt: resumed?.next ?? 0,
      });
      return progress.counts;
    },

    /** Recompute every trade's trade-date close and 1/7/30-day moves from the stored closes. */
    async recordTradeMoves(): Promise<{ transactions: number }> {
      return { transactions: await refreshTransactionPrices(db) };
    },
  };

  async function batchTickers(batch: PriceBatch): Promise<string[]> {
    if ('tickers' in batch) return batch.tickers;
    return trackedTickers(db, { trackDays: p.trackDays, now: now(), first: batch.first, last: batch.last });
  }

  /** Ask the sources for one ticker and store the answer; never throws for the ticker's own trouble. */
  async function updateTicker(
    ticker: string,
    state: TickerState | undefined,
    sources: PriceSources,
  ): Promise<{ outcome: TickerOutcome; histories: number; closes: number }> {
    const at = now().getTime();
    const today = newYorkTime(at).day;
    const wantFrom = state?.earliestTrade ? addDays(state.earliestTrade, -HISTORY_MARGIN_DAYS) : null;
    const needHistory = wantFrom !== null && (state?.historyFrom == null || state.historyFrom > wantFrom);
    const recent = addDays(today, -6);
    // Normally the last few days (which also heal a short gap); on first sight back to the earliest trade.
    const from = needHistory ? wantFrom! : state?.lastDay && state.lastDay < recent ? state.lastDay : recent;
    const found = await lookup(sources, ticker, chartRange(from, today));
    if (found.kind === 'unknown') {
      await recordTickerProblem(db, ticker, 'unknown', found.detail);
      return {
        outcome: { ticker, status: 'unknown', source: found.source, detail: found.detail },
        histories: 0,
        closes: 0,
      };
    }
    if (found.kind === 'failed') {
      await recordTickerProblem(db, ticker, 'failed', found.detail);
      return {
        outcome: { ticker, status: 'failed', source: null, detail: found.detail },
        histories: 0,
        closes: 0,
      };
    }
    if (found.kind === 'rate_limited') {
      return {
        outcome: { ticker, status: 'rate_limited', source: null, detail: found.detail },
        histories: 0,
        closes: 0,
      };
    }
    let answer = found.answer;
    let historyFrom = answer.source === 'yahoo' && needHistory ? from : null;
    if (
      answer.source === 'yahoo' &&
      !needHistory &&
      state?.historyFrom &&
      (await splitSeen(ticker, answer))
    ) {
      // Past closes changed (a split): load the whole history again, replacing every stored close.
      const reload = await lookup(sources, ticker, chartRange(state.historyFrom, today));
      if (reload.kind === 'answer' && reload.answer.source === 'yahoo') {
        answer = reload.answer;
        historyFrom = state.historyFrom;
      }
    }
    const { closes } = await recordPrices(db, {
      ticker,
      source: answer.source,
      quote: { price: answer.price, currency: answer.currency, quotedAt: new Date(quoteTime(answer, at)) },
      closes: finalCloses(answer, at),
      historyFrom,
    });
    return {
      outcome: { ticker, status: 'updated', source: answer.source, detail: null },
      histories: historyFrom ? 1 : 0,
      closes,
    };
  }

  /** A lookup, waiting out a short rate limit; a long one fails the attempt until it is over. */
  async function lookup(sources: PriceSources, ticker: string, range: string): Promise<PriceLookup> {
    for (;;) {
      const found = await sources.lookup(ticker, range);
      if (found.kind !== 'rate_limited') return found;
      const wait = found.retryAt - now().getTime();
      if (wait > MAX_RATE_LIMIT_WAIT_MS) {
        throw ApplicationFailure.create({
          message: `every price source is rate limited: ${found.detail}`,
          type: 'RateLimited',
          nextRetryDelay: `${Math.ceil(wait / 1000)}s`,
        });
      }
      await new Promise((ok) => setTimeout(ok, Math.max(wait, 0) + 50));
    }
  }

  async function splitSeen(ticker: string, answer: PriceAnswer): Promise<boolean> {
    const stored = await storedCloses(
      db,
      ticker,
      answer.closes.map((c) => c.day),
    );
    return answer.closes.some((c) => {
      const old = stored.get(c.day);
      return old !== undefined && Math.abs(c.close / old - 1) > SPLIT_TOLERANCE;
    });
  }
}

export type PriceActivities = ReturnType<typeof createPriceActivities>;

/**
 * The closes an answer settles: Yahoo's bars of sessions that have closed (today's bar is still moving
 * during the session); for a quote, its price once its session has closed, and its previous close.
 */
export function finalCloses(answer: PriceAnswer, atMs: number): { day: string; close: number }[] {
  const last = lastClosedSession(atMs).day;
  const closes = answer.closes.filter((c) => c.day <= last && isTradingDay(c.day));
  if (answer.quoteDay && isTradingDay(answer.quoteDay)) {
    if (answer.quoteDay <= last) closes.push({ day: answer.quoteDay, close: answer.price });
    if (answer.previousClose) {
      closes.push({ day: tradingDayOnOrBefore(addDays(answer.quoteDay, -1)), close: answer.previousClose });
    }
  }
  return closes;
}

/** When the price was struck: as the source says, else the close of its day (or now, during it). */
function quoteTime(answer: PriceAnswer, atMs: number): number {
  if (answer.quotedAt) return answer.quotedAt;
  const session = answer.quoteDay ? sessionOn(answer.quoteDay) : null;
  return session ? Math.min(session.closeMs, atMs) : atMs;
}

function chunk<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}
