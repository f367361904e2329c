import {
  ActivityFailure,
  ApplicationFailure,
  defineQuery,
  proxyActivities,
  setHandler,
} from '@temporalio/workflow';
import type { PriceActivities } from '../activities/prices';
import { priceRunDecision } from '../domain/marketCalendar';
import {
  addCounts,
  emptyCounts,
  PRICE_PROGRESS_QUERY,
  PRICE_UPDATE_INTERVAL_MINUTES,
  type PriceBatch,
  type PriceBatchResult,
  type PriceRunMode,
  type PriceUpdateInput,
  type PriceUpdateProgress,
  type PriceUpdateResult,
} from '../domain/prices';
import { mapPool } from './pool';

/** Tickers per batch activity: 3,000 tickers are 30 activities, a history of about a hundred events. */
const BATCH_SIZE = 100;
/** Batches at once; each paces itself at 1/LANES of every source's rate limit, so together they keep it. */
const LANES = 4;

// Reading the tracked set and writing the trade moves are single queries.
const { planPriceUpdate, recordTradeMoves } = proxyActivities<PriceActivities>({
  startToCloseTimeout: '2 minutes',
  retry: { maximumAttempts: 5, nonRetryableErrorTypes: ['InvalidTicker'] },
});

// A batch of 100 tickers takes a minute or two at the default pace. It heartbeats after every ticker
// and a retry resumes from the last heartbeat; a rate limit sets its own retry delay (Retry-After).
const { updatePriceBatch } = proxyActivities<PriceActivities>({
  startToCloseTimeout: '12 minutes',
  heartbeatTimeout: '1 minute',
  retry: {
    initialInterval: '15 seconds',
    backoffCoefficient: 2,
    maximumInterval: '2 minutes',
    maximumAttempts: 5,
  },
});

export const priceProgressQuery = defineQuery<PriceUpdateProgress>(PRICE_PROGRESS_QUERY);

/**
 * Refresh the prices of every tracked ticker (schedule `price-update`, every 15 minutes): during the
 * NYSE session every run, after the close one closing run, otherwise nothing (the run ends at once,
 * saying why). Then recompute how each trade's stock has moved since. A manual run (`force`, or named
 * tickers) ignores the market clock.
 */
export async function PriceUpdateWorkflow(input: PriceUpdateInput = {}): Promise<PriceUpdateResult> {
  const manual = input.force === true || (input.tickers?.length ?? 0) > 0;
  const decision = manual
    ? { run: true as const, mode: 'manual' as const, reason: 'manual update' }
    : priceRunDecision(Date.now(), PRICE_UPDATE_INTERVAL_MINUTES);
  if (!decision.run)
    return {
      ...emptyCounts(),
      status: 'skipped',
      mode: null,
      reason: decision.reason,
      batches: 0,
      tradeMoves: 0,
    };

  const progress: PriceUpdateProgress = { batches: 0, batchesDone: 0, tickers: 0, tickersDone: 0 };
  setHandler(priceProgressQuery, () => progress);

  const plan = await planPriceUpdate({ tickers: input.tickers, batchSize: BATCH_SIZE });
  progress.batches = plan.batches.length;
  progress.tickers = plan.tickers;
  const results = await mapPool(plan.batches, LANES, async (batch) => {
    const done = await updateBatch(batch, decision.mode);
    progress.batchesDone += 1;
    progress.tickersDone += done.tickers;
    return done;
  });
  const counts = results.reduce(addCounts, emptyCounts());
  const { transactions } = await recordTradeMoves();
  return {
    ...counts,
    status: 'updated',
    mode: decision.mode,
    reason: decision.reason,
    batches: plan.batches.length,
    tradeMoves: transactions,
  };
}

/** A batch that fails for good is counted (its tickers rate limited or failed), and the run goes on. */
async function updateBatch(batch: PriceBatch, mode: PriceRunMode): Promise<PriceBatchResult> {
  try {
    return await updatePriceBatch({ batch, mode, lanes: LANES });
  } catch (err) {
    if (!(err instanceof ActivityFailure)) throw err;
    const size = 'tickers' in batch ? batch.tickers.length : batch.count;
    const cause = err.cause instanceof ApplicationFailure ? err.cause : null;
    const label = 'tickers' in batch ? batch.tickers.join(', ') : `${batch.first}…${batch.last}`;
    const counts = {
      ...emptyCounts(),
      tickers: size,
      problems: [`${label}: ${cause?.message ?? err.message}`],
    };
    return cause?.type === 'RateLimited' ? { ...counts, rateLimited: size } : { ...counts, failed: size };
  }
}
