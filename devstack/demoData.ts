import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { strToU8, zipSync } from 'fflate';
import type { FixtureSites } from './fixtureSites';
import { sharedDir } from './sharedDir';
import { efdSearchRow } from './senateEfdSite';

/** The 2025 House index as of February (`feb`) or November (`nov`), optionally without some DocIDs. */
export function houseIndexXml(opts: { without?: string[]; snapshot?: 'feb' | 'nov' } = {}): string {
  const file =
    opts.snapshot === 'nov'
      ? 'house-clerk/snapshots/2025FD.xml.2025-11-snapshot.xml'
      : 'house-clerk/extracted/2025FD.xml';
  let xml = readFileSync(join(sharedDir(), 'fixtures', file), 'utf8');
  for (const docId of opts.without ?? []) {
    xml = xml.replace(
      new RegExp(`<Member>(?:(?!</Member>)[\\s\\S])*<DocID>${docId}</DocID>[\\s\\S]*?</Member>\\s*`),
      '',
    );
  }
  return xml;
}

/** Serve an index as the Clerk does: `2025FD.zip` holding `2025FD.xml`, with an ETag for conditional GETs. */
export function serveHouseIndex(sites: FixtureSites, xml: string): void {
  const zip = Buffer.from(zipSync({ '2025FD.xml': strToU8(xml) }));
  sites.override('/house/public_disc/financial-pdfs/2025FD.zip', {
    body: zip,
    headers: { 'content-type': 'application/zip', etag: `"${zip.length}-${xml.length}"` },
  });
}

/**
 * Congress.gov's member list (`/v3/member`, which the upstream check and member-sync ask for): the
 * recorded answer, its one member as the only page, so a paging client stops after it.
 */
export function serveCongressMembers(sites: FixtureSites): void {
  const recorded = JSON.parse(
    readFileSync(join(sites.mounts.congress!, 'member-list.limit1.json'), 'utf8'),
  ) as { members: unknown[] };
  const body = JSON.stringify({ ...recorded, pagination: { count: recorded.members.length } });
  sites.override('/congress/v3/member', { body, headers: { 'content-type': 'application/json' } });
}

/** A Senate search listing for one of the shared PTR pages, received on `date` (MM/DD/YYYY). */
export function senateListing(
  uuid: string,
  first: string,
  last: string,
  date: string,
  title = `Periodic Transaction Report for ${date}`,
): string[] {
  return efdSearchRow({
    firstName: first,
    lastName: last,
    office: `${last}, ${first} (Senator)`,
    reportDate: date,
    reportTitle: title,
    reportLink: `/search/view/ptr/${uuid}/`,
  });
}

/** MM/DD/YYYY of the day `daysAgo` days before now (UTC). */
export function usDate(daysAgo: number): string {
  const d = new Date(Date.now() - daysAgo * 86_400_000);
  return `${String(d.getUTCMonth() + 1).padStart(2, '0')}/${String(d.getUTCDate()).padStart(2, '0')}/${d.getUTCFullYear()}`;
}

/** Shared fixture filings the demo and the tests make appear: House DocIDs and Senate report ids. */
export const FIXTURE_FILINGS = {
  pelosi: '20026590',
  cohen: '20026548',
  rosenExchange: 'f9713429-c28a-4e22-bdb8-f5e182c364ed',
  whitehouse: 'aad1827a-05d8-4b8f-96ed-f3e5f8c925ab',
} as const;
