import { beforeAll, describe, expect, it } from 'vitest';
import type { ParsedTransaction } from '../../../domain/filing';
import { fetchBytes, HttpError } from '../../../sources/http';
import { housePtrUrl } from '../../../sources/house/clerkSite';
import { recordDiscoveredFilings } from '../../../store/filingDiscovery';
import { storeParsedFiling } from '../../../store/filingStorage';
import {
  CLERK_404_PAGE,
  PTR_DIR,
  appleTrade,
  failureOf,
  houseFiling,
  ingest,
  ingestionHarness,
  ptrBytes,
  ptrPath,
  run,
  sha256,
  stored,
  type Store,
} from '../../support/ingestion';

/** House PTR PDFs: fetched, parsed and stored once, whatever the Clerk answers. */
const h = ingestionHarness();

describe('House PTR ingestion', () => {
  let store: Store;
  beforeAll(async () => {
    h.sites.clearOverrides();
    store = await h.freshStore();
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
    const url = `${h.sites.url('house')}/${PTR_DIR}/20026548.pdf`;
    h.sites.override(ptrPath('20026548'), {
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

    h.sites.override(ptrPath('20026548'), { file: `${PTR_DIR}/20026548.pdf` });
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
    h.sites.override(ptrPath('20026696'), {
      status: 200,
      body: CLERK_404_PAGE,
      headers: { 'content-type': 'text/html' },
    });
    expect(await ingest(store, '20026696')).toMatchObject({ status: 'not_posted' });
    expect(await stored(store.db, '20026696')).toMatchObject({
      status: 'not_posted',
      failureReason: `an HTML page instead of the PDF at ${h.sites.url('house')}/${PTR_DIR}/20026696.pdf`,
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
      `document never posted (15 days after listing): HTTP 404 for ${h.sites.url('house')}/${PTR_DIR}/20026726.pdf`,
    );
    expect((await run(store.acts.discoverHouseFilings)).filingIds).not.toContain(id);
  });

  describe('bad documents', () => {
    it('bytes that are not a PDF fail the filing without retry', async () => {
      const garbage = Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 7919 + 13) % 256));
      h.sites.override(ptrPath('20018054'), {
        body: garbage,
        headers: { 'content-type': 'application/pdf' },
      });
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
      h.sites.override(ptrPath('20026750'), { body: pdf.subarray(0, 3000) });
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
      h.sites.override(ptrPath('20026724'), { body: '', headers: { 'content-type': 'application/pdf' } });
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
      h.sites.override(ptrPath('20026602'), { status: 404, body: CLERK_404_PAGE });
      expect(await ingest(store, '20026602')).toMatchObject({ status: 'not_posted' });
      const before = await stored(store.db, '20026602');
      h.sites.override(ptrPath('20026602'), {
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
      h.sites.override(ptrPath('20026647'), {
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
      h.sites.override(ptrPath('20026535'), {
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
      h.sites.override(ptrPath('20026516'), { delayMs: 1500, file: `${PTR_DIR}/20026548.pdf` });
      // Without the deadline the fetch would succeed with a PDF after 1.5 s.
      const err = await fetchBytes(`${h.sites.url('house')}/${PTR_DIR}/20026516.pdf`, {
        timeoutMs: 200,
      }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(HttpError);
      expect(err).toMatchObject({ retryable: true, status: null });
      expect((err as HttpError).message).toMatch(/20026516\.pdf: timed out$/);
    });

    it('a stored filing keeps its status and rows when a later fetch finds nothing', async () => {
      // Pelosi (parsed, 9 rows) and Bilirakis (paper) were stored above; now the Clerk answers 404.
      for (const docId of ['20026590', '8220747']) {
        const before = await stored(store.db, docId);
        h.sites.override(ptrPath(docId), { status: 404, body: CLERK_404_PAGE });
        await ingest(store, docId);
        expect(await stored(store.db, docId)).toEqual({ ...before, attempts: before.attempts + 1 });
      }
    });
  });

  describe('atomicity: a filing is never half stored', () => {
    it('a row the database refuses rolls back the whole filing', async () => {
      const filing = await stored(store.db, '20026770');
      const parsed = houseFiling('20026770', 'Someone Else', [
        appleTrade(),
        appleTrade({ owner: 'nobody' as ParsedTransaction['owner'], ticker: 'MSFT' }),
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
        appleTrade({ ticker: 'NEW1' }),
        appleTrade({ transactionType: 'gift' as ParsedTransaction['transactionType'] }),
      ]);
      await expect(storeParsedFiling(store.db, before.id, parsed, 'b'.repeat(64))).rejects.toThrow(
        /transactions_transaction_type_check/,
      );
      expect(await stored(store.db, '20026590')).toEqual(before);
    });
  });

  it('an amendment is linked to the earlier filing of the same filer that reports the same trade', async () => {
    const netflix = appleTrade({
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
      houseFiling('20024346', 'Rob Bresnahan', [appleTrade(), { ...netflix, transactionType: 'purchase' }]),
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
