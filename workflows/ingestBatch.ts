import { ActivityFailure, executeChild, patched, proxyActivities, workflowInfo } from '@temporalio/workflow';
import type { IngestionActivities } from '../activities/ingestion';
import type { IngestBatchInput, IngestResult, IngestTally } from '../domain/sync';
import { mapPool } from './pool';

// One filing: fetch, parse, store. A parse failure is recorded on the filing and not retried. Its text
// is read in a process of its own (bounded by PDF_PARSE_TIMEOUT_SECONDS); a scanned paper filing is
// read by OCR (seconds per page, bounded by PAPER_OCR_TIMEOUT_SECONDS): the activity heartbeats while
// it works (every 10 s, sent by the SDK at most every 48 s under this timeout), so a stuck one, a
// dead worker or a completion lost to a Temporal restart is noticed within a minute, not the deadline.
const { ingestFiling } = proxyActivities<IngestionActivities>({
  startToCloseTimeout: '15 minutes',
  heartbeatTimeout: '1 minute',
  retry: {
    initialInterval: '10 seconds',
    backoffCoefficient: 2,
    maximumInterval: '5 minutes',
    maximumAttempts: 5,
    nonRetryableErrorTypes: ['ParseError', 'FilingNotFound'],
  },
});

/** Filings per child workflow: about 1,300 events of history each, far below Temporal's limits. */
export const INGEST_BATCH_SIZE = 200;
/** Filings ingested at once (each waits on upstream I/O). */
const INGEST_CONCURRENCY = 4;

/**
 * Ingest these filings in child workflows of INGEST_BATCH_SIZE, one batch after another, so that a
 * first sync of thousands of filings keeps every history far below Temporal's limits. `onIngested`
 * hears how many filings each batch finished.
 */
export async function ingestFilings(
  filingIds: readonly number[],
  onIngested: (count: number) => void,
): Promise<IngestTally> {
  // Syncs started before batching ingested every filing in their own history: they finish that way.
  if (!patched('ingest-in-child-workflows')) return tally(await ingestEach(filingIds, onIngested));
  const parentId = workflowInfo().workflowId;
  let total = tally([]);
  for (let i = 0; i < filingIds.length; i += INGEST_BATCH_SIZE) {
    const batch = filingIds.slice(i, i + INGEST_BATCH_SIZE);
    const done = await executeChild(IngestFilingsWorkflow, {
      workflowId: `${parentId}/ingest-${batch[0]}-${batch.at(-1)}`,
      args: [{ filingIds: batch }],
    });
    total = add(total, done);
    onIngested(batch.length);
  }
  return total;
}

/** Ingest one batch of filings (a child of a trade sync). */
export async function IngestFilingsWorkflow(input: IngestBatchInput): Promise<IngestTally> {
  return tally(await ingestEach(input.filingIds, () => undefined));
}

function ingestEach(filingIds: readonly number[], onIngested: (count: number) => void) {
  return mapPool(filingIds, INGEST_CONCURRENCY, async (id) => {
    const result = await ingestOne(id);
    onIngested(1);
    return result;
  });
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

function tally(results: readonly IngestResult[]): IngestTally {
  const count = (status: IngestResult['status']) => results.filter((r) => r.status === status).length;
  return {
    parsed: count('parsed'),
    paper: count('paper'),
    pending: count('not_posted'),
    failed: count('failed'),
    unchanged: count('unchanged'),
    newTransactions: results.reduce((n, r) => n + r.newTransactions, 0),
  };
}

function add(a: IngestTally, b: IngestTally): IngestTally {
  return {
    parsed: a.parsed + b.parsed,
    paper: a.paper + b.paper,
    pending: a.pending + b.pending,
    failed: a.failed + b.failed,
    unchanged: a.unchanged + b.unchanged,
    newTransactions: a.newTransactions + b.newTransactions,
  };
}
