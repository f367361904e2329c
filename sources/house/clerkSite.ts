import { ParseError, type HouseIndexRow } from '../../domain/filing';
import type { DiscoveredFiling, RejectedRow } from '../../domain/sync';
import { displayUrl, fetchBytes, headerValue, HttpError, siteUrl } from '../http';
import { isPtr, parseHouseIndexZip } from './parseIndex';
import { isPdf } from './pdfText';

/** The real index is under 1 MB zipped and a long PTR under 1 MB; far larger answers are refused. */
const MAX_INDEX_ZIP_BYTES = 32 * 1024 * 1024;
const MAX_PTR_BYTES = 32 * 1024 * 1024;

export function houseIndexUrl(base: string, year: number): string {
  return siteUrl(base, `/public_disc/financial-pdfs/${year}FD.zip`);
}

export function housePtrUrl(base: string, year: number, docId: string): string {
  return siteUrl(base, `/public_disc/ptr-pdfs/${year}/${docId}.pdf`);
}

export type IndexFetch =
  | { kind: 'unchanged' }
  | { kind: 'missing' }
  | {
      kind: 'rows';
      filings: DiscoveredFiling[];
      /** Records of the index that could not be read (the others are in `filings`). */
      rejected: RejectedRow[];
      etag: string | null;
      lastModified: string | null;
    };

/**
 * The year's index, asked for conditionally: an index unchanged since the validators we kept costs
 * one 304. A year with no index yet (early January) is `missing`, not an error.
 */
export async function fetchHouseIndex(
  base: string,
  year: number,
  validators: { etag: string | null; lastModified: string | null },
): Promise<IndexFetch> {
  const headers: Record<string, string> = {};
  if (validators.etag) headers['if-none-match'] = validators.etag;
  if (validators.lastModified) headers['if-modified-since'] = validators.lastModified;
  const res = await fetchBytes(houseIndexUrl(base, year), {
    headers,
    maxBytes: MAX_INDEX_ZIP_BYTES,
    acceptStatus: [304, 404],
  });
  if (res.status === 304) return { kind: 'unchanged' };
  if (res.status === 404) return { kind: 'missing' };
  const { rows, rejected } = parseHouseIndexZip(res.body, year);
  return {
    kind: 'rows',
    filings: rows.filter(isPtr).map((row) => discoveredPtr(base, row, year)),
    rejected,
    etag: headerValue(res.headers.etag) ?? null,
    lastModified: headerValue(res.headers['last-modified']) ?? null,
  };
}

/** A PTR row of the index as a filing to fetch. */
export function discoveredPtr(base: string, row: HouseIndexRow, indexYear: number): DiscoveredFiling {
  return {
    chamber: 'house',
    sourceId: row.docId,
    filerName: [row.first, row.last, row.suffix].filter(Boolean).join(' '),
    stateDistrict: row.stateDistrict || null,
    year: row.year,
    filedDate: row.filingDate,
    rawUrl: housePtrUrl(base, row.year || indexYear, row.docId),
    amendment: false,
    kind: null,
  };
}

export type PtrFetch = { kind: 'pdf'; bytes: Buffer } | { kind: 'not_posted'; detail: string };

/**
 * A PTR's PDF. The Clerk lists a PTR before its PDF is posted and answers such a request with an
 * HTML 404 page (sometimes with status 200): both mean "not posted yet", not a failure.
 */
export async function fetchHousePtr(url: string): Promise<PtrFetch> {
  const res = await fetchBytes(url, { maxBytes: MAX_PTR_BYTES, acceptStatus: [404] });
  const shown = displayUrl(url);
  if (res.status === 404) return { kind: 'not_posted', detail: `HTTP 404 for ${shown}` };
  if (res.body.length === 0) throw new HttpError(`${shown}: empty body`, shown, res.status, true);
  if (!isPdf(res.body)) {
    const head = res.body.subarray(0, 512).toString('utf8').toLowerCase();
    if (head.includes('<html') || head.includes('<!doctype')) {
      return { kind: 'not_posted', detail: `an HTML page instead of the PDF at ${shown}` };
    }
    throw new ParseError(
      `not a PDF: ${shown} starts with ${JSON.stringify(res.body.subarray(0, 16).toString('latin1'))}`,
    );
  }
  return { kind: 'pdf', bytes: res.body };
}
