import { beforeAll, describe, expect, it } from 'vitest';
import { markAttempt } from '../../../store/filingStorage';
import { retryFilings } from '../../../store/filingViews';
import {
  env,
  failureOf,
  ingest,
  ingestionHarness,
  listed,
  ptrPath,
  run,
  stored,
  type Store,
} from '../../support/ingestion';
import { memoryBombPdf } from '../../support/poisonPdf';

/**
 * A poison filing is not retried forever. Every attempt is counted before it starts, so one that
 * never ends (the activity timed out, the worker died) stays counted; at the next hand-out a filing
 * with FILING_MAX_ATTEMPTS such attempts in a row is marked failed with the reason. PDFs are read
 * in a process of their own, bounded in heap and time, so a document that exhausts memory fails its
 * attempt, not the worker.
 */
const h = ingestionHarness();
const PELOSI = '20026590';
const COHEN = '20026548';

async function openAttempts(store: Store, docId: string): Promise<number> {
  const { rows } = await store.db.query(
    `SELECT open_attempts AS n FROM filings WHERE chamber = 'house' AND source_id = $1`,
    [docId],
  );
  return rows[0].n as number;
}

describe('poison filings', () => {
  let store: Store;
  beforeAll(async () => {
    store = await h.freshStore({
      HOUSE_INDEX_YEARS: '2025',
      FILING_MAX_ATTEMPTS: '3',
      PDF_PARSE_MEMORY_MB: '128',
    });
    await run(store.acts.discoverHouseFilings);
  });

  it('a filing whose last attempts never finished is failed at its next hand-out, without another try', async () => {
    const filing = await listed(store.db, 'house', PELOSI);
    // What three workers that died mid-attempt leave behind: three attempts counted, no outcome.
    for (let i = 0; i < 3; i++) await markAttempt(store.db, filing.id);
    const fetches = h.sites.countRequests(ptrPath(PELOSI));
    expect(await ingest(store, PELOSI)).toMatchObject({ status: 'failed', transactions: 0 });
    expect(h.sites.countRequests(ptrPath(PELOSI))).toBe(fetches);
    expect(await stored(store.db, PELOSI)).toMatchObject({
      status: 'failed',
      failureReason: expect.stringMatching(/^gave up after 3 attempts in a row that did not finish/),
      attempts: 3,
    });
    // An operator's retry starts the count afresh: the document itself is fine.
    await retryFilings(store.db, { ids: [filing.id], statuses: ['failed'], alerts: true });
    expect(await ingest(store, PELOSI)).toMatchObject({ status: 'parsed', transactions: 9 });
    expect(await openAttempts(store, PELOSI)).toBe(0);
  });

  it('attempts that end with an outcome do not count: not posted yet, or an upstream error', async () => {
    for (let i = 0; i < 4; i++)
      expect(await ingest(store, '20026726')).toMatchObject({ status: 'not_posted' });
    expect(await openAttempts(store, '20026726')).toBe(0);
    h.sites.override(ptrPath(COHEN), { status: 503, body: 'busy' });
    for (let i = 0; i < 4; i++) {
      expect(await failureOf(ingest(store, COHEN))).toMatchObject({ type: 'HttpError', nonRetryable: false });
    }
    expect(await openAttempts(store, COHEN)).toBe(0);
    h.sites.clearOverrides();
    expect(await ingest(store, COHEN)).toMatchObject({ status: 'parsed', transactions: 2 });
  });

  it('a PDF that exhausts its parse memory fails the attempt, then the filing, and heartbeats meanwhile', async () => {
    const bomb = await h.freshStore({
      HOUSE_INDEX_YEARS: '2025',
      FILING_MAX_ATTEMPTS: '2',
      PDF_PARSE_MEMORY_MB: '128',
    });
    await run(bomb.acts.discoverHouseFilings);
    h.sites.override(ptrPath(COHEN), {
      body: memoryBombPdf(),
      headers: { 'content-type': 'application/pdf' },
    });
    const beats: unknown[] = [];
    const onBeat = (d: unknown) => beats.push(d);
    env.on('heartbeat', onBeat);
    try {
      const first = await failureOf(ingest(bomb, COHEN));
      expect(first).toMatchObject({ type: 'DocumentLimit', nonRetryable: false });
      expect(first.message).toMatch(/ran out of its 128 MiB heap/);
      expect(await stored(bomb.db, COHEN)).toMatchObject({ status: 'discovered', attempts: 1 });
      const second = await failureOf(ingest(bomb, COHEN));
      expect(second).toMatchObject({ type: 'DocumentLimit', nonRetryable: true });
    } finally {
      env.off('heartbeat', onBeat);
      h.sites.clearOverrides();
    }
    expect(await stored(bomb.db, COHEN)).toMatchObject({
      status: 'failed',
      failureReason: expect.stringMatching(/ran out of its 128 MiB heap on 2 attempts in a row/),
      attempts: 2,
    });
    expect(beats.length).toBeGreaterThanOrEqual(2);
  }, 180_000);
});
