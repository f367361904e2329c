import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ApplicationFailure } from '@temporalio/common';
import { MockActivityEnvironment } from '@temporalio/testing';
import { strToU8, zipSync } from 'fflate';
import { afterAll, beforeAll, describe, expect, it, vi, type MockInstance } from 'vitest';
import { createIngestActivities, type IngestActivities } from '../../activities/ingest';
import { FixtureSites } from '../../devstack/fixtureSites';
import { fixturePath } from '../support/fixtures';
import { SenateEfdSite, efdSearchRow, type EfdRequestRecord } from '../../devstack/senateEfdSite';
import type { Config } from '../../domain/config';
import type { ParsedFiling, ParsedTransaction } from '../../domain/filing';
import { fetchBytes, HttpError } from '../../sources/http';
import { housePtrUrl } from '../../sources/house/clerkSite';
import { realClock, type EfdClock } from '../../sources/senate/efdClient';
import type { Db } from '../../store/db';
import {
  getFilingBySource,
  getSourceState,
  recordDiscoveredFilings,
  storeParsedFiling,
} from '../../store/filings';
import { createLogger, temporalLoggerFor } from '../../ops/logger';
import { createTestDatabase, testConfig } from '../support/services';
import { houseIndexXml, senateListing, serveHouseIndex, usDate } from '../support/system';

/**
 * The ingestion activities against a real PostgreSQL and the local upstream sites over HTTP. The
 * activities run in a MockActivityEnvironment (it only supplies the activity Context); every byte
 * goes through undici, every row through pg.
 */

const CLERK = fixturePath('house-clerk');
const PTR_DIR = 'public_disc/ptr-pdfs/2025';
const INDEX_PATH = '/house/public_disc/financial-pdfs/2025FD.zip';
const ptrPath = (docId: string) => `/house/${PTR_DIR}/${docId}.pdf`;
const ptrBytes = (docId: string) => readFileSync(join(CLERK, PTR_DIR, `${docId}.pdf`));
const CLERK_404_PAGE = readFileSync(join(CLERK, 'errors/404-ptr-not-yet-posted.html'));
const sha256 = (data: Uint8Array | string) => createHash('sha256').update(data).digest('hex');
const DAY_MS = 86_400_000;

/** DocIDs of the `P` rows of an index XML, read with a regex: independent of the parser under test. */
function ptrDocIds(xml: string): Set<string> {
  const ids = new Set<string>();
  for (const m of xml.matchAll(/<Member>([\s\S]*?)<\/Member>/g)) {
    const docId = /<DocID>(\w+)<\/DocID>/.exec(m[1]!)?.[1];
    if (docId && /<FilingType>P<\/FilingType>/.test(m[1]!)) ids.add(docId);
  }
  return ids;
}

const FEB_PTRS = ptrDocIds(houseIndexXml());
const NOV_PTRS = ptrDocIds(houseIndexXml({ snapshot: 'nov' }));

// ---- shared plumbing --------------------------------------------------------------------------

const cleanups: (() => Promise<void>)[] = [];
let sites: FixtureSites;
let senate: SenateEfdSite;

beforeAll(async () => {
  sites = new FixtureSites();
  await sites.start();
  cleanups.push(() => sites.stop());
  senate = new SenateEfdSite({ rows: [] });
  await senate.start();
  cleanups.push(() => senate.stop());
});

afterAll(async () => {
  for (const c of cleanups.reverse()) await c().catch(() => undefined);
});

interface Store {
  db: Db;
  config: Config;
  acts: IngestActivities;
  /** The same activities reading a clock `days` ahead. */
  later(days: number): IngestActivities;
}

/** A fresh migrated database per group, so groups never see each other's filings. */
async function freshStore(settings: Record<string, string> = { HOUSE_INDEX_YEARS: '2025' }): Promise<Store> {
  const database = await createTestDatabase();
  cleanups.push(database.drop);
  const config = testConfig({
    DATABASE_URL: database.url,
    HOUSE_CLERK_BASE_URL: sites.url('house'),
    SENATE_EFD_BASE_URL: senate.baseUrl,
    SENATE_REQUEST_INTERVAL_MS: '0',
    ...settings,
  });
  const deps = { config, db: database.db, logger: createLogger('silent') };
  return {
    db: database.db,
    config,
    acts: createIngestActivities(deps),
    later: (days) => createIngestActivities(deps, () => new Date(Date.now() + days * DAY_MS)),
  };
}

// Activity failures are the point of many tests here: keep the SDK's "Activity failed" warnings quiet.
const env = new MockActivityEnvironment(undefined, { logger: temporalLoggerFor(createLogger('silent')) });
/** Runs an activity in the mock Context, keeping its result type. */
const run = <A extends unknown[], R>(fn: (...args: A) => Promise<R>, ...args: A): Promise<R> =>
  env.run(fn, ...args);

/** The ApplicationFailure an activity call rejects with (fails the test if it resolves). */
async function failureOf(call: Promise<unknown>): Promise<ApplicationFailure> {
  const outcome = await call.then(
    (value) => ({ ok: true as const, value }),
    (error: unknown) => ({ ok: false as const, error }),
  );
  if (outcome.ok) throw new Error(`expected a failure, got ${JSON.stringify(outcome.value)}`);
  expect(outcome.error).toBeInstanceOf(ApplicationFailure);
  return outcome.error as ApplicationFailure;
}

interface StoredFiling {
  id: number;
  status: string;
  kind: string | null;
  failureReason: string | null;
  attempts: number;
  sha256: string | null;
  transactions: number;
  filerName: string;
  amendment: boolean;
  amendsFilingId: number | null;
  baseline: boolean;
}

async function stored(db: Db, sourceId: string, chamber = 'house'): Promise<StoredFiling> {
  const { rows } = await db.query<StoredFiling>(
    `SELECT f.id, f.status, f.kind, f.failure_reason AS "failureReason", f.attempts, f.sha256,
            f.filer_name AS "filerName", f.amendment, f.amends_filing_id AS "amendsFilingId", f.baseline,
            (SELECT count(*)::int FROM transactions t WHERE t.filing_id = f.id) AS transactions
       FROM filings f WHERE f.chamber = $1 AND f.source_id = $2`,
    [chamber, sourceId],
  );
  if (!rows[0]) throw new Error(`no ${chamber} filing ${sourceId} stored`);
  return rows[0];
}

async function totals(db: Db): Promise<{ filings: number; transactions: number; parsed: number }> {
  const { rows } = await db.query(
    `SELECT (SELECT count(*)::int FROM filings) AS filings,
            (SELECT count(*)::int FROM transactions) AS transactions,
            (SELECT count(*)::int FROM filings WHERE status = 'parsed') AS parsed`,
  );
  return rows[0];
}

async function houseSourceIds(db: Db, where = 'true'): Promise<string[]> {
  const { rows } = await db.query<{ s: string }>(
    `SELECT source_id AS s FROM filings WHERE chamber = 'house' AND ${where} ORDER BY source_id`,
  );
  return rows.map((r) => r.s);
}

async function ingest(store: Store, sourceId: string, chamber = 'house') {
  const filing = await getFilingBySource(store.db, chamber as 'house' | 'senate', sourceId);
  if (!filing) throw new Error(`no ${chamber} filing ${sourceId}`);
  return run(store.acts.ingestFiling, filing.id);
}

function transaction(overrides: Partial<ParsedTransaction> = {}): ParsedTransaction {
  return {
    owner: 'self',
    assetName: 'Apple Inc. - Common Stock',
    ticker: 'AAPL',
    assetType: 'ST',
    transactionType: 'purchase',
    transactionDate: '2025-02-03',
    notificationDate: '2025-02-04',
    amountMin: 1001,
    amountMax: 15000,
    filingStatus: 'new',
    description: null,
    comment: null,
    subholdingOf: null,
    ...overrides,
  };
}

function houseFiling(docId: string, filerName: string, txs: ParsedTransaction[]): ParsedFiling {
  return {
    chamber: 'house',
    filingId: docId,
    kind: 'electronic',
    filerName,
    stateDistrict: null,
    filedDate: '2025-02-13',
    amendment: false,
    transactions: txs,
  };
}

// ---- 1. the House index -----------------------------------------------------------------------

describe('House index discovery', () => {
  let store: Store;
  beforeAll(async () => {
    store = await freshStore();
  });

  it('the February index, on an empty store, records its 56 PTRs as a baseline', async () => {
    expect(FEB_PTRS.size).toBe(56);
    const before = sites.countRequests(INDEX_PATH);
    const result = await run(store.acts.discoverHouseFilings);
    expect(sites.countRequests(INDEX_PATH) - before).toBe(1);
    expect(result).toMatchObject({ source: 'house', baseline: true, unchanged: false, newFilings: 56 });
    expect(result.filingIds).toHaveLength(56);
    expect(await houseSourceIds(store.db)).toEqual([...FEB_PTRS].sort());
    const { rows } = await store.db.query(
      `SELECT count(*)::int AS n, bool_and(baseline) AS baseline, bool_and(status = 'discovered') AS discovered,
              sum(attempts)::int AS attempts, count(sha256)::int AS hashed FROM filings`,
    );
    expect(rows[0]).toEqual({ n: 56, baseline: true, discovered: true, attempts: 0, hashed: 0 });
    const pelosi = await getFilingBySource(store.db, 'house', '20026590');
    expect(pelosi).toMatchObject({
      filerName: 'Nancy Pelosi',
      stateDistrict: 'CA11',
      year: 2025,
      filedDate: '2025-01-17',
      kind: null,
      amendment: false,
      rawUrl: `${sites.url('house')}/public_disc/ptr-pdfs/2025/20026590.pdf`,
    });
    // The validators of the index are kept for the next, conditional, request.
    expect((await getSourceState(store.db, 'house-index-2025')).etag).toMatch(/^"[0-9a-f]{40}"$/);
  });

  it('the unchanged index costs one request answered 304 and records nothing', async () => {
    const before = sites.requests.length;
    const result = await run(store.acts.discoverHouseFilings);
    const indexRequests = sites.requests.slice(before).filter((r) => r.path === INDEX_PATH);
    expect(indexRequests.map((r) => r.status)).toEqual([304]);
    expect(sites.requests.length - before).toBe(1);
    expect(result).toMatchObject({ baseline: false, unchanged: true, newFilings: 0 });
    // The 56 are still waiting for their documents, so the sync still ingests them.
    expect(result.filingIds).toHaveLength(56);
    expect((await totals(store.db)).filings).toBe(56);
  });

  it('an index that gained filings records exactly the new DocIDs, not as baseline', async () => {
    const gained = [...NOV_PTRS].filter((id) => !FEB_PTRS.has(id)).sort();
    expect(gained).toHaveLength(415);
    serveHouseIndex(sites, houseIndexXml({ snapshot: 'nov' }));
    const result = await run(store.acts.discoverHouseFilings);
    expect(result).toMatchObject({ baseline: false, unchanged: false, newFilings: 415 });
    expect(await houseSourceIds(store.db, 'NOT baseline')).toEqual(gained);
    expect(await houseSourceIds(store.db, 'baseline')).toEqual([...FEB_PTRS].sort());
    expect(gained).toEqual(expect.arrayContaining(['20030336', '20033416']));
    // The new index's validators replaced the old: asked again, it answers 304.
    const before = sites.requests.length;
    const again = await run(store.acts.discoverHouseFilings);
    expect(again).toMatchObject({ unchanged: true, newFilings: 0 });
    expect(sites.requests.slice(before).map((r) => r.status)).toEqual([304]);
  });

  it('in January the previous year is read too, and a year without an index yet is no error', async () => {
    const january = await freshStore({});
    const acts = createIngestActivities(
      { config: january.config, db: january.db, logger: createLogger('silent') },
      () => new Date('2026-01-10T15:00:00Z'),
    );
    const before = sites.requests.length;
    const result = await run(acts.discoverHouseFilings);
    expect(sites.requests.slice(before).map((r) => `${r.path} ${r.status}`)).toEqual([
      '/house/public_disc/financial-pdfs/2025FD.zip 200',
      '/house/public_disc/financial-pdfs/2026FD.zip 404',
    ]);
    expect(result).toMatchObject({ baseline: true, unchanged: false, newFilings: 415 + 56 });
    expect((await getSourceState(january.db, 'house-index-2026')).etag).toBeNull();
  });

  describe('bad index answers change nothing', () => {
    let etagBefore: string | null;
    let totalsBefore: Awaited<ReturnType<typeof totals>>;
    beforeAll(async () => {
      // Some stored rows, to show a failed discovery leaves them alone.
      expect(await ingest(store, '20026590')).toMatchObject({ status: 'parsed', transactions: 9 });
      etagBefore = (await getSourceState(store.db, 'house-index-2025')).etag;
      totalsBefore = await totals(store.db);
      expect(totalsBefore).toEqual({ filings: 471, transactions: 9, parsed: 1 });
    });

    async function expectIntact() {
      expect(await totals(store.db)).toEqual(totalsBefore);
      expect((await getSourceState(store.db, 'house-index-2025')).etag).toBe(etagBefore);
      expect(await stored(store.db, '20026590')).toMatchObject({ status: 'parsed', transactions: 9 });
    }

    const serve = (body: string | Buffer, headers: Record<string, string> = {}, status = 200) =>
      sites.override(INDEX_PATH, {
        status,
        body,
        headers: { 'content-type': 'application/zip', ...headers },
      });

    it('a truncated ZIP is a non-retryable ParseError', async () => {
      const zip = readFileSync(join(CLERK, 'public_disc/financial-pdfs/2025FD.zip'));
      serve(zip.subarray(0, Math.floor(zip.length / 2)));
      const failure = await failureOf(run(store.acts.discoverHouseFilings));
      expect(failure).toMatchObject({ type: 'ParseError', nonRetryable: true });
      expect(failure.message).toMatch(/^House index ZIP is corrupt or truncated/);
      await expectIntact();
    });

    it('a ZIP whose XML is not the index is a non-retryable ParseError', async () => {
      const rss = '<?xml version="1.0"?><rss version="2.0"><channel><title>News</title></channel></rss>';
      serve(Buffer.from(zipSync({ '2025FD.xml': strToU8(rss) })));
      const failure = await failureOf(run(store.acts.discoverHouseFilings));
      expect(failure).toMatchObject({ type: 'ParseError', nonRetryable: true });
      expect(failure.message).toBe('not the House index: the XML has no <FinancialDisclosure> root');
      await expectIntact();
    });

    it('the index XML served bare instead of zipped is a non-retryable ParseError', async () => {
      serve(houseIndexXml(), { 'content-type': 'application/xml' });
      const failure = await failureOf(run(store.acts.discoverHouseFilings));
      expect(failure).toMatchObject({ type: 'ParseError', nonRetryable: true });
      expect(failure.message).toMatch(/^House index ZIP is corrupt or truncated/);
      await expectIntact();
    });

    it('an empty body is a non-retryable ParseError', async () => {
      serve('');
      const failure = await failureOf(run(store.acts.discoverHouseFilings));
      expect(failure).toMatchObject({
        type: 'ParseError',
        nonRetryable: true,
        message: 'House index ZIP is empty',
      });
      await expectIntact();
    });

    it('an answer over the size cap is refused without reading it, non-retryable', async () => {
      serve('PK', { 'content-length': String(40 * 1024 * 1024) });
      const failure = await failureOf(run(store.acts.discoverHouseFilings));
      expect(failure).toMatchObject({ type: 'HttpError', nonRetryable: true });
      expect(failure.message).toMatch(/: response of 41943040 bytes exceeds the 33554432-byte cap$/);
      await expectIntact();
    });

    it('a 5xx is a retryable failure that keeps the Retry-After', async () => {
      serve('<html>Service Unavailable</html>', { 'content-type': 'text/html', 'retry-after': '90' }, 503);
      const failure = await failureOf(run(store.acts.discoverHouseFilings));
      expect(failure).toMatchObject({ type: 'HttpError', nonRetryable: false, nextRetryDelay: '90s' });
      expect(failure.message).toMatch(/2025FD\.zip: HTTP 503$/);
      await expectIntact();
    });

    it('once the site is well again, the kept validators still save the download', async () => {
      serveHouseIndex(sites, houseIndexXml({ snapshot: 'nov' }));
      const before = sites.requests.length;
      expect(await run(store.acts.discoverHouseFilings)).toMatchObject({
        unchanged: true,
        newFilings: 0,
      });
      expect(sites.requests.slice(before).map((r) => r.status)).toEqual([304]);
      sites.clearOverrides();
    });
  });
});

// ---- 2–4, 6. House PTRs -----------------------------------------------------------------------

describe('House PTR ingestion', () => {
  let store: Store;
  beforeAll(async () => {
    sites.clearOverrides();
    store = await freshStore();
    expect(await run(store.acts.discoverHouseFilings)).toMatchObject({ baseline: true, newFilings: 56 });
  });

  it('ingesting a filing twice stores its rows once', async () => {
    const first = await ingest(store, '20026590');
    expect(first).toMatchObject({ status: 'parsed', transactions: 9, newTransactions: 9 });
    const second = await ingest(store, '20026590');
    expect(second).toMatchObject({ status: 'unchanged', transactions: 9, newTransactions: 0 });
    expect(await stored(store.db, '20026590')).toMatchObject({
      status: 'parsed',
      kind: 'electronic',
      failureReason: null,
      attempts: 2,
      sha256: sha256(ptrBytes('20026590')),
      transactions: 9,
      filerName: 'Nancy Pelosi',
    });
    const { rows } = await store.db.query(
      `SELECT t.ordinal, t.owner, t.ticker, t.transaction_type AS type, t.transaction_date AS date,
              t.amount_min AS min, t.amount_max AS max
         FROM transactions t JOIN filings f ON f.id = t.filing_id
        WHERE f.source_id = '20026590' ORDER BY t.ordinal LIMIT 1`,
    );
    expect(rows[0]).toEqual({
      ordinal: 0,
      owner: 'spouse',
      ticker: 'GOOGL',
      type: 'purchase',
      date: '2025-01-14',
      min: 250001,
      max: 500000,
    });
  });

  it('two overlapping ingests of one filing store its rows once', async () => {
    const results = await Promise.all([ingest(store, '20026537'), ingest(store, '20026537')]);
    expect(results.map((r) => r.status).sort()).toEqual(['parsed', 'unchanged']);
    expect(results.map((r) => r.newTransactions).sort()).toEqual([0, 4]);
    expect(await stored(store.db, '20026537')).toMatchObject({
      status: 'parsed',
      attempts: 2,
      transactions: 4,
    });
  });

  it('a scanned paper PTR is stored as paper, with no rows', async () => {
    expect(await ingest(store, '8220747')).toEqual({
      filingId: (await stored(store.db, '8220747')).id,
      status: 'paper',
      transactions: 0,
      newTransactions: 0,
    });
    expect(await stored(store.db, '8220747')).toMatchObject({
      status: 'paper',
      kind: 'paper',
      failureReason: null,
      attempts: 1,
      sha256: sha256(ptrBytes('8220747')),
      transactions: 0,
      // The scan names nobody; the index's name stays.
      filerName: 'Gus M. Bilirakis',
    });
  });

  it('a PTR listed before its PDF is posted waits as not_posted and is parsed once the PDF appears', async () => {
    const url = `${sites.url('house')}/${PTR_DIR}/20026548.pdf`;
    sites.override(ptrPath('20026548'), {
      status: 404,
      body: CLERK_404_PAGE,
      headers: { 'content-type': 'text/html' },
    });
    for (const attempt of [1, 2]) {
      expect(await ingest(store, '20026548')).toMatchObject({ status: 'not_posted', transactions: 0 });
      expect(await stored(store.db, '20026548')).toMatchObject({
        status: 'not_posted',
        failureReason: `HTTP 404 for ${url}`,
        attempts: attempt,
        sha256: null,
        transactions: 0,
      });
    }
    // Still pending: the next sync's discovery hands it out again.
    const id = (await stored(store.db, '20026548')).id;
    expect((await run(store.acts.discoverHouseFilings)).filingIds).toContain(id);

    sites.override(ptrPath('20026548'), { file: `${PTR_DIR}/20026548.pdf` });
    expect(await ingest(store, '20026548')).toMatchObject({
      status: 'parsed',
      transactions: 2,
      newTransactions: 2,
    });
    expect(await stored(store.db, '20026548')).toMatchObject({
      status: 'parsed',
      failureReason: null,
      attempts: 3,
      sha256: sha256(ptrBytes('20026548')),
      transactions: 2,
    });
    expect((await run(store.acts.discoverHouseFilings)).filingIds).not.toContain(id);
  });

  it('the Clerk’s HTML page served with status 200 instead of the PDF is also not_posted', async () => {
    sites.override(ptrPath('20026696'), {
      status: 200,
      body: CLERK_404_PAGE,
      headers: { 'content-type': 'text/html' },
    });
    expect(await ingest(store, '20026696')).toMatchObject({ status: 'not_posted' });
    expect(await stored(store.db, '20026696')).toMatchObject({
      status: 'not_posted',
      failureReason: `an HTML page instead of the PDF at ${sites.url('house')}/${PTR_DIR}/20026696.pdf`,
      attempts: 1,
      transactions: 0,
    });
  });

  it('a PTR whose PDF never appears fails after two weeks, with the reason', async () => {
    // 20026726 has no PDF among the fixtures: the site answers the Clerk's HTML 404 page.
    expect(await ingest(store, '20026726')).toMatchObject({ status: 'not_posted' });
    const id = (await stored(store.db, '20026726')).id;
    expect(await run(store.later(13).ingestFiling, id)).toMatchObject({ status: 'not_posted' });
    expect(await run(store.later(15).ingestFiling, id)).toEqual({
      filingId: id,
      status: 'failed',
      transactions: 0,
      newTransactions: 0,
    });
    const filing = await stored(store.db, '20026726');
    expect(filing).toMatchObject({ status: 'failed', attempts: 3, transactions: 0 });
    expect(filing.failureReason).toBe(
      `document never posted (15 days after listing): HTTP 404 for ${sites.url('house')}/${PTR_DIR}/20026726.pdf`,
    );
    expect((await run(store.acts.discoverHouseFilings)).filingIds).not.toContain(id);
  });

  describe('bad documents', () => {
    it('bytes that are not a PDF fail the filing without retry', async () => {
      const garbage = Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 7919 + 13) % 256));
      sites.override(ptrPath('20018054'), { body: garbage, headers: { 'content-type': 'application/pdf' } });
      const failure = await failureOf(ingest(store, '20018054'));
      expect(failure).toMatchObject({ type: 'ParseError', nonRetryable: true });
      expect(failure.message).toMatch(/^not a PDF: http:\/\/.*\/20018054\.pdf starts with /);
      expect(await stored(store.db, '20018054')).toMatchObject({
        status: 'failed',
        failureReason: failure.message,
        attempts: 1,
        sha256: null,
        transactions: 0,
      });
    });

    it('a truncated PDF fails the filing without retry', async () => {
      const pdf = ptrBytes('20026537');
      sites.override(ptrPath('20026750'), { body: pdf.subarray(0, 3000) });
      const failure = await failureOf(ingest(store, '20026750'));
      expect(failure).toMatchObject({ type: 'ParseError', nonRetryable: true });
      expect(failure.message).toMatch(/^unreadable PDF \(/);
      expect(await stored(store.db, '20026750')).toMatchObject({
        status: 'failed',
        failureReason: failure.message,
        transactions: 0,
      });
    });

    it('an empty body is retryable and leaves the filing pending', async () => {
      sites.override(ptrPath('20026724'), { body: '', headers: { 'content-type': 'application/pdf' } });
      const failure = await failureOf(ingest(store, '20026724'));
      expect(failure).toMatchObject({ type: 'HttpError', nonRetryable: false });
      expect(failure.message).toMatch(/20026724\.pdf: empty body$/);
      expect(await stored(store.db, '20026724')).toMatchObject({
        status: 'discovered',
        failureReason: null,
        attempts: 1,
        sha256: null,
        transactions: 0,
      });
    });

    it('a 5xx is retryable and leaves a not_posted filing as it was', async () => {
      sites.override(ptrPath('20026602'), { status: 404, body: CLERK_404_PAGE });
      expect(await ingest(store, '20026602')).toMatchObject({ status: 'not_posted' });
      const before = await stored(store.db, '20026602');
      sites.override(ptrPath('20026602'), {
        status: 502,
        body: 'Bad Gateway',
        headers: { 'retry-after': '30' },
      });
      const failure = await failureOf(ingest(store, '20026602'));
      expect(failure).toMatchObject({ type: 'HttpError', nonRetryable: false, nextRetryDelay: '30s' });
      expect(failure.message).toMatch(/20026602\.pdf: HTTP 502$/);
      expect(await stored(store.db, '20026602')).toEqual({ ...before, attempts: 2 });
      expect(before).toMatchObject({ status: 'not_posted', sha256: null, transactions: 0 });
    });

    it('a declared Content-Length over the cap fails the filing without reading the body', async () => {
      sites.override(ptrPath('20026647'), {
        body: '%PDF-1.7\n',
        headers: { 'content-type': 'application/pdf', 'content-length': String(64 * 1024 * 1024) },
      });
      const failure = await failureOf(ingest(store, '20026647'));
      expect(failure).toMatchObject({ type: 'HttpError', nonRetryable: true });
      expect(failure.message).toMatch(
        /20026647\.pdf: response of 67108864 bytes exceeds the 33554432-byte cap$/,
      );
      expect(await stored(store.db, '20026647')).toMatchObject({
        status: 'failed',
        failureReason: failure.message,
        transactions: 0,
      });
    });

    it('a streamed body over the cap fails the filing', async () => {
      const big = Buffer.alloc(32 * 1024 * 1024 + 4096, 0x20);
      big.write('%PDF-1.7\n');
      sites.override(ptrPath('20026535'), {
        body: big,
        headers: { 'content-type': 'application/pdf', 'transfer-encoding': 'chunked' },
      });
      const failure = await failureOf(ingest(store, '20026535'));
      expect(failure).toMatchObject({ type: 'HttpError', nonRetryable: true });
      expect(failure.message).toMatch(/20026535\.pdf: response exceeds the 33554432-byte cap$/);
      expect(await stored(store.db, '20026535')).toMatchObject({ status: 'failed', transactions: 0 });
    });

    // The activity's PTR fetch uses fetchBytes' fixed 60 s deadline (no setting reaches it), so the
    // deadline is shown on fetchBytes itself; the workflow's 3-minute startToCloseTimeout bounds the rest.
    it('an answer slower than the deadline is a retryable timeout', async () => {
      sites.override(ptrPath('20026516'), { delayMs: 1500, file: `${PTR_DIR}/20026548.pdf` });
      // Without the deadline the fetch would succeed with a PDF after 1.5 s.
      const err = await fetchBytes(`${sites.url('house')}/${PTR_DIR}/20026516.pdf`, { timeoutMs: 200 }).catch(
        (e: unknown) => e,
      );
      expect(err).toBeInstanceOf(HttpError);
      expect(err).toMatchObject({ retryable: true, status: null });
      expect((err as HttpError).message).toMatch(/20026516\.pdf: timed out$/);
    });

    it('a stored filing keeps its status and rows when a later fetch finds nothing', async () => {
      // Pelosi (parsed, 9 rows) and Bilirakis (paper) were stored above; now the Clerk answers 404.
      for (const docId of ['20026590', '8220747']) {
        const before = await stored(store.db, docId);
        sites.override(ptrPath(docId), { status: 404, body: CLERK_404_PAGE });
        await ingest(store, docId);
        expect(await stored(store.db, docId)).toEqual({ ...before, attempts: before.attempts + 1 });
      }
    });
  });

  describe('atomicity: a filing is never half stored', () => {
    it('a row the database refuses rolls back the whole filing', async () => {
      const filing = await stored(store.db, '20026770');
      const parsed = houseFiling('20026770', 'Someone Else', [
        transaction(),
        transaction({ owner: 'nobody' as ParsedTransaction['owner'], ticker: 'MSFT' }),
      ]);
      await expect(storeParsedFiling(store.db, filing.id, parsed, 'a'.repeat(64))).rejects.toThrow(
        /transactions_owner_check/,
      );
      expect(await stored(store.db, '20026770')).toEqual(filing);
      expect(filing).toMatchObject({ status: 'discovered', kind: null, sha256: null, transactions: 0 });
    });

    it('a changed document that fails midway leaves the stored rows and hash as they were', async () => {
      const before = await stored(store.db, '20026590');
      expect(before).toMatchObject({ transactions: 9 });
      const parsed = houseFiling('20026590', 'Nancy Pelosi', [
        transaction({ ticker: 'NEW1' }),
        transaction({ transactionType: 'gift' as ParsedTransaction['transactionType'] }),
      ]);
      await expect(storeParsedFiling(store.db, before.id, parsed, 'b'.repeat(64))).rejects.toThrow(
        /transactions_transaction_type_check/,
      );
      expect(await stored(store.db, '20026590')).toEqual(before);
    });
  });

  it('an amendment is linked to the earlier filing of the same filer that reports the same trade', async () => {
    const netflix = transaction({
      assetName: 'Netflix, Inc. - Common Stock',
      ticker: 'NFLX',
      transactionType: 'sale',
      transactionDate: '2025-04-17',
      notificationDate: '2025-04-17',
    });
    // The original: Bresnahan's filing 20024346 (in the February index), stored with the trade amended later.
    const original = await stored(store.db, '20024346');
    await storeParsedFiling(
      store.db,
      original.id,
      houseFiling('20024346', 'Rob Bresnahan', [transaction(), { ...netflix, transactionType: 'purchase' }]),
      'c'.repeat(64),
    );
    // Decoy: another member reporting the same asset on the same day.
    const decoy = await stored(store.db, '20026762');
    await storeParsedFiling(
      store.db,
      decoy.id,
      houseFiling('20026762', 'Julie Johnson', [netflix]),
      'd'.repeat(64),
    );
    // The amendment (filed in May) is listed later, as a newer index would list it.
    await recordDiscoveredFilings(
      store.db,
      [
        {
          chamber: 'house',
          sourceId: '20030336',
          filerName: 'Rob Bresnahan',
          stateDistrict: 'PA08',
          year: 2025,
          filedDate: '2025-05-12',
          rawUrl: housePtrUrl(store.config.sites.houseClerk, 2025, '20030336'),
          amendment: false,
          kind: null,
        },
      ],
      { baseline: false },
    );
    expect(await ingest(store, '20030336')).toMatchObject({
      status: 'parsed',
      transactions: 1,
      newTransactions: 1,
    });
    expect(await stored(store.db, '20030336')).toMatchObject({
      status: 'parsed',
      amendment: true,
      amendsFilingId: original.id,
      sha256: sha256(ptrBytes('20030336')),
      transactions: 1,
    });
    const { rows } = await store.db.query(
      `SELECT t.filing_status AS status, t.ticker, t.subholding_of AS sub
         FROM transactions t JOIN filings f ON f.id = t.filing_id WHERE f.source_id = '20030336'`,
    );
    expect(rows).toEqual([{ status: 'amended', ticker: 'NFLX', sub: 'JP Morgan Brokerage Account #2' }]);
  });
});

// ---- 5. the Senate eFD ------------------------------------------------------------------------

const WHITEHOUSE = 'aad1827a-05d8-4b8f-96ed-f3e5f8c925ab';
const TOOMEY = '47763e88-79c4-477e-af8d-5d5b3bc5ede4';
const TOOMEY_AMENDMENT = '1179b764-b4af-4732-9948-81a32fbf2a54';
const ROSEN = 'f9713429-c28a-4e22-bdb8-f5e182c364ed';
const PETERS = '1b7e3f54-6b1e-45f5-a7b4-a05d6fbe62d6';
const KING_PAPER = '00181DE2-0AC3-4373-9C2C-27A9C8D5DB59';
const REED_PAPER = '005C1940-0F77-446D-A7E2-4FB8DF292205';
const NEW_PAPER = 'A1B2C3D4-0000-4000-8000-00000000BEEF';
const senatePage = (uuid: string) => readFileSync(fixturePath('senate-efd/search/view/ptr', `${uuid}.html`));

function paperListing(uuid: string, first: string, last: string, date: string): string[] {
  return efdSearchRow({
    firstName: first,
    lastName: last,
    office: 'Senator',
    reportDate: date,
    reportTitle: `Periodic Transaction Report for ${date}`,
    reportLink: `/search/view/paper/${uuid}/`,
  });
}

describe('Senate eFD discovery and ingestion', () => {
  let store: Store;
  beforeAll(async () => {
    store = await freshStore();
    senate.setRows([
      senateListing(WHITEHOUSE, 'Sheldon', 'Whitehouse', usDate(3)),
      senateListing(TOOMEY, 'Patrick J', 'Toomey', usDate(3)),
      paperListing(KING_PAPER, 'ANGUS S', 'KING', usDate(3)),
      // The site lists some paper reports twice.
      paperListing(REED_PAPER, 'JOHN F', 'REED', usDate(2)),
      paperListing(REED_PAPER, 'JOHN F', 'REED', usDate(2)),
    ]);
  });

  const senateIds = async (where = 'true') => {
    const { rows } = await store.db.query<{ s: string }>(
      `SELECT source_id AS s FROM filings WHERE chamber = 'senate' AND ${where} ORDER BY source_id`,
    );
    return rows.map((r) => r.s);
  };

  it('the first search records each listed PTR once, paper ones as paper, as a baseline', async () => {
    const beats: unknown[] = [];
    const onBeat = (d: unknown) => beats.push(d);
    env.on('heartbeat', onBeat);
    const result = await run(store.acts.discoverSenateFilings).finally(() => env.off('heartbeat', onBeat));
    expect(result).toMatchObject({ source: 'senate', baseline: true, unchanged: false, newFilings: 4 });
    expect(result.filingIds).toHaveLength(4);
    // A long, paced search heartbeats from its start, so its heartbeat timeout tells stuck from slow.
    expect(beats.length).toBeGreaterThanOrEqual(1);
    expect(await senateIds()).toEqual([REED_PAPER, KING_PAPER, TOOMEY, WHITEHOUSE].sort());
    expect(await getFilingBySource(store.db, 'senate', KING_PAPER)).toMatchObject({
      kind: 'paper',
      status: 'discovered',
      filerName: 'ANGUS S KING',
      rawUrl: `${senate.baseUrl}/search/view/paper/${KING_PAPER}/`,
    });
    expect(await getFilingBySource(store.db, 'senate', WHITEHOUSE)).toMatchObject({
      kind: null,
      status: 'discovered',
      filerName: 'Sheldon Whitehouse',
      amendment: false,
      rawUrl: `${senate.baseUrl}/search/view/ptr/${WHITEHOUSE}/`,
    });
    expect((await getSourceState(store.db, 'senate-efd')).lastSuccessAt).toBeInstanceOf(Date);
  });

  it('ingests electronic reports from their pages and paper ones without fetching anything', async () => {
    const viewsBefore = senate.countRequests('/search/view/');
    expect(await ingest(store, WHITEHOUSE, 'senate')).toMatchObject({ status: 'parsed', transactions: 17 });
    expect(await ingest(store, TOOMEY, 'senate')).toMatchObject({ status: 'parsed', transactions: 1 });
    expect(await ingest(store, KING_PAPER, 'senate')).toMatchObject({ status: 'paper', transactions: 0 });
    expect(await ingest(store, REED_PAPER, 'senate')).toMatchObject({ status: 'paper', transactions: 0 });
    expect(senate.countRequests('/search/view/') - viewsBefore).toBe(2);
    expect(senate.countRequests('/search/view/paper/')).toBe(0);
    expect(await stored(store.db, WHITEHOUSE, 'senate')).toMatchObject({
      status: 'parsed',
      kind: 'electronic',
      attempts: 1,
      sha256: sha256(senatePage(WHITEHOUSE)),
      transactions: 17,
    });
    expect(await stored(store.db, KING_PAPER, 'senate')).toMatchObject({
      status: 'paper',
      kind: 'paper',
      failureReason: null,
      transactions: 0,
    });
    expect((await stored(store.db, KING_PAPER, 'senate')).sha256).toMatch(/^[0-9a-f]{64}$/);
  });

  it('the next search, after the session lapsed, records only the newly listed reports', async () => {
    senate.addRow(senateListing(ROSEN, 'Jacklyn S', 'Rosen', usDate(0)));
    senate.addRow(
      senateListing(
        TOOMEY_AMENDMENT,
        'Patrick J',
        'Toomey',
        usDate(0),
        'Periodic Transaction Report for 01/12/2016 (Amendment 2)',
      ),
    );
    senate.addRow(paperListing(NEW_PAPER, 'JOHN', 'DOE', usDate(0)));
    senate.expireSessions();
    const homeVisits = senate.countRequests('/search/home/', 'GET');
    const idsBefore = await senateIds();
    const result = await run(store.acts.discoverSenateFilings);
    expect(result).toMatchObject({ baseline: false, newFilings: 3 });
    expect((await senateIds()).filter((id) => !idsBefore.includes(id))).toEqual(
      [NEW_PAPER, ROSEN, TOOMEY_AMENDMENT].sort(),
    );
    // The search was sent back to the agreement page once, and the session set up again.
    expect(senate.countRequests('/search/home/', 'GET') - homeVisits).toBe(1);
    expect(senate.requests.some((r) => r.path === '/search/report/data/' && r.status === 302)).toBe(true);
    expect(await stored(store.db, TOOMEY_AMENDMENT, 'senate')).toMatchObject({ amendment: true });
  });

  it('a session that lapses between discovery and ingest is renewed', async () => {
    senate.expireSessions();
    expect(await ingest(store, ROSEN, 'senate')).toMatchObject({ status: 'parsed', transactions: 1 });
    expect(await ingest(store, TOOMEY_AMENDMENT, 'senate')).toMatchObject({
      status: 'parsed',
      transactions: 1,
    });
    expect(await stored(store.db, TOOMEY_AMENDMENT, 'senate')).toMatchObject({
      amendment: true,
      attempts: 1,
    });
  });

  it('a session that lapses between two pages of results is renewed and no row is lost', async () => {
    const many = Array.from({ length: 150 }, (_, i) =>
      senateListing(
        `0000${String(i).padStart(4, '0')}-1111-4222-8333-444455556666`,
        'Test',
        `Senator${i}`,
        usDate(0),
      ),
    );
    for (const row of many) senate.addRow(row);
    // Expire every session right after the first page of results is answered (the site records each
    // answer as it sends it, before the client can ask for the next page).
    const seen: EfdRequestRecord[] = [];
    let lapsed = false;
    senate.requests.push = (...records: EfdRequestRecord[]) => {
      for (const r of records) {
        seen.push(r);
        if (!lapsed && r.path === '/search/report/data/' && r.status === 200) {
          lapsed = true;
          senate.expireSessions();
        }
      }
      return Array.prototype.push.apply(senate.requests, records);
    };
    try {
      const result = await run(store.acts.discoverSenateFilings);
      expect(result).toMatchObject({ newFilings: 150 });
    } finally {
      // Back to the array's own push.
      delete (senate.requests as { push?: unknown }).push;
    }
    expect(seen.map((r) => `${r.method} ${r.path} ${r.status}`)).toEqual([
      'POST /search/report/data/ 200',
      'POST /search/report/data/ 302',
      'GET /search/home/ 200',
      'POST /search/home/ 302',
      'POST /search/report/data/ 200',
    ]);
    expect(await senateIds("source_id LIKE '0000%'")).toHaveLength(150);
  });

  it('a report page that is gone fails the filing without retry', async () => {
    const id = '00000000-1111-4222-8333-444455556666';
    const failure = await failureOf(ingest(store, id, 'senate'));
    expect(failure).toMatchObject({ type: 'HttpError', nonRetryable: true });
    expect(failure.message).toMatch(/\/search\/view\/ptr\/00000000-1111-4222-8333-444455556666\/: HTTP 404$/);
    expect(await stored(store.db, id, 'senate')).toMatchObject({
      status: 'failed',
      failureReason: failure.message,
    });
  });

  describe('maintenance windows', () => {
    // The eFD client backs off 2 s, 4 s, 8 s, 16 s between retries: skip the waits, keep the retries.
    let sleep: MockInstance<EfdClock['sleep']>;
    beforeAll(() => {
      sleep = vi.spyOn(realClock, 'sleep').mockResolvedValue(undefined);
    });
    afterAll(() => {
      senate.failNext(0);
      sleep.mockRestore();
    });

    it('a short maintenance answer is retried through', async () => {
      sleep.mockClear();
      senate.failNext(2);
      const result = await run(store.acts.discoverSenateFilings);
      expect(result).toMatchObject({ newFilings: 0 });
      expect(sleep.mock.calls.map(([ms]) => ms)).toEqual([2000, 4000]);
    });

    it('a persistent maintenance answer is a retryable failure and changes nothing', async () => {
      const stateBefore = await getSourceState(store.db, 'senate-efd');
      const totalsBefore = await totals(store.db);
      senate.addRow(senateListing(PETERS, 'Gary C', 'Peters', usDate(0)));
      senate.failNext(100);
      const failure = await failureOf(run(store.acts.discoverSenateFilings));
      expect(failure).toMatchObject({ type: 'EfdMaintenanceError', nonRetryable: false });
      expect(failure.message).toMatch(/the Senate eFD is down for maintenance \(HTTP 503\)$/);
      expect(sleep.mock.calls.slice(-4).map(([ms]) => ms)).toEqual([2000, 4000, 8000, 16000]);
      expect(await totals(store.db)).toEqual(totalsBefore);
      expect(await getSourceState(store.db, 'senate-efd')).toEqual(stateBefore);
    });

    it('a report page in maintenance is retryable and leaves the filing pending', async () => {
      senate.failNext(100);
      const id = '00000001-1111-4222-8333-444455556666';
      const failure = await failureOf(ingest(store, id, 'senate'));
      expect(failure).toMatchObject({ type: 'EfdMaintenanceError', nonRetryable: false });
      expect(await stored(store.db, id, 'senate')).toMatchObject({
        status: 'discovered',
        failureReason: null,
        attempts: 1,
        transactions: 0,
      });
      senate.failNext(0);
    });
  });
});
