import { strToU8, zipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { getSourceState } from '../../../store/sourceState';
import { INDEX_PATH, ingestionHarness, listed, run } from '../../support/ingestion';
import { houseIndexXml, senateListing, usDate } from '../../support/system';

/**
 * A source's baseline is its first successful sync, recorded in `source_state`, whatever it found:
 * a first sync that finds nothing (a quiet window, an index not published yet) must not make the
 * next sync, the first to find filings, a baseline that alerts nobody.
 */
const h = ingestionHarness();
const WHITEHOUSE = 'aad1827a-05d8-4b8f-96ed-f3e5f8c925ab';

describe('baseline', () => {
  it('a first Senate search that finds nothing is the baseline; the filings of the next one alert', async () => {
    const store = await h.freshStore();
    h.senate.setRows([]);
    const quiet = await run(store.acts.discoverSenateFilings);
    expect(quiet).toMatchObject({ source: 'senate', baseline: true, newFilings: 0 });
    expect((await getSourceState(store.db, 'senate-efd')).lastSuccessAt).toBeInstanceOf(Date);

    h.senate.setRows([senateListing(WHITEHOUSE, 'Sheldon', 'Whitehouse', usDate(0))]);
    const next = await run(store.acts.discoverSenateFilings);
    expect(next).toMatchObject({ baseline: false, newFilings: 1 });
    const { rows } = await store.db.query(`SELECT baseline FROM filings WHERE source_id = $1`, [WHITEHOUSE]);
    expect(rows).toEqual([{ baseline: false }]);
  });

  it('a first House sync whose index is empty or not published yet is the baseline', async () => {
    const store = await h.freshStore({ HOUSE_INDEX_YEARS: '2025' });
    // No index yet for the year (early January): the Clerk answers 404.
    h.sites.override(INDEX_PATH, { status: 404, body: 'not found' });
    expect(await run(store.acts.discoverHouseFilings)).toMatchObject({ baseline: true, newFilings: 0 });
    // Published, still without a single filing.
    const empty = '\ufeff<?xml version="1.0" encoding="utf-8"?>\r\n<FinancialDisclosure />';
    h.sites.override(INDEX_PATH, { body: Buffer.from(zipSync({ '2025FD.xml': strToU8(empty) })) });
    expect(await run(store.acts.discoverHouseFilings)).toMatchObject({ baseline: false, newFilings: 0 });
    h.sites.override(INDEX_PATH, {
      body: Buffer.from(zipSync({ '2025FD.xml': strToU8(houseIndexXml()) })),
    });
    const real = await run(store.acts.discoverHouseFilings);
    expect(real).toMatchObject({ baseline: false, newFilings: 56 });
    const { rows } = await store.db.query(`SELECT count(*)::int AS n FROM filings WHERE baseline`);
    expect(rows).toEqual([{ n: 0 }]);
    h.sites.clearOverrides();
  });

  it('a failed first sync is no baseline: the first one to succeed is', async () => {
    const store = await h.freshStore({ HOUSE_INDEX_YEARS: '2025' });
    h.sites.override(INDEX_PATH, { body: Buffer.from('not a zip') });
    await expect(run(store.acts.discoverHouseFilings)).rejects.toThrow(/House index ZIP/);
    expect((await getSourceState(store.db, 'house')).lastSuccessAt).toBeNull();
    h.sites.clearOverrides();
    expect(await run(store.acts.discoverHouseFilings)).toMatchObject({ baseline: true, newFilings: 56 });
    expect(await listed(store.db, 'house', '20026590')).toMatchObject({ status: 'discovered' });
  });
});
