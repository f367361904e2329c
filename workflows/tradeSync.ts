import {
  ActivityFailure,
  ApplicationFailure,
  defineQuery,
  proxyActivities,
  setHandler,
  workflowInfo,
  log,
} from '@temporalio/workflow';
import type { DiscoveryActivities } from '../activities/discovery';
import type { IngestionActivities } from '../activities/ingestion';
import type { MatchActivities } from '../activities/match';
import {
  TRADE_SYNC_PROGRESS_QUERY,
  type DiscoveryResult,
  type IngestResult,
  type SyncSource,
  type TradeSyncInput,
  type TradeSyncProgress,
  type TradeSyncSummary,
} from '../domain/sync';
import { fanOutNotifications } from './fanOut';
import { mapPool } from './pool';

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

// One filing: fetch, parse, store. A parse failure is recorded on the filing and not retried. Its text
// is read in a process of its own (bounded by PDF_PARSE_TIMEOUT_SECONDS); a scanned paper filing is
// read by OCR (seconds per page, bounded by PAPER_OCR_TIMEOUT_SECONDS): the activity heartbeats while
// it works, so a stuck one or a dead worker is noticed within the heartbeat timeout, not the deadline.
const { ingestFiling } = proxyActivities<IngestionActivities>({
  startToCloseTimeout: '15 minutes',
  heartbeatTimeout: '2 minutes',
  retry: {
    initialInterval: '10 seconds',
    backoffCoefficient: 2,
    maximumInterval: '5 minutes',
    maximumAttempts: 5,
    nonRetryableErrorTypes: ['ParseError', 'FilingNotFound'],
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

/** Filings ingested at once (each waits on upstream I/O). */
const INGEST_CONCURRENCY = 4;

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
  const ingested = await mapPool(filingIds, INGEST_CONCURRENCY, async (id) => {
    const result = await ingestOne(id);
    progress.filingsIngested += 1;
    return result;
  });
  progress.stage = 'matching';
  const matched = await matchNewTransactions(syncId);
  progress.stage = 'notifying';
  const delivered = await fanOutNotifications(syncId, 'instant');
  progress.stage = 'done';

  const count = (status: IngestResult['status']) => ingested.filter((r) => r.status === status).length;
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
      parsed: count('parsed'),
      paper: count('paper'),
      pending: count('not_posted'),
      failed: count('failed'),
      unchanged: count('unchanged'),
    },
    transactions: ingested.reduce((n, r) => n + r.newTransactions, 0),
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

/** A filing that fails (bad document, retries exhausted) is counted, and the sync goes on. */
async function ingestOne(filingId: number): Promise<IngestResult> {
  try {
    return await ingestFiling(filingId);
  } catch (err) {
    if (!(err instanceof ActivityFailure)) throw err;
    return { filingId, status: 'failed', transactions: 0, newTransactions: 0 };
  }
}
