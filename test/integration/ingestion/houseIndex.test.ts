import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { strToU8, zipSync } from 'fflate';
import { beforeAll, describe, expect, it } from 'vitest';
import { getSourceState } from '../../../store/sourceState';
import {
  CLERK,
  FEB_PTRS,
  INDEX_PATH,
  NOV_PTRS,
  failureOf,
  houseSourceIds,
  ingest,
  ingestionHarness,
  listed,
  run,
  stored,
  totals,
  type Store,
} from '../../support/ingestion';
import { houseIndexXml, serveHouseIndex } from '../../support/system';

/** The House Clerk's yearly index: what discovery records, and what a bad answer leaves alone. */
const h = ingestionHarness();

describe('House index discovery', () => {
  let store: Store;
  beforeAll(async () => {
    store = await h.freshStore();
  });

  it('the February index, on an empty store, records its 56 PTRs as a baseline', async () => {
    expect(FEB_PTRS.size).toBe(56);
    const before = h.sites.countRequests(INDEX_PATH);
    const result = await run(store.acts.discoverHouseFilings);
    expect(h.sites.countRequests(INDEX_PATH) - before).toBe(1);
    expect(result).toMatchObject({ source: 'house', baseline: true, unchanged: false, newFilings: 56 });
    expect(result.filingIds).toHaveLength(56);
    expect(await houseSourceIds(store.db)).toEqual([...FEB_PTRS].sort());
    const { rows } = await store.db.query(
      `SELECT count(*)::int AS n, bool_and(baseline) AS baseline, bool_and(status = 'discovered') AS discovered,
              sum(attempts)::int AS attempts, count(sha256)::int AS hashed FROM filings`,
    );
    expect(rows[0]).toEqual({ n: 56, baseline: true, discovered: true, attempts: 0, hashed: 0 });
    const pelosi = await listed(store.db, 'house', '20026590');
    expect(pelosi).toMatchObject({
      filerName: 'Nancy Pelosi',
      stateDistrict: 'CA11',
      year: 2025,
      filedDate: '2025-01-17',
      kind: null,
      amendment: false,
      rawUrl: `${h.sites.url('house')}/public_disc/ptr-pdfs/2025/20026590.pdf`,
    });
    // The validators of the index are kept for the next, conditional, request.
    expect((await getSourceState(store.db, 'house-index-2025')).etag).toMatch(/^"[0-9a-f]{40}"$/);
  });

  it('the unchanged index costs one request answered 304 and records nothing', async () => {
    const before = h.sites.requests.length;
    const result = await run(store.acts.discoverHouseFilings);
    const indexRequests = h.sites.requests.slice(before).filter((r) => r.path === INDEX_PATH);
    expect(indexRequests.map((r) => r.status)).toEqual([304]);
    expect(h.sites.requests.length - before).toBe(1);
    expect(result).toMatchObject({ baseline: false, unchanged: true, newFilings: 0 });
    // The 56 are still waiting for their documents, so the sync still ingests them.
    expect(result.filingIds).toHaveLength(56);
    expect((await totals(store.db)).filings).toBe(56);
  });

  it('an index that gained filings records exactly the new DocIDs, not as baseline', async () => {
    const gained = [...NOV_PTRS].filter((id) => !FEB_PTRS.has(id)).sort();
    expect(gained).toHaveLength(415);
    serveHouseIndex(h.sites, houseIndexXml({ snapshot: 'nov' }));
    const result = await run(store.acts.discoverHouseFilings);
    expect(result).toMatchObject({ baseline: false, unchanged: false, newFilings: 415 });
    expect(await houseSourceIds(store.db, 'NOT baseline')).toEqual(gained);
    expect(await houseSourceIds(store.db, 'baseline')).toEqual([...FEB_PTRS].sort());
    expect(gained).toEqual(expect.arrayContaining(['20030336', '20033416']));
    // The new index's validators replaced the old: asked again, it answers 304.
    const before = h.sites.requests.length;
    const again = await run(store.acts.discoverHouseFilings);
    expect(again).toMatchObject({ unchanged: true, newFilings: 0 });
    expect(h.sites.requests.slice(before).map((r) => r.status)).toEqual([304]);
  });

  it('in January the previous year is read too, and a year without an index yet is no error', async () => {
    const january = await h.freshStore({});
    const acts = january.at(new Date('2026-01-10T15:00:00Z'));
    const before = h.sites.requests.length;
    const result = await run(acts.discoverHouseFilings);
    expect(h.sites.requests.slice(before).map((r) => `${r.path} ${r.status}`)).toEqual([
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
      h.sites.override(INDEX_PATH, {
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
      serveHouseIndex(h.sites, houseIndexXml({ snapshot: 'nov' }));
      const before = h.sites.requests.length;
      expect(await run(store.acts.discoverHouseFilings)).toMatchObject({
        unchanged: true,
        newFilings: 0,
      });
      expect(h.sites.requests.slice(before).map((r) => r.status)).toEqual([304]);
      h.sites.clearOverrides();
    });
  });
});
