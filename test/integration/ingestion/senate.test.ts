import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { efdSearchRow, type EfdRequestRecord } from '../../../devstack/senateEfdSite';
import { getSourceState } from '../../../store/sourceState';
import { fixturePath } from '../../support/fixtures';
import {
  env,
  failureOf,
  ingest,
  ingestionHarness,
  listed,
  run,
  sha256,
  stored,
  totals,
  type Store,
} from '../../support/ingestion';
import { senateListing, usDate } from '../../support/system';

/** The Senate eFD: the search (with its agreement session) and the report pages. */
const h = ingestionHarness();

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
    store = await h.freshStore();
    h.senate.setRows([
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
    expect(await listed(store.db, 'senate', KING_PAPER)).toMatchObject({
      kind: 'paper',
      status: 'discovered',
      filerName: 'ANGUS S KING',
      rawUrl: `${h.senate.baseUrl}/search/view/paper/${KING_PAPER}/`,
    });
    expect(await listed(store.db, 'senate', WHITEHOUSE)).toMatchObject({
      kind: null,
      status: 'discovered',
      filerName: 'Sheldon Whitehouse',
      amendment: false,
      rawUrl: `${h.senate.baseUrl}/search/view/ptr/${WHITEHOUSE}/`,
    });
    expect((await getSourceState(store.db, 'senate-efd')).lastSuccessAt).toBeInstanceOf(Date);
  });

  it('ingests electronic reports from their pages and paper ones without fetching anything', async () => {
    const viewsBefore = h.senate.countRequests('/search/view/');
    expect(await ingest(store, WHITEHOUSE, 'senate')).toMatchObject({ status: 'parsed', transactions: 17 });
    expect(await ingest(store, TOOMEY, 'senate')).toMatchObject({ status: 'parsed', transactions: 1 });
    expect(await ingest(store, KING_PAPER, 'senate')).toMatchObject({ status: 'paper', transactions: 0 });
    expect(await ingest(store, REED_PAPER, 'senate')).toMatchObject({ status: 'paper', transactions: 0 });
    expect(h.senate.countRequests('/search/view/') - viewsBefore).toBe(2);
    expect(h.senate.countRequests('/search/view/paper/')).toBe(0);
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
    // A paper report has no document, so no document hash: its identity is its report id alone.
    expect((await stored(store.db, KING_PAPER, 'senate')).sha256).toBeNull();
  });

  it('the next search, after the session lapsed, records only the newly listed reports', async () => {
    h.senate.addRow(senateListing(ROSEN, 'Jacklyn S', 'Rosen', usDate(0)));
    h.senate.addRow(
      senateListing(
        TOOMEY_AMENDMENT,
        'Patrick J',
        'Toomey',
        usDate(0),
        'Periodic Transaction Report for 01/12/2016 (Amendment 2)',
      ),
    );
    h.senate.addRow(paperListing(NEW_PAPER, 'JOHN', 'DOE', usDate(0)));
    h.senate.expireSessions();
    const homeVisits = h.senate.countRequests('/search/home/', 'GET');
    const idsBefore = await senateIds();
    const result = await run(store.acts.discoverSenateFilings);
    expect(result).toMatchObject({ baseline: false, newFilings: 3 });
    expect((await senateIds()).filter((id) => !idsBefore.includes(id))).toEqual(
      [NEW_PAPER, ROSEN, TOOMEY_AMENDMENT].sort(),
    );
    // The search was sent back to the agreement page once, and the session set up again.
    expect(h.senate.countRequests('/search/home/', 'GET') - homeVisits).toBe(1);
    expect(h.senate.requests.some((r) => r.path === '/search/report/data/' && r.status === 302)).toBe(true);
    expect(await stored(store.db, TOOMEY_AMENDMENT, 'senate')).toMatchObject({ amendment: true });
  });

  it('a session that lapses between discovery and ingest is renewed', async () => {
    h.senate.expireSessions();
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
    for (const row of many) h.senate.addRow(row);
    // Expire every session right after the first page of results is answered (the site records each
    // answer as it sends it, before the client can ask for the next page).
    const seen: EfdRequestRecord[] = [];
    let lapsed = false;
    h.senate.requests.push = (...records: EfdRequestRecord[]) => {
      for (const r of records) {
        seen.push(r);
        if (!lapsed && r.path === '/search/report/data/' && r.status === 200) {
          lapsed = true;
          h.senate.expireSessions();
        }
      }
      return Array.prototype.push.apply(h.senate.requests, records);
    };
    try {
      const result = await run(store.acts.discoverSenateFilings);
      expect(result).toMatchObject({ newFilings: 150 });
    } finally {
      // Back to the array's own push.
      delete (h.senate.requests as { push?: unknown }).push;
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
    // The client retries nothing itself: a maintenance answer fails the activity at once, retryable,
    // and Temporal's retry policy (visible in the workflow's history) tries again.
    it('a maintenance answer to the search is a retryable failure that changes nothing; the next attempt goes through', async () => {
      const stateBefore = await getSourceState(store.db, 'senate-efd');
      const totalsBefore = await totals(store.db);
      h.senate.addRow(senateListing(PETERS, 'Gary C', 'Peters', usDate(0)));
      h.senate.failNext(1);
      const failure = await failureOf(run(store.acts.discoverSenateFilings));
      expect(failure).toMatchObject({ type: 'EfdMaintenanceError', nonRetryable: false });
      expect(failure.message).toMatch(/the Senate eFD is down for maintenance \(HTTP 503\)$/);
      expect(await totals(store.db)).toEqual(totalsBefore);
      expect(await getSourceState(store.db, 'senate-efd')).toEqual(stateBefore);
      expect(await run(store.acts.discoverSenateFilings)).toMatchObject({ newFilings: 1 });
    });

    it('a report page in maintenance is retryable and leaves the filing pending', async () => {
      h.senate.failNext(100);
      const id = '00000001-1111-4222-8333-444455556666';
      const failure = await failureOf(ingest(store, id, 'senate'));
      expect(failure).toMatchObject({ type: 'EfdMaintenanceError', nonRetryable: false });
      expect(await stored(store.db, id, 'senate')).toMatchObject({
        status: 'discovered',
        failureReason: null,
        attempts: 1,
        transactions: 0,
      });
      h.senate.failNext(0);
    });
  });
});
