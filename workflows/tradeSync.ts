import {
  ApplicationFailure,
  defineQuery,
  proxyActivities,
  setHandler,
  workflowInfo,
  log,
} from '@temporalio/workflow';
import type { DiscoveryActivities } from '../activities/discovery';
import type { MatchActivities } from '../activities/match';
import {
  TRADE_SYNC_PROGRESS_QUERY,
  type DiscoveryResult,
  type SyncSource,
  type TradeSyncInput,
  type TradeSyncProgress,
  type TradeSyncSummary,
} from '../domain/sync';
import { fanOutNotifications } from './fanOut';
import { ingestFilings } from './ingestBatch';

// Discovery reads an index or pages through a search politely (1 request/s): minutes, not seconds.
// Upstream outages are retried for about an hour; a malformed index is not retried.
const { discoverHouseFilings, discoverSenateFilings } = proxyActivities<DiscoveryActivities>({
  startToCloseTimeout: '10 minutes',
  heartbeatTimeout: '2 minutes',
  retry: {
    initialInterval: '30 seconds',
    backoffCoefficient: 2,
    maximumInterval: '10 minutes',
    maximumAttempts: 8,
  },
});

// Matching commits in chunks of whole filings (seconds each) and heartbeats as it goes, so a dead
// worker is noticed within a minute and a retry resumes with the filings left. A busy day (1,000
// trades against 300,000 rules) takes seconds; the ceiling leaves room for a backlog of tens of
// thousands of trades (the first sync after an outage) in one attempt, and each retry goes further.
const { matchNewTransactions } = proxyActivities<MatchActivities>({
  startToCloseTimeout: '30 minutes',
  heartbeatTimeout: '1 minute',
  retry: {
    initialInterval: '10 seconds',
    backoffCoefficient: 2,
    maximumInterval: '5 minutes',
    maximumAttempts: 10,
  },
});

export const progressQuery = defineQuery<TradeSyncProgress>(TRADE_SYNC_PROGRESS_QUERY);

/**
 * Detect new House and Senate filings, ingest them, match their trades against every rule and
 * email each matching user once (schedule `trade-sync`).
 */
export async function TradeSyncWorkflow(input: TradeSyncInput = {}): Promise<TradeSyncSummary> {
  const syncId = workflowInfo().workflowId;
  const sources: SyncSource[] = input.sources?.length ? input.sources : ['house', 'senate'];
  const progress: TradeSyncProgress = { stage: 'discovering', filingsIngested: 0, filingsToIngest: 0 };
  setHandler(progressQuery, () => progress);

  const discoveries = await Promise.all(sources.map((s) => discover(s)));
  const found = discoveries.filter((d): d is DiscoveryResult => d !== null);
  const filingIds = [...new Set(found.flatMap((d) => d.filingIds))];

  Object.assign(progress, { stage: 'ingesting', filingsToIngest: filingIds.length });
  const ingested = await ingestFilings(filingIds, (n) => (progress.filingsIngested += n));
  progress.stage = 'matching';
  const matched = await matchNewTransactions(syncId);
  progress.stage = 'notifying';
  const delivered = await fanOutNotifications(syncId, 'instant', input.deliveryRetry);
  progress.stage = 'done';

  const summary: TradeSyncSummary = {
    syncId,
    sources: Object.fromEntries(
      found.map((d) => [
        d.source,
        { baseline: d.baseline, unchanged: d.unchanged, newFilings: d.newFilings, rejected: d.rejected },
      ]),
    ),
    filings: {
      new: found.reduce((n, d) => n + d.newFilings, 0),
      parsed: ingested.parsed,
      paper: ingested.paper,
      pending: ingested.pending,
      failed: ingested.failed,
      unchanged: ingested.unchanged,
    },
    transactions: ingested.newTransactions,
    notifications: matched.notifications,
    corrections: matched.corrections,
    usersNotified: delivered.usersNotified,
    emailsSent: delivered.emailsSent,
  };
  const failedSources = sources.length - found.length;
  if (failedSources === sources.length) {
    // Nothing could be discovered at all: fail the run so the schedule's history shows it.
    throw ApplicationFailure.create({
      message: 'no source could be synced',
      type: 'SyncFailed',
      details: [summary],
    });
  }
  return summary;
}

/** One source failing (its site down) must not stop the other from syncing. */
async function discover(source: SyncSource): Promise<DiscoveryResult | null> {
  try {
    return source === 'house' ? await discoverHouseFilings() : await discoverSenateFilings();
  } catch (err) {
    log.error('discovery failed', { source, error: (err as Error).message });
    return null;
  }
}
