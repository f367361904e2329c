import { strToU8, zipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { efdSearchRow } from '../../../devstack/senateEfdSite';
import { getSourceState } from '../../../store/sourceState';
import { runCli } from '../../support/cli';
import { FEB_PTRS, INDEX_PATH, ingestionHarness, listed, run } from '../../support/ingestion';
import { houseIndexXml, senateListing, usDate } from '../../support/system';

/**
 * One malformed row of a listing (a House index record, a Senate search row) is recorded with its
 * reason where operators see it (`capitolscope filings rejected`), and the rest of the listing is
 * ingested: the source's success mark advances.
 */
const h = ingestionHarness();
const WHITEHOUSE = 'aad1827a-05d8-4b8f-96ed-f3e5f8c925ab';
const TOOMEY = '47763e88-79c4-477e-af8d-5d5b3bc5ede4';

/** The February index with three PTR records damaged: no DocID, a broken tag, a DocID that is no number. */
function damagedIndex(): string {
  return houseIndexXml()
    .replace('<DocID>20026517</DocID>', '<DocID></DocID>')
    .replace('<DocID>20026726</DocID>', '<DocID>20026726</Doc>')
    .replace('<DocID>20026590</DocID>', '<DocID>../../admin?x=1</DocID>');
}

async function rejectedRows(db: Parameters<typeof getSourceState>[0]) {
  const { rows } = await db.query(
    `SELECT source, reason, times_seen AS "timesSeen" FROM rejected_listings ORDER BY source, reason`,
  );
  return rows;
}

describe('malformed listing rows', () => {
  it('a House index with damaged records ingests the rest and records each damaged one', async () => {
    const store = await h.freshStore();
    h.sites.override(INDEX_PATH, {
      body: Buffer.from(zipSync({ '2025FD.xml': strToU8(damagedIndex()) })),
      headers: { 'content-type': 'application/zip', etag: '"damaged"' },
    });
    const result = await run(store.acts.discoverHouseFilings);
    expect(result).toMatchObject({
      source: 'house',
      baseline: true,
      newFilings: FEB_PTRS.size - 3,
      rejected: 3,
    });
    expect(await listed(store.db, 'house', '20026537')).toMatchObject({ status: 'discovered' });
    for (const docId of ['20026517', '20026726', '20026590'])
      expect(await listed(store.db, 'house', docId)).toBeNull();
    expect(await rejectedRows(store.db)).toEqual([
      {
        source: 'house',
        reason: expect.stringMatching(/^DocID "\.\.\/\.\.\/admin\?x=1" is not a number/),
        timesSeen: 1,
      },
      { source: 'house', reason: expect.stringMatching(/a record has no DocID/), timesSeen: 1 },
      { source: 'house', reason: expect.stringMatching(/^malformed XML/), timesSeen: 1 },
    ]);
    // The success mark advanced: the next sync asks conditionally, and the Clerk answers 304.
    expect(await getSourceState(store.db, 'house-index-2025')).toMatchObject({ etag: '"damaged"' });
    expect((await getSourceState(store.db, 'house')).lastSuccessAt).toBeInstanceOf(Date);

    // Seen again (the index changed elsewhere), the same bad rows are counted, not duplicated.
    h.sites.override(INDEX_PATH, {
      body: Buffer.from(zipSync({ '2025FD.xml': strToU8(damagedIndex()) })),
      headers: { 'content-type': 'application/zip', etag: '"damaged-2"' },
    });
    expect(await run(store.acts.discoverHouseFilings)).toMatchObject({ newFilings: 0, rejected: 3 });
    expect((await rejectedRows(store.db)).map((r) => r.timesSeen)).toEqual([2, 2, 2]);

    // Operators see them, with the reason and the row as listed.
    const r = await runCli(['filings', 'rejected', '-o', 'json'], {
      DATABASE_URL: store.config.databaseUrl!,
    });
    expect(r.stderr).toBe('');
    const listedRows = JSON.parse(r.stdout) as {
      source: string;
      reason: string;
      row: string;
      timesSeen: number;
    }[];
    expect(listedRows).toHaveLength(3);
    expect(listedRows.find((x) => /admin/.test(x.reason))).toMatchObject({
      source: 'house',
      timesSeen: 2,
      row: expect.stringContaining('<Last>Pelosi</Last>'),
    });
    const table = await runCli(['filings', 'rejected'], { DATABASE_URL: store.config.databaseUrl! });
    expect(table.stdout).toMatch(/^SOURCE +FIRST SEEN \(UTC\) +LAST SEEN \(UTC\) +TIMES +REASON +ROW/);
    h.sites.clearOverrides();
  });

  it('a Senate search with bad rows ingests the good ones and advances its window', async () => {
    const store = await h.freshStore();
    const annual = efdSearchRow({
      firstName: 'Pat',
      lastName: 'Toomey',
      office: 'Toomey, Pat (Senator)',
      reportDate: usDate(1),
      reportTitle: 'Annual Report for CY 2024',
      reportLink: `/search/view/annual/${TOOMEY}/`,
    });
    h.senate.setRows([
      senateListing(WHITEHOUSE, 'Sheldon', 'Whitehouse', usDate(2)),
      ['Jane', 'Doe', 'Doe, Jane (Senator)', 'Periodic Transaction Report (link lost)', usDate(1)],
      annual,
      senateListing(TOOMEY, 'Patrick J', 'Toomey', usDate(1)),
    ]);
    const result = await run(store.acts.discoverSenateFilings);
    expect(result).toMatchObject({ source: 'senate', newFilings: 2, rejected: 2 });
    expect(await listed(store.db, 'senate', TOOMEY)).toMatchObject({ status: 'discovered' });
    expect(await rejectedRows(store.db)).toEqual([
      { source: 'senate', reason: expect.stringMatching(/has no report link/), timesSeen: 1 },
      {
        source: 'senate',
        reason: expect.stringMatching(/"annual" report, not a periodic transaction report/),
        timesSeen: 1,
      },
    ]);
    expect((await getSourceState(store.db, 'senate-efd')).lastSuccessAt).toBeInstanceOf(Date);
  });
});
