import { readFileSync } from 'node:fs';
import { WorkflowFailedError } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixturePath } from '../support/fixtures';
import {
  houseIndexXml,
  senateListing,
  serveHouseIndex,
  startTestSystem,
  usDate,
  FIXTURE_FILINGS,
  type TestSystem,
} from '../support/system';

/**
 * TradeSyncWorkflow end to end through the real workers: discovery and ingestion of the House and
 * Senate fixture sites into PostgreSQL, with a bad document and a broken index along the way.
 */

const COMER = '20018054';
const INDEX_PATH = '/house/public_disc/financial-pdfs/2025FD.zip';
/** February PTRs with a PDF among the fixtures, and how many rows each holds (paper: 0). */
const POSTED: Record<string, number> = {
  '20026537': 4,
  '20026517': 4,
  '20026489': 1,
  '20026513': 2,
  '20026650': 1,
  '20026736': 1,
  '8220747': 0,
  [FIXTURE_FILINGS.pelosi]: 9,
  [FIXTURE_FILINGS.cohen]: 2,
};

let sys: TestSystem;

beforeAll(async () => {
  sys = await startTestSystem();
});
afterAll(async () => sys?.stop());

async function statusTally(): Promise<Record<string, number>> {
  const { rows } = await sys.db.query<{ status: string; n: number }>(
    `SELECT status, count(*)::int AS n FROM filings WHERE chamber = 'house' GROUP BY status`,
  );
  return Object.fromEntries(rows.map((r) => [r.status, r.n]));
}

async function rowsBySource(): Promise<Record<string, number>> {
  const { rows } = await sys.db.query<{ s: string; n: number }>(
    `SELECT f.source_id AS s, count(t.id)::int AS n
       FROM filings f LEFT JOIN transactions t ON t.filing_id = f.id
      WHERE f.status IN ('parsed', 'paper') GROUP BY f.source_id`,
  );
  return Object.fromEntries(rows.map((r) => [r.s, r.n]));
}

describe('TradeSyncWorkflow ingestion', () => {
  it('a first sync stores the index as baseline, each posted PTR with its rows, and records the failures', async () => {
    serveHouseIndex(sys.sites, houseIndexXml({ without: [FIXTURE_FILINGS.pelosi, FIXTURE_FILINGS.cohen] }));
    // Comer's PTR is served as garbage: a bad document fails that filing, not the sync.
    sys.sites.override(`/house/public_disc/ptr-pdfs/2025/${COMER}.pdf`, {
      body: Buffer.from('GIF89a not a pdf at all'),
      headers: { 'content-type': 'application/pdf' },
    });
    const summary = await sys.sync(['house']);
    expect(summary.sources).toEqual({
      house: { baseline: true, unchanged: false, newFilings: 54, rejected: 0 },
    });
    // 54 listed: 6 e-filed PDFs and 1 paper scan exist, Comer's is garbage, the other 46 are not posted yet.
    expect(summary.filings).toEqual({ new: 54, parsed: 6, paper: 1, pending: 46, failed: 1, unchanged: 0 });
    expect(summary.transactions).toBe(13);
    expect(await statusTally()).toEqual({ parsed: 6, paper: 1, not_posted: 46, failed: 1 });
    const { [FIXTURE_FILINGS.pelosi]: _p, [FIXTURE_FILINGS.cohen]: _c, ...firstBatch } = POSTED;
    expect(await rowsBySource()).toEqual(firstBatch);
    const { rows } = await sys.db.query(
      `SELECT status, failure_reason AS reason, attempts FROM filings WHERE source_id = $1`,
      [COMER],
    );
    expect(rows).toEqual([
      {
        status: 'failed',
        reason: expect.stringMatching(/^not a PDF: http:\/\/.*\/20018054\.pdf starts with "GIF89a/),
        attempts: 1,
      },
    ]);
  });

  it('the next sync records exactly the new filings and retries only those still pending', async () => {
    serveHouseIndex(sys.sites, houseIndexXml());
    const summary = await sys.sync(['house']);
    expect(summary.sources).toEqual({
      house: { baseline: false, unchanged: false, newFilings: 2, rejected: 0 },
    });
    expect(summary.filings).toEqual({ new: 2, parsed: 2, paper: 0, pending: 46, failed: 0, unchanged: 0 });
    expect(summary.transactions).toBe(POSTED[FIXTURE_FILINGS.pelosi]! + POSTED[FIXTURE_FILINGS.cohen]!);
    const { rows } = await sys.db.query(
      `SELECT source_id AS s FROM filings WHERE NOT baseline ORDER BY source_id`,
    );
    expect(rows.map((r) => r.s)).toEqual([FIXTURE_FILINGS.pelosi, FIXTURE_FILINGS.cohen].sort());
    expect(await rowsBySource()).toEqual(POSTED);
    // Stored and failed filings are not fetched again; the not-posted ones are, once per sync.
    const { rows: attempts } = await sys.db.query(
      `SELECT status, min(attempts)::int AS min, max(attempts)::int AS max FROM filings GROUP BY status ORDER BY status`,
    );
    expect(attempts).toEqual([
      { status: 'failed', min: 1, max: 1 },
      { status: 'not_posted', min: 2, max: 2 },
      { status: 'paper', min: 1, max: 1 },
      { status: 'parsed', min: 1, max: 1 },
    ]);
  });

  it('a sync whose only source has a broken index fails the run, storing nothing', async () => {
    const zip = readFileSync(fixturePath('house-clerk/public_disc/financial-pdfs/2025FD.zip'));
    sys.sites.override(INDEX_PATH, {
      body: zip.subarray(0, 1000),
      headers: { 'content-type': 'application/zip' },
    });
    const before = { tally: await statusTally(), rows: await rowsBySource() };
    const indexRequests = sys.sites.countRequests(INDEX_PATH);
    const err = await sys.sync(['house']).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(WorkflowFailedError);
    const cause = (err as WorkflowFailedError).cause;
    expect(cause).toBeInstanceOf(ApplicationFailure);
    expect(cause).toMatchObject({ type: 'SyncFailed', message: 'no source could be synced' });
    // The index was asked once: a ParseError is not retried.
    expect(sys.sites.countRequests(INDEX_PATH) - indexRequests).toBe(1);
    expect(await statusTally()).toEqual(before.tally);
    expect(await rowsBySource()).toEqual(before.rows);
  });

  it('one broken source does not stop the other', async () => {
    sys.senate.setRows([senateListing(FIXTURE_FILINGS.whitehouse, 'Sheldon', 'Whitehouse', usDate(1))]);
    const indexRequests = sys.sites.countRequests(INDEX_PATH);
    const summary = await sys.sync(['house', 'senate']);
    expect(sys.sites.countRequests(INDEX_PATH) - indexRequests).toBe(1);
    expect(summary.sources).toEqual({
      senate: { baseline: true, unchanged: false, newFilings: 1, rejected: 0 },
    });
    // The House filings still pending were not handed out: their discovery failed.
    expect(summary.filings).toEqual({ new: 1, parsed: 1, paper: 0, pending: 0, failed: 0, unchanged: 0 });
    expect(summary.transactions).toBe(17);
    const { rows } = await sys.db.query(
      `SELECT status, baseline, (SELECT count(*)::int FROM transactions t WHERE t.filing_id = f.id) AS n
         FROM filings f WHERE chamber = 'senate'`,
    );
    expect(rows).toEqual([{ status: 'parsed', baseline: true, n: 17 }]);
  });
});
