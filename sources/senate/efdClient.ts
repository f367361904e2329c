import { load } from 'cheerio';
import type { Dispatcher } from 'undici';
import { ParseError } from '../../domain/filing';
import { REJECTED_ROW_MAX_CHARS, type RejectedRow } from '../../domain/sync';
import {
  displayUrl,
  fetchBytes,
  headerValue,
  HttpError,
  parseRetryAfter,
  siteUrl,
  type FetchResult,
} from '../http';
import { CookieJar } from './cookieJar';
import { parseSearchRow, type SenateReportRef } from './searchRows';
import { formatEfdDateTime } from './searchWindow';

export { searchWindowStart, formatEfdDateTime } from './searchWindow';

/** The eFD answered with its maintenance page (503). Worth trying later. */
export class EfdMaintenanceError extends HttpError {
  override readonly name: string = 'EfdMaintenanceError';
  constructor(url: string, retryAfterSeconds: number | null = null) {
    super(`${url}: the Senate eFD is down for maintenance (HTTP 503)`, url, 503, true, retryAfterSeconds);
  }
}

/** Time, injectable so tests need not wait out the pacing. */
export interface EfdClock {
  now(): number;
  sleep(ms: number): Promise<void>;
}

export const realClock: EfdClock = {
  now: () => Date.now(),
  sleep: (ms) => new Promise((ok) => setTimeout(ok, ms)),
};

export type EfdClientEvent =
  | { type: 'session'; reason: 'start' | 'renew' }
  | { type: 'page'; start: number; rows: number; recordsFiltered: number };

export interface EfdClientOptions {
  /** The site root, path prefix included: `https://efdsearch.senate.gov` or `http://127.0.0.1:9999/senate`. */
  baseUrl: string;
  /** Least time between the starts of two requests (politeness). Default 1000. */
  minIntervalMs?: number;
  /** Deadline of one request. Default 30000. */
  timeoutMs?: number;
  /** Search rows per page; the site refuses more than 100. Default 100. */
  pageSize?: number;
  /** Zone the site reads `submitted_start_date` in. Default America/New_York. */
  timeZone?: string;
  clock?: EfdClock;
  dispatcher?: Dispatcher;
  onEvent?: (event: EfdClientEvent) => void;
}

export interface SearchPage {
  recordsFiltered: number;
  data: unknown[];
}

/** What one search gave: the reports listed, and the rows that could not be read. */
export interface SearchResult {
  reports: SenateReportRef[];
  rejected: RejectedRow[];
}

/** One row of the results: a report, or the reason it could not be read. */
export type SearchRow = { ref: SenateReportRef } | { rejected: RejectedRow };

/** One row of the results as a report, or as a rejected row with the reason (pure; never throws a ParseError). */
export function readSearchRow(row: unknown): SearchRow {
  try {
    return { ref: parseSearchRow(row) };
  } catch (err) {
    if (!(err instanceof ParseError)) throw err;
    const text = JSON.stringify(row) ?? String(row);
    return { rejected: { reason: err.message, row: text.slice(0, REJECTED_ROW_MAX_CHARS) } };
  }
}

const LAPSED = Symbol('session lapsed');
type Lapsed = typeof LAPSED;

/** PTR report type and "Senator" filer type in the search form. */
const PTR_REPORT_TYPES = '[11]';
const SENATOR_FILER_TYPES = '[1]';

/**
 * A client of the Senate's electronic financial-disclosure site (efdsearch.senate.gov): it accepts
 * the usage agreement to get a session, searches PTRs by received date, and fetches report pages.
 * A session that lapses (the site sends us back to its home page, or refuses the CSRF token) is set
 * up again once and the request repeated. Nothing else is retried here: a 5xx answer, a timeout or a
 * dropped connection is a retryable HttpError (a maintenance page an EfdMaintenanceError) for the
 * calling activity's Temporal retry policy, so every retry shows in the workflow's history.
 */
export class EfdClient {
  private readonly baseUrl: string;
  private readonly minIntervalMs: number;
  private readonly timeoutMs: number;
  private readonly pageSize: number;
  private readonly timeZone: string;
  private readonly clock: EfdClock;
  private readonly dispatcher: Dispatcher | undefined;
  private readonly onEvent: (event: EfdClientEvent) => void;

  private readonly jar = new CookieJar();
  private session: Promise<void> | null = null;
  private establishing = false;
  /** Counts sessions granted, so a request knows whether someone renewed since it started. */
  private generation = 0;
  private gate: Promise<void> = Promise.resolve();
  private lastRequestAt = -Infinity;

  constructor(opts: EfdClientOptions) {
    this.baseUrl = opts.baseUrl.replace(/\/+$/, '');
    this.minIntervalMs = opts.minIntervalMs ?? 1000;
    this.timeoutMs = opts.timeoutMs ?? 30_000;
    this.pageSize = opts.pageSize ?? 100;
    this.timeZone = opts.timeZone ?? 'America/New_York';
    this.clock = opts.clock ?? realClock;
    this.dispatcher = opts.dispatcher;
    this.onEvent = opts.onEvent ?? (() => {});
    if (!Number.isInteger(this.pageSize) || this.pageSize < 1 || this.pageSize > 100) {
      throw new RangeError(
        `pageSize must be a whole number from 1 to 100 (the eFD answers 503 above 100), got ${this.pageSize}`,
      );
    }
    if (!/^https?:\/\//.test(this.baseUrl))
      throw new RangeError(`baseUrl must be an http(s) URL, got "${opts.baseUrl}"`);
  }

  /**
   * Every PTR (electronic and paper) received from `since` (to `until`, if given), oldest first,
   * each report once even if the listing repeats it or shifts between pages; and the rows that could
   * not be read (one malformed row does not hide the others).
   */
  async searchPtrs(since: Date, until?: Date): Promise<SearchResult> {
    const seen = new Map<string, SenateReportRef>();
    const rejected: RejectedRow[] = [];
    for await (const item of this.iterateSearch(since, until)) {
      if ('rejected' in item) rejected.push(item.rejected);
      else if (!seen.has(item.ref.reportId)) seen.set(item.ref.reportId, item.ref);
    }
    return { reports: [...seen.values()], rejected };
  }

  /** The search results page by page, as the site lists them (duplicates and unreadable rows included). */
  async *iterateSearch(since: Date, until?: Date): AsyncGenerator<SearchRow> {
    if (Number.isNaN(since.getTime())) throw new RangeError('searchPtrs: "since" is not a valid date');
    const startDate = formatEfdDateTime(since, this.timeZone);
    const endDate = until ? formatEfdDateTime(until, this.timeZone) : '';
    let start = 0;
    for (let draw = 1; ; draw++) {
      const page = await this.searchPage(startDate, endDate, start, draw);
      this.onEvent({ type: 'page', start, rows: page.data.length, recordsFiltered: page.recordsFiltered });
      for (const row of page.data) yield readSearchRow(row);
      start += page.data.length;
      if (page.data.length === 0 || start >= page.recordsFiltered) return;
    }
  }

  /** The HTML of a report page, by search result or by its site path (`/search/view/ptr/<uuid>/`). */
  async fetchPtrHtml(ref: SenateReportRef | string): Promise<string> {
    const path = typeof ref === 'string' ? ref : ref.path;
    if (!/^\/search\/view\/[a-z-]+\/[0-9A-Fa-f-]+\/$/.test(path)) {
      throw new RangeError(`not an eFD report path: "${path}" (expected /search/view/ptr/<uuid>/)`);
    }
    const url = siteUrl(this.baseUrl, path);
    return this.withSession(async () => {
      const res = await this.send(
        url,
        { method: 'GET', headers: { referer: siteUrl(this.baseUrl, '/search/') } },
        [302, 403],
      );
      if (lapsed(res)) return LAPSED;
      expectStatus(res, 200);
      return res.body.toString('utf8');
    });
  }

  private async searchPage(
    startDate: string,
    endDate: string,
    start: number,
    draw: number,
  ): Promise<SearchPage> {
    const url = siteUrl(this.baseUrl, '/search/report/data/');
    return this.withSession(async () => {
      const form = searchForm({
        draw,
        start,
        length: this.pageSize,
        startDate,
        endDate,
        csrf: this.jar.get('csrftoken') ?? '',
      });
      const res = await this.send(
        url,
        {
          method: 'POST',
          headers: {
            'content-type': 'application/x-www-form-urlencoded; charset=UTF-8',
            accept: 'application/json, text/javascript, */*; q=0.01',
            'x-csrftoken': this.jar.get('csrftoken') ?? '',
            'x-requested-with': 'XMLHttpRequest',
            referer: siteUrl(this.baseUrl, '/search/'),
          },
          body: form.toString(),
        },
        [302, 403],
      );
      if (lapsed(res)) return LAPSED;
      expectStatus(res, 200);
      return readSearchPage(res);
    });
  }

  /** Runs one request with a session; on a lapse, sets the session up again once and repeats it. */
  private async withSession<T>(op: () => Promise<T | Lapsed>): Promise<T> {
    await this.ensureSession();
    const used = this.generation;
    const first = await op();
    if (first !== LAPSED) return first;
    await this.renewSession(used);
    const second = await op();
    if (second !== LAPSED) return second;
    throw new HttpError(
      `${this.baseUrl}: the eFD refused a session it had just granted (redirected to its home page or CSRF failure twice)`,
      this.baseUrl,
      null,
      false,
    );
  }

  private ensureSession(): Promise<void> {
    if (!this.session) {
      const reason = this.generation === 0 ? 'start' : 'renew';
      this.establishing = true;
      this.session = this.establishSession(reason)
        .catch((err: unknown) => {
          this.session = null;
          throw err;
        })
        .finally(() => {
          this.establishing = false;
        });
    }
    return this.session;
  }

  /** Concurrent requests that see the same lapse renew the session once between them. */
  private renewSession(staleGeneration: number): Promise<void> {
    if (this.generation === staleGeneration && !this.establishing) this.session = null;
    return this.ensureSession();
  }

  private async establishSession(reason: 'start' | 'renew'): Promise<void> {
    this.onEvent({ type: 'session', reason });
    this.jar.clear();
    const home = siteUrl(this.baseUrl, '/search/home/');
    const page = await this.send(home, { method: 'GET', headers: {} }, []);
    const token = load(page.body.toString('utf8'))('input[name="csrfmiddlewaretoken"]').attr('value');
    if (!token)
      throw new HttpError(`${home}: no csrfmiddlewaretoken in the agreement form`, home, page.status, false);
    if (!this.jar.get('csrftoken'))
      throw new HttpError(`${home}: no csrftoken cookie was set`, home, page.status, false);
    const agreed = await this.send(
      home,
      {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', referer: home },
        body: new URLSearchParams({ csrfmiddlewaretoken: token, prohibition_agreement: '1' }).toString(),
      },
      [302, 403],
    );
    if (agreed.status !== 302 || !this.jar.get('sessionid')) {
      throw new HttpError(
        `${home}: the agreement was not accepted (HTTP ${agreed.status}${this.jar.get('sessionid') ? '' : ', no sessionid cookie'})`,
        home,
        agreed.status,
        false,
      );
    }
    this.generation++;
  }

  /** One paced HTTP exchange carrying the jar's cookies; a 503 becomes a retryable failure. */
  private async send(
    url: string,
    init: { method: 'GET' | 'POST'; headers: Record<string, string>; body?: string },
    acceptStatus: number[],
  ): Promise<FetchResult> {
    await this.pace();
    const cookie = this.jar.header();
    const res = await fetchBytes(url, {
      method: init.method,
      headers: cookie ? { ...init.headers, cookie } : init.headers,
      body: init.body,
      timeoutMs: this.timeoutMs,
      maxBytes: 20 * 1024 * 1024,
      acceptStatus: [...acceptStatus, 503],
      dispatcher: this.dispatcher,
    });
    this.jar.store(res.headers['set-cookie']);
    if (res.status === 503) throw unavailable(res);
    return res;
  }

  /** Spaces request starts at least `minIntervalMs` apart, across concurrent callers too. */
  private async pace(): Promise<void> {
    const previous = this.gate;
    let release = () => {};
    this.gate = new Promise<void>((ok) => (release = ok));
    await previous;
    try {
      const wait = this.lastRequestAt + this.minIntervalMs - this.clock.now();
      if (wait > 0) await this.clock.sleep(wait);
      this.lastRequestAt = this.clock.now();
    } finally {
      release();
    }
  }
}

function searchForm(p: {
  draw: number;
  start: number;
  length: number;
  startDate: string;
  endDate: string;
  csrf: string;
}): URLSearchParams {
  const form = new URLSearchParams();
  form.set('draw', String(p.draw));
  // The DataTables columns of the results table: first, last, office, report, date received.
  for (let i = 0; i < 5; i++) {
    form.set(`columns[${i}][data]`, String(i));
    form.set(`columns[${i}][name]`, '');
    form.set(`columns[${i}][searchable]`, 'true');
    form.set(`columns[${i}][orderable]`, 'true');
    form.set(`columns[${i}][search][value]`, '');
    form.set(`columns[${i}][search][regex]`, 'false');
  }
  // Oldest first: filings received while we page through land on the last page, not before our cursor.
  form.set('order[0][column]', '4');
  form.set('order[0][dir]', 'asc');
  form.set('start', String(p.start));
  form.set('length', String(p.length));
  form.set('search[value]', '');
  form.set('search[regex]', 'false');
  form.set('report_types', PTR_REPORT_TYPES);
  form.set('filer_types', SENATOR_FILER_TYPES);
  form.set('submitted_start_date', p.startDate);
  form.set('submitted_end_date', p.endDate);
  form.set('candidate_state', '');
  form.set('senator_state', '');
  form.set('office_id', '');
  form.set('first_name', '');
  form.set('last_name', '');
  form.set('csrfmiddlewaretoken', p.csrf);
  return form;
}

function readSearchPage(res: FetchResult): SearchPage {
  return parseSearchAnswer(res.body.toString('utf8'), res.url);
}

/** The JSON answer of `POST /search/report/data/` (pure): its rows, and how many match in all. */
export function parseSearchAnswer(body: string, url: string): SearchPage {
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch {
    throw new ParseError(`${url}: search answer is not JSON (starts "${body.slice(0, 80)}")`);
  }
  const o = json as { recordsFiltered?: unknown; data?: unknown };
  const recordsFiltered = Number(o?.recordsFiltered);
  if (!Array.isArray(o?.data) || !Number.isFinite(recordsFiltered)) {
    throw new ParseError(`${url}: search answer lacks data[] or recordsFiltered`);
  }
  return { recordsFiltered, data: o.data };
}

/** The site sends a session-less client back to its agreement page, or refuses its CSRF token. */
function lapsed(res: FetchResult): boolean {
  if (res.status === 403) return true;
  if (res.status >= 300 && res.status < 400) {
    const location = headerValue(res.headers.location) ?? '';
    if (/\/search\/home\/?(?:[?#]|$)/.test(location)) return true;
    throw new HttpError(
      `${res.url}: unexpected redirect (HTTP ${res.status}) to "${displayUrl(location)}"`,
      res.url,
      res.status,
      false,
    );
  }
  // Some front ends answer 200 with the agreement page instead of redirecting.
  return res.status === 200 && res.body.includes('prohibition_agreement');
}

function expectStatus(res: FetchResult, status: number): void {
  if (res.status !== status)
    throw new HttpError(`${res.url}: HTTP ${res.status}`, res.url, res.status, false);
}

function unavailable(res: FetchResult): HttpError {
  const retryAfter = parseRetryAfter(headerValue(res.headers['retry-after']));
  if (/maintenance/i.test(res.body.toString('utf8'))) return new EfdMaintenanceError(res.url, retryAfter);
  return new HttpError(`${res.url}: HTTP 503`, res.url, 503, true, retryAfter);
}
