import { load } from 'cheerio';
import { ParseError } from '../../domain/filing';
import type { DiscoveredFiling } from '../../domain/sync';
import { usDateToIso } from '../../domain/usDate';
import { siteUrl } from '../http';
import { amendmentNumber, squash } from './efdText';

/** One report listed by the eFD search (`POST /search/report/data/`). */
export interface SenateReportRef {
  /** The report UUID exactly as the site spells it in links (paper ones are upper case). */
  reportId: string;
  /** `ptr`: an electronic report with a transactions table; `paper`: scanned page images only. */
  kind: 'ptr' | 'paper';
  /** Site path of the report page, e.g. `/search/view/ptr/<uuid>/`. */
  path: string;
  firstName: string;
  lastName: string;
  /** As listed: "Toomey, Pat (Senator)", or just "Senator" on paper rows. */
  office: string;
  /** "Periodic Transaction Report for 01/12/2016 (Amendment 2)". */
  title: string;
  /** ISO date the report was received. */
  filedDate: string;
  amendment: boolean;
}

const REPORT_LINK =
  /^(?:https?:\/\/[^/]+)?(?:\/[^?#]*)?\/search\/view\/([a-z-]+)\/([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\/?$/i;

/**
 * Reads one row of the search results: `[first, last, office, '<a href="/search/view/ptr/<uuid>/">title</a>', 'MM/DD/YYYY']`.
 * Any other shape, or a link to a report that is not a PTR (annual, extension, ...), is a ParseError.
 */
export function parseSearchRow(row: unknown): SenateReportRef {
  if (!Array.isArray(row) || row.length < 5 || !row.slice(0, 5).every((c) => typeof c === 'string')) {
    throw new ParseError(
      `eFD search row is not five strings [first, last, office, link, date]: ${preview(row)}`,
    );
  }
  const [first, last, office, linkHtml, date] = row as [string, string, string, string, string];
  const anchor = load(linkHtml)('a').first();
  const href = anchor.attr('href');
  if (!href) throw new ParseError(`eFD search row has no report link in its fourth cell: ${preview(row)}`);
  const link = REPORT_LINK.exec(href.trim());
  if (!link)
    throw new ParseError(`eFD search row links to ${href}, not a /search/view/<kind>/<uuid>/ report page`);
  const kind = link[1]!.toLowerCase();
  if (kind !== 'ptr' && kind !== 'paper') {
    throw new ParseError(
      `eFD search row links to a "${kind}" report, not a periodic transaction report (${href})`,
    );
  }
  const reportId = link[2]!;
  const filedDate = usDateToIso(date);
  if (!filedDate)
    throw new ParseError(`eFD search row for ${reportId} has no MM/DD/YYYY filed date: "${date}"`);
  const lastName = squash(last);
  if (!lastName) throw new ParseError(`eFD search row for ${reportId} has no last name`);
  const title = squash(anchor.text());
  return {
    reportId,
    kind,
    path: reportPath(kind, reportId),
    firstName: squash(first),
    lastName,
    office: squash(office),
    title,
    filedDate,
    amendment: amendmentNumber(title) !== null,
  };
}

/** The site path of a report page: `/search/view/ptr/<uuid>/` (electronic) or `/search/view/paper/<uuid>/`. */
export function reportPath(kind: SenateReportRef['kind'], reportId: string): string {
  return `/search/view/${kind}/${reportId}/`;
}

/** A listed report as a filing to fetch (a paper one is known to be paper from the listing alone). */
export function discoveredReport(ref: SenateReportRef, baseUrl: string): DiscoveredFiling {
  return {
    chamber: 'senate',
    sourceId: ref.reportId,
    filerName: `${ref.firstName} ${ref.lastName}`.trim(),
    stateDistrict: null,
    year: Number(ref.filedDate.slice(0, 4)) || null,
    filedDate: ref.filedDate,
    rawUrl: siteUrl(baseUrl, ref.path),
    amendment: ref.amendment,
    kind: ref.kind === 'paper' ? 'paper' : null,
  };
}

function preview(value: unknown): string {
  const s = JSON.stringify(value) ?? String(value);
  return s.length > 200 ? `${s.slice(0, 200)}…` : s;
}
