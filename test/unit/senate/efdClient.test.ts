import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SenateEfdSite, type EfdReportListing } from '../../../devstack/senateEfdSite';
import { HttpError } from '../../../sources/http';
import {
  EfdClient,
  EfdMaintenanceError,
  formatEfdDateTime,
  searchWindowStart,
  type EfdClientEvent,
  type EfdClientOptions,
  type EfdClock,
} from '../../../sources/senate/efdClient';
import { parseSenatePtr } from '../../../sources/senate/parsePtr';

/** Virtual time: sleeping advances it instantly, and every sleep is recorded. */
function virtualClock(): EfdClock & { sleeps: number[] } {
  let t = 1_000_000;
  const sleeps: number[] = [];
  return {
    sleeps,
    now: () => t,
    sleep: async (ms) => {
      sleeps.push(ms);
      t += ms;
    },
  };
}

const SINCE_ALL = new Date('2012-01-01T00:00:00Z');
const FIXTURE_PAGES: Record<string, string> = {
  '1179b764-b4af-4732-9948-81a32fbf2a54': 'Patrick J Toomey',
  '1b7e3f54-6b1e-45f5-a7b4-a05d6fbe62d6': 'Gary C Peters',
  '47763e88-79c4-477e-af8d-5d5b3bc5ede4': 'Patrick J Toomey',
  'aad1827a-05d8-4b8f-96ed-f3e5f8c925ab': 'Sheldon Whitehouse',
  'f9713429-c28a-4e22-bdb8-f5e182c364ed': 'Jacklyn S Rosen',
};

function listing(uuid: string, date: string, last = 'Newfiler'): EfdReportListing {
  return {
    firstName: 'Test',
    lastName: last,
    office: `${last}, Test (Senator)`,
    reportDate: date,
    reportTitle: `Periodic Transaction Report for ${date}`,
    reportLink: `/search/view/ptr/${uuid}/`,
  };
}

describe('EfdClient against the local eFD site', () => {
  let site: SenateEfdSite;
  let baseUrl: string;
  let clock: ReturnType<typeof virtualClock>;
  let events: EfdClientEvent[];
  const client = (opts: Partial<EfdClientOptions> = {}) =>
    new EfdClient({
      baseUrl,
      minIntervalMs: 0,
      clock,
      onEvent: (e) => events.push(e),
      ...opts,
    });

  beforeEach(async () => {
    site = new SenateEfdSite();
    baseUrl = await site.start();
    clock = virtualClock();
    events = [];
  });
  afterEach(async () => {
    await site.stop();
  });

  it('accepts the agreement, searches PTRs oldest first without duplicates, and fetches report pages', async () => {
    const efd = client();
    const { reports: refs } = await efd.searchPtrs(SINCE_ALL);
    // 13 rows listed, one paper report listed twice.
    expect(refs.map((r) => [r.filedDate, r.kind, r.lastName])).toEqual([
      ['2012-12-27', 'paper', 'REED'],
      ['2013-07-22', 'paper', 'KING'],
      ['2014-12-01', 'ptr', 'Cardin'],
      ['2015-10-26', 'ptr', 'Inhofe'],
      ['2016-08-29', 'ptr', 'Peters'],
      ['2016-10-07', 'ptr', 'Whitehouse'],
      ['2017-05-02', 'ptr', 'Toomey'],
      ['2017-05-03', 'ptr', 'Hoeven'],
      ['2017-12-19', 'ptr', 'Toomey'],
      ['2018-05-15', 'ptr', 'Casey, Jr.'],
      ['2019-06-20', 'ptr', 'Rosen'],
      ['2020-03-06', 'ptr', 'Toomey'],
    ]);
    expect(site.requests.slice(0, 3)).toEqual([
      { method: 'GET', path: '/search/home/', status: 200 },
      { method: 'POST', path: '/search/home/', status: 302 },
      { method: 'POST', path: '/search/report/data/', status: 200 },
    ]);

    for (const ref of refs.filter((r) => r.reportId in FIXTURE_PAGES)) {
      const filing = parseSenatePtr(await efd.fetchPtrHtml(ref), ref.reportId);
      expect(filing.filerName).toBe(FIXTURE_PAGES[ref.reportId]);
      expect(filing.filedDate).toBe(ref.filedDate);
      expect(filing.amendment).toBe(ref.amendment);
    }
    expect(await efd.fetchPtrHtml('/search/view/ptr/47763e88-79c4-477e-af8d-5d5b3bc5ede4/')).toContain('PPL');
    expect(site.countRequests('/search/home/', 'POST')).toBe(1);
  });

  it('answers a listed report whose page is missing with a non-retryable 404, and a paper report with its images', async () => {
    const efd = client();
    const { reports: refs } = await efd.searchPtrs(SINCE_ALL);
    const missing = refs.find((r) => r.lastName === 'Hoeven')!;
    const err = await efd.fetchPtrHtml(missing).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(HttpError);
    expect(err).toMatchObject({ status: 404, retryable: false });

    const paper = refs.find((r) => r.kind === 'paper')!;
    const html = await efd.fetchPtrHtml(paper);
    expect(() => parseSenatePtr(html, paper.reportId)).toThrow(/paper filing/);
  });

  it('finds exactly the new filings in a later window', async () => {
    const efd = client();
    const { reports: first } = await efd.searchPtrs(SINCE_ALL);
    expect(first).toHaveLength(12);
    const lastSync = new Date('2025-11-20T15:00:00Z');
    site.addRow(listing('aaaaaaaa-1111-4111-8111-111111111111', '11/21/2025', 'Alpha'));
    site.addRow(listing('bbbbbbbb-2222-4222-8222-222222222222', '11/22/2025', 'Beta'));

    const { reports: second } = await efd.searchPtrs(searchWindowStart(lastSync, 6, 30));
    expect(second.map((r) => r.reportId)).toEqual([
      'aaaaaaaa-1111-4111-8111-111111111111',
      'bbbbbbbb-2222-4222-8222-222222222222',
    ]);
    expect(second.map((r) => r.lastName)).toEqual(['Alpha', 'Beta']);
    // One session served both searches.
    expect(site.countRequests('/search/home/', 'POST')).toBe(1);
  });

  it('bounds a search with an end date', async () => {
    const { reports: refs } = await client().searchPtrs(
      new Date('2016-01-01T12:00:00Z'),
      new Date('2017-05-02T23:00:00Z'),
    );
    expect(refs.map((r) => r.filedDate)).toEqual(['2016-08-29', '2016-10-07', '2017-05-02']);
  });

  it('sets the session up again when it lapses, then repeats the request', async () => {
    const efd = client();
    await efd.searchPtrs(SINCE_ALL);
    site.expireSessions();
    expect(await efd.fetchPtrHtml('/search/view/ptr/47763e88-79c4-477e-af8d-5d5b3bc5ede4/')).toContain(
      'Toomey',
    );
    expect(site.requests.filter((r) => r.path.startsWith('/search/view/')).map((r) => r.status)).toEqual([
      302, 200,
    ]);
    expect(site.countRequests('/search/home/', 'POST')).toBe(2);

    site.expireSessions();
    expect((await efd.searchPtrs(SINCE_ALL)).reports).toHaveLength(12);
    expect(site.countRequests('/search/home/', 'POST')).toBe(3);
    expect(events.filter((e) => e.type === 'session')).toEqual([
      { type: 'session', reason: 'start' },
      { type: 'session', reason: 'renew' },
      { type: 'session', reason: 'renew' },
    ]);
  });

  it('recovers from a CSRF failure (403) by visiting home again', async () => {
    const efd = client();
    await efd.searchPtrs(SINCE_ALL);
    site.rotateCsrf();
    expect((await efd.searchPtrs(SINCE_ALL)).reports).toHaveLength(12);
    expect(site.requests.some((r) => r.path === '/search/report/data/' && r.status === 403)).toBe(true);
    expect(site.countRequests('/search/home/', 'POST')).toBe(2);
  });

  it('renews a lapsed session once for many concurrent requests', async () => {
    const efd = client();
    await efd.searchPtrs(SINCE_ALL);
    site.expireSessions();
    const pages = await Promise.all(
      Object.keys(FIXTURE_PAGES).map((id) => efd.fetchPtrHtml(`/search/view/ptr/${id}/`)),
    );
    expect(pages.every((p) => p.includes('Periodic Transaction Report'))).toBe(true);
    expect(site.countRequests('/search/home/', 'POST')).toBe(2);
  });

  it('leaves retrying to Temporal: a maintenance answer fails at once, retryable, and the next call goes through', async () => {
    const efd = client();
    await efd.searchPtrs(SINCE_ALL);
    site.failNext(1, 503);
    const err = await efd.searchPtrs(SINCE_ALL).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(EfdMaintenanceError);
    expect(err).toMatchObject({ name: 'EfdMaintenanceError', status: 503, retryable: true });
    expect(clock.sleeps).toEqual([]);
    expect((await efd.searchPtrs(SINCE_ALL)).reports).toHaveLength(12);
    expect(site.requests.filter((r) => r.path === '/search/report/data/').map((r) => r.status)).toEqual([
      200, 503, 200,
    ]);
  });

  it('reports other server errors as retryable without retrying them itself', async () => {
    const efd = client();
    site.failNext(1, 502);
    const err = await efd.searchPtrs(SINCE_ALL).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(HttpError);
    expect(err).not.toBeInstanceOf(EfdMaintenanceError);
    expect(err).toMatchObject({ status: 502, retryable: true });
    expect(site.requests).toEqual([{ method: 'GET', path: '/search/home/', status: 502 }]);
    expect((await efd.searchPtrs(SINCE_ALL)).reports).toHaveLength(12);
  });

  it('reports a request that times out as retryable', async () => {
    const efd = client({ timeoutMs: 200 });
    site.stallNext(1, 1000);
    const err = await efd.searchPtrs(SINCE_ALL).catch((e: unknown) => e);
    expect(err).toMatchObject({ retryable: true, message: expect.stringMatching(/timed out/) });
    expect((await efd.searchPtrs(SINCE_ALL)).reports).toHaveLength(12);
  });

  it('reports a refused connection as a retryable HttpError', async () => {
    await site.stop();
    const efd = client();
    const err = await efd.searchPtrs(SINCE_ALL).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(HttpError);
    expect(err).not.toBeInstanceOf(EfdMaintenanceError);
    expect(err).toMatchObject({ status: null, retryable: true });
    expect(clock.sleeps).toEqual([]);
  });

  it('pages through more than 100 results 100 at a time until recordsFiltered', async () => {
    const rows = Array.from({ length: 250 }, (_, i) => {
      const uuid = `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`;
      const day = new Date(Date.UTC(2024, 0, 1 + i));
      const date = `${String(day.getUTCMonth() + 1).padStart(2, '0')}/${String(day.getUTCDate()).padStart(2, '0')}/${day.getUTCFullYear()}`;
      return listing(uuid, date, `Filer${i}`);
    });
    site.setRows([]);
    rows.forEach((r) => site.addRow(r));
    const { reports: refs } = await client({ pageSize: 100 }).searchPtrs(new Date('2023-12-31T12:00:00Z'));
    expect(refs).toHaveLength(250);
    expect(new Set(refs.map((r) => r.reportId)).size).toBe(250);
    expect(refs[0]!.lastName).toBe('Filer0');
    expect(refs[249]!.lastName).toBe('Filer249');
    expect(site.countRequests('/search/report/data/')).toBe(3);
    expect(events.filter((e) => e.type === 'page')).toEqual([
      { type: 'page', start: 0, rows: 100, recordsFiltered: 250 },
      { type: 'page', start: 100, rows: 100, recordsFiltered: 250 },
      { type: 'page', start: 200, rows: 50, recordsFiltered: 250 },
    ]);
  });

  it('refuses a page size the site would answer with 503', () => {
    expect(() => client({ pageSize: 101 })).toThrow(RangeError);
    expect(() => client({ pageSize: 0 })).toThrow(RangeError);
  });

  it('spaces requests at least minIntervalMs apart', async () => {
    const efd = client({ minIntervalMs: 1000 });
    await efd.searchPtrs(SINCE_ALL);
    await efd.fetchPtrHtml('/search/view/ptr/47763e88-79c4-477e-af8d-5d5b3bc5ede4/');
    expect(site.requests).toHaveLength(4);
    expect(clock.sleeps).toEqual([1000, 1000, 1000]);
  });

  it('rejects a search row of an unknown shape with its reason and keeps the other rows', async () => {
    const bad = ['First', 'Last', 'Senator', 'a title with no link', '01/02/2020'];
    site.setRows([bad, ...site.rows.slice(0, 2)]);
    const found = await client().searchPtrs(SINCE_ALL);
    expect(found.reports).toHaveLength(2);
    expect(found.rejected).toEqual([
      { reason: expect.stringMatching(/no report link/), row: JSON.stringify(bad) },
    ]);
  });
});

describe('search window', () => {
  const now = new Date('2025-11-23T12:00:00Z');
  it('starts an overlap before the last successful sync', () => {
    expect(searchWindowStart(new Date('2025-11-23T10:00:00Z'), 6, 30, now)).toEqual(
      new Date('2025-11-23T04:00:00Z'),
    );
  });
  it('looks back N days on the first run', () => {
    expect(searchWindowStart(null, 6, 30, now)).toEqual(new Date('2025-10-24T12:00:00Z'));
  });
  it('never starts in the future', () => {
    expect(searchWindowStart(new Date('2025-12-01T00:00:00Z'), 1, 30, now)).toEqual(now);
  });
  it('rejects negative settings', () => {
    expect(() => searchWindowStart(null, -1, 30, now)).toThrow(RangeError);
  });
  it('formats the start as the site expects, in Washington time', () => {
    expect(formatEfdDateTime(new Date('2025-01-15T05:30:07Z'))).toBe('01/15/2025 00:30:07');
    expect(formatEfdDateTime(new Date('2025-07-04T03:00:00Z'))).toBe('07/03/2025 23:00:00');
  });
});
