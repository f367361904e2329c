import type { Client } from '@temporalio/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serveHouseIndex, startTestSystem, type TestSystem } from '../support/system';

/**
 * A first sync of several years of indexes lists thousands of filings. Ingesting them all in the
 * sync's own history would pass Temporal's 10,240-event warning (and, further on, its hard limits):
 * every history of the run must stay below 10,000 events.
 */
const FILINGS = 3000;
let sys: TestSystem;

beforeAll(async () => {
  sys = await startTestSystem();
});
afterAll(async () => sys?.stop());

/** A House index listing `n` PTRs whose PDFs are not posted yet (the local Clerk answers 404). */
function largeIndex(n: number): string {
  const members = Array.from({ length: n }, (_, i) => {
    const docId = String(30_000_001 + i);
    const day = (i % 28) + 1;
    return `<Member><Prefix>Hon.</Prefix><Last>Member${i % 400}</Last><First>Test</First><Suffix /><FilingType>P</FilingType><StateDst>CA${String((i % 50) + 1).padStart(2, '0')}</StateDst><Year>2025</Year><FilingDate>${(i % 12) + 1}/${day}/2025</FilingDate><DocID>${docId}</DocID></Member>`;
  });
  return `\ufeff<?xml version="1.0" encoding="utf-8"?>\r\n<FinancialDisclosure>\r\n${members.join('\r\n')}\r\n</FinancialDisclosure>`;
}

/** Events in the history of the sync and of each child workflow it started. */
async function historyLengths(client: Client, workflowId: string): Promise<Record<string, number>> {
  const parent = (await client.workflow.getHandle(workflowId).fetchHistory()).events ?? [];
  const lengths: Record<string, number> = { [workflowId]: parent.length };
  for (const event of parent) {
    const child = event.childWorkflowExecutionStartedEventAttributes?.workflowExecution?.workflowId;
    if (child) lengths[child] = (await client.workflow.getHandle(child).fetchHistory()).events?.length ?? 0;
  }
  return lengths;
}

describe('trade sync history', () => {
  it(`a first sync of ${FILINGS.toLocaleString('en-US')} filings hands them all out, and no history reaches 10,000 events`, async () => {
    serveHouseIndex(sys.sites, largeIndex(FILINGS));
    const summary = await sys.sync(['house']);
    expect(summary.sources.house).toMatchObject({ baseline: true, newFilings: FILINGS, rejected: 0 });
    expect(summary.filings).toMatchObject({ new: FILINGS, pending: FILINGS, failed: 0 });
    const { rows } = await sys.db.query(
      `SELECT status, count(*)::int AS n, min(attempts)::int AS min, max(attempts)::int AS max FROM filings GROUP BY status`,
    );
    expect(rows).toEqual([{ status: 'not_posted', n: FILINGS, min: 1, max: 1 }]);
    const lengths = await historyLengths(sys.client, summary.syncId);
    // The sync and its ingestion batches (and no alert batch: a baseline alerts nobody).
    expect(Object.keys(lengths)).toHaveLength(1 + Math.ceil(FILINGS / 200));
    for (const [id, length] of Object.entries(lengths)) expect(length, id).toBeLessThan(10_000);
  }, 900_000);
});
