import { randomInt } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { join } from 'node:path';
import { sharedDir } from './sharedDir';
import { listen } from '../ops/listen';

/** A row of `reports-rows.sample.json`, as the eFD search lists a report. */
export interface EfdReportListing {
  firstName: string;
  lastName: string;
  office: string;
  /** `MM/DD/YYYY`, the date the report was received. */
  reportDate: string;
  reportTitle: string;
  /** `/search/view/ptr/<uuid>/` or `/search/view/paper/<uuid>/`. */
  reportLink: string;
}

/** The DataTables row the search answers for a listing: `[first, last, office, link HTML, date]`. */
export function efdSearchRow(r: EfdReportListing): string[] {
  return [
    r.firstName,
    r.lastName,
    r.office,
    `<a href="${r.reportLink}" target="_blank">${r.reportTitle}</a>`,
    r.reportDate,
  ];
}

/** The real search rows of the shared fixtures (10 electronic, 3 paper; one paper row listed twice, as the site does). */
export function sampleSearchRows(fixturesRoot = join(sharedDir(), 'fixtures')): string[][] {
  const file = join(fixturesRoot, 'senate-efd', 'reports-rows.sample.json');
  return (JSON.parse(readFileSync(file, 'utf8')) as EfdReportListing[]).map(efdSearchRow);
}

export interface SenateEfdSiteOptions {
  /** Path the site is mounted under; clients use `http://host:port<prefix>` as base URL. Default `/senate`. */
  prefix?: string;
  /** Search rows; default `sampleSearchRows()`. */
  rows?: string[][];
  /** Root of the shared fixtures (holding `senate-efd/`). */
  fixturesRoot?: string;
}

export interface EfdRequestRecord {
  method: string;
  /** Path below the prefix, e.g. `/search/report/data/`. */
  path: string;
  status: number;
}

const CSRF_CHARS = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';
const SECRET_LENGTH = 32;

/**
 * A local stand-in for efdsearch.senate.gov that behaves as the real site does towards a scraper:
 * a `csrftoken` cookie and a masked hidden token on `/search/home/`; the agreement POST answers 302
 * with a `sessionid`; pages need that session (else 302 back to home); POSTs need a matching CSRF
 * token and a Referer (else 403); the search refuses an empty start date or more than 100 rows a page
 * with a 503 maintenance page; report pages are the real PTR pages of the shared fixtures.
 * Test controls simulate new filings, lapsed sessions and maintenance windows.
 */
export class SenateEfdSite {
  readonly prefix: string;
  readonly requests: EfdRequestRecord[] = [];
  private server: Server | null = null;
  private rowList: string[][];
  private readonly ptrDir: string;
  private readonly sessions = new Set<string>();
  private readonly csrfSecrets = new Set<string>();
  private failures: { remaining: number; status: number } = { remaining: 0, status: 503 };
  private stalls: { remaining: number; ms: number } = { remaining: 0, ms: 0 };

  constructor(opts: SenateEfdSiteOptions = {}) {
    const root = opts.fixturesRoot ?? join(sharedDir(), 'fixtures');
    this.prefix = normalisePrefix(opts.prefix ?? '/senate');
    this.rowList = (opts.rows ?? sampleSearchRows(root)).map((r) => [...r]);
    this.ptrDir = join(root, 'senate-efd', 'search', 'view', 'ptr');
  }

  async start(port = 0, host = '127.0.0.1'): Promise<string> {
    this.server = createServer((req, res) => {
      this.handle(req, res).catch((err: unknown) => {
        if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain' });
        res.end(String(err));
      });
    });
    await listen(this.server, 'the local Senate eFD site (DEV_SENATE_PORT)', port, host);
    return this.baseUrl;
  }

  get baseUrl(): string {
    const addr = this.server?.address();
    if (!addr || typeof addr === 'string') throw new Error('Senate eFD site not started');
    return `http://127.0.0.1:${addr.port}${this.prefix}`;
  }

  async stop(): Promise<void> {
    if (!this.server) return;
    this.server.closeAllConnections();
    await new Promise<void>((ok) => this.server!.close(() => ok()));
    this.server = null;
  }

  /** The search rows, as listed. */
  get rows(): readonly string[][] {
    return this.rowList;
  }

  setRows(rows: string[][]): void {
    this.rowList = rows.map((r) => [...r]);
  }

  /** A new filing appears in search. */
  addRow(row: string[] | EfdReportListing): void {
    this.rowList.push(Array.isArray(row) ? [...row] : efdSearchRow(row));
  }

  /** Every session lapses; clients are sent back to the agreement page. */
  expireSessions(): void {
    this.sessions.clear();
  }

  /** Every CSRF cookie handed out stops matching, so POSTs fail with 403 until a new home visit. */
  rotateCsrf(): void {
    this.csrfSecrets.clear();
  }

  /** The next `n` requests (any path) answer `status`, with the maintenance page for 503. */
  failNext(n: number, status = 503): void {
    this.failures = { remaining: n, status };
  }

  /** The next `n` requests are held `ms` before being answered (to exercise client timeouts). */
  stallNext(n: number, ms: number): void {
    this.stalls = { remaining: n, ms };
  }

  countRequests(path: string, method?: string): number {
    return this.requests.filter((r) => r.path.startsWith(path) && (!method || r.method === method)).length;
  }

  // ---- the site ---------------------------------------------------------------------------------

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://x');
    const method = req.method ?? 'GET';
    const body = method === 'POST' ? await readBody(req) : '';
    const full = url.pathname;
    const path =
      this.prefix && full.startsWith(this.prefix + '/')
        ? full.slice(this.prefix.length)
        : this.prefix
          ? null
          : full;
    const send = (status: number, headers: Record<string, string | string[]>, content: string) => {
      res.writeHead(status, headers).end(method === 'HEAD' ? undefined : content);
      this.requests.push({ method, path: path ?? full, status });
    };
    if (path === null) return send(404, { 'content-type': 'text/plain' }, 'not under the eFD prefix');

    if (this.stalls.remaining > 0) {
      this.stalls.remaining--;
      await new Promise((ok) => setTimeout(ok, this.stalls.ms));
      if (res.destroyed) return;
    }

    if (this.failures.remaining > 0) {
      this.failures.remaining--;
      const status = this.failures.status;
      return send(
        status,
        { 'content-type': 'text/html; charset=utf-8' },
        status === 503 ? MAINTENANCE_PAGE : `<h1>Error ${status}</h1>`,
      );
    }

    const cookies = parseCookies(req.headers.cookie);
    const hasSession = !!cookies.sessionid && this.sessions.has(cookies.sessionid);
    const home = `${this.prefix}/search/home/`;
    const toHome = (next: string) => send(302, { location: `${home}?next=${encodeURIComponent(next)}` }, '');

    if (path === '/search/home/' && method === 'GET') {
      const headers: Record<string, string | string[]> = { 'content-type': 'text/html; charset=utf-8' };
      let secret = cookies.csrftoken;
      if (!secret || !this.csrfSecrets.has(secret)) {
        secret = randomToken(SECRET_LENGTH);
        this.csrfSecrets.add(secret);
        headers['set-cookie'] =
          `csrftoken=${secret}; Max-Age=31449600; Path=${this.prefix || '/'}; SameSite=Lax`;
      }
      return send(200, headers, homePage(this.prefix, maskToken(secret)));
    }

    if (method === 'POST' && !this.csrfOk(req, cookies, new URLSearchParams(body))) {
      return send(403, { 'content-type': 'text/html; charset=utf-8' }, CSRF_FAILURE_PAGE);
    }

    if (path === '/search/home/' && method === 'POST') {
      const form = new URLSearchParams(body);
      if (form.get('prohibition_agreement') !== '1') {
        return send(
          200,
          { 'content-type': 'text/html; charset=utf-8' },
          homePage(this.prefix, maskToken(cookies.csrftoken!)),
        );
      }
      const sessionid = randomToken(32).toLowerCase();
      this.sessions.add(sessionid);
      return send(
        302,
        {
          location: `${this.prefix}/search/`,
          'set-cookie': `sessionid=${sessionid}; HttpOnly; Path=${this.prefix || '/'}; SameSite=Lax`,
        },
        '',
      );
    }

    if (path === '/search/' && method === 'GET') {
      if (!hasSession) return toHome('/search/');
      return send(200, { 'content-type': 'text/html; charset=utf-8' }, SEARCH_PAGE);
    }

    if (path === '/search/report/data/' && method === 'POST') {
      if (!hasSession) return toHome('/search/report/data/');
      const answer = this.search(new URLSearchParams(body));
      if (answer === null) return send(503, { 'content-type': 'text/html; charset=utf-8' }, MAINTENANCE_PAGE);
      return send(200, { 'content-type': 'application/json' }, JSON.stringify(answer));
    }

    const view = /^\/search\/view\/(ptr|paper)\/([0-9A-Fa-f-]{36})\/$/.exec(path);
    if (view && method === 'GET') {
      if (!hasSession) return toHome(path);
      const [, kind, id] = view;
      if (kind === 'ptr') {
        const html = await readFile(join(this.ptrDir, `${id}.html`), 'utf8').catch(() => null);
        if (html !== null) return send(200, { 'content-type': 'text/html; charset=utf-8' }, html);
      } else if (this.rowList.some((r) => (r[3] ?? '').includes(`/search/view/paper/${id}/`))) {
        return send(200, { 'content-type': 'text/html; charset=utf-8' }, paperPage(id!));
      }
      return send(404, { 'content-type': 'text/html; charset=utf-8' }, NOT_FOUND_PAGE);
    }

    return send(404, { 'content-type': 'text/html; charset=utf-8' }, NOT_FOUND_PAGE);
  }

  /** Django's check: a known `csrftoken` cookie, a token (form field or header) matching it, a Referer. */
  private csrfOk(req: IncomingMessage, cookies: Record<string, string>, form: URLSearchParams): boolean {
    const secret = cookies.csrftoken;
    if (!secret || !this.csrfSecrets.has(secret) || !req.headers.referer) return false;
    const header = req.headers['x-csrftoken'];
    const token = form.get('csrfmiddlewaretoken') || (Array.isArray(header) ? header[0] : header) || '';
    return token === secret || (token.length === 2 * SECRET_LENGTH && unmaskToken(token) === secret);
  }

  /** The DataTables answer, or null where the real site answers its 503 maintenance page. */
  private search(form: URLSearchParams): object | null {
    const startText = form.get('submitted_start_date') ?? '';
    const endText = form.get('submitted_end_date') ?? '';
    const start = Number(form.get('start') ?? '0');
    const length = Number(form.get('length') ?? '10');
    const from = startText ? efdDay(startText) : null;
    const to = endText ? efdDay(endText) : null;
    if (!from || (endText && !to)) return null;
    if (!Number.isInteger(start) || start < 0 || !Number.isInteger(length) || length < 1 || length > 100)
      return null;

    const wantsPtr = (form.get('report_types') ?? '').includes('11');
    const matching = this.rowList.filter((row) => {
      const day = efdDay(row[4] ?? '');
      return wantsPtr && day !== null && day >= from && (to === null || day <= to);
    });
    const column = Number(form.get('order[0][column]') ?? NaN);
    if (Number.isInteger(column) && column >= 0 && column < 5) {
      const dir = form.get('order[0][dir]') === 'desc' ? -1 : 1;
      const key = (row: string[]) =>
        column === 4 ? (efdDay(row[4] ?? '') ?? '') : (row[column] ?? '').toLowerCase();
      // Array.prototype.sort is stable, so equal dates keep listing order.
      matching.sort((a, b) => dir * key(a).localeCompare(key(b)));
    }
    return {
      draw: Number(form.get('draw') ?? '0'),
      recordsTotal: this.rowList.length,
      recordsFiltered: matching.length,
      data: matching.slice(start, start + length),
      result: 'ok',
    };
  }
}

function normalisePrefix(prefix: string): string {
  const p = prefix.replace(/\/+$/, '');
  return p === '' ? '' : p.startsWith('/') ? p : `/${p}`;
}

/** `MM/DD/YYYY` optionally followed by a time → `YYYY-MM-DD` (comparable as text), else null. */
function efdDay(text: string): string | null {
  const m = /^(\d{1,2})\/(\d{1,2})\/(\d{4})(?:\s+\d{1,2}:\d{2}(?::\d{2})?)?$/.exec(text.trim());
  return m ? `${m[3]}-${m[1]!.padStart(2, '0')}-${m[2]!.padStart(2, '0')}` : null;
}

function randomToken(length: number): string {
  return Array.from({ length }, () => CSRF_CHARS[randomInt(CSRF_CHARS.length)]).join('');
}

/** Django's per-page token: a random salt plus the secret shifted by it, so each page's token differs. */
function maskToken(secret: string): string {
  const salt = randomToken(SECRET_LENGTH);
  const shifted = [...secret].map(
    (c, i) => CSRF_CHARS[(CSRF_CHARS.indexOf(c) + CSRF_CHARS.indexOf(salt[i]!)) % CSRF_CHARS.length],
  );
  return salt + shifted.join('');
}

function unmaskToken(token: string): string {
  const salt = token.slice(0, SECRET_LENGTH);
  const shifted = token.slice(SECRET_LENGTH);
  const n = CSRF_CHARS.length;
  return [...shifted]
    .map((c, i) => CSRF_CHARS[(CSRF_CHARS.indexOf(c) - CSRF_CHARS.indexOf(salt[i]!) + n) % n])
    .join('');
}

function parseCookies(header: string | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const part of (header ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0) out[part.slice(0, eq).trim()] = part.slice(eq + 1).trim();
  }
  return out;
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

function homePage(prefix: string, token: string): string {
  return `<!DOCTYPE html>
<html lang="en"><head><title>eFD: Home</title></head>
<body>
<main class="container-fluid pgContent" id="content">
  <h1>Financial Disclosure Reports</h1>
  <p>This site provides access to financial disclosure reports filed by Senators, candidates and officers and employees of the Senate.</p>
  <form id="agreement_form" method="post" action="${prefix}/search/home/">
    <input type="hidden" name="csrfmiddlewaretoken" value="${token}">
    <p>Prohibited uses: it is illegal to use the information in these reports for any unlawful purpose, any commercial purpose other than news and communications media dissemination, or to determine or establish the credit rating of any individual.</p>
    <div class="form-check">
      <input class="form-check-input" type="checkbox" id="agree_statement" name="prohibition_agreement" value="1">
      <label class="form-check-label" for="agree_statement">I understand the prohibitions on obtaining and use of financial disclosure reports.</label>
    </div>
  </form>
</main>
</body></html>
`;
}

function paperPage(id: string): string {
  return `<!DOCTYPE html>
<html lang="en"><head><title>eFD: View Paper Report</title></head>
<body>
<main class="container-fluid pgContent" id="content">
  <h1 class="mb-2">Periodic Transaction Report</h1>
  <div class="text-center">
    <img class="filingImage" src="https://efd-media-public.senate.gov/media/${id.toLowerCase()}/page1.gif" alt="filing page 1">
  </div>
</main>
</body></html>
`;
}

const SEARCH_PAGE = `<!DOCTYPE html>
<html lang="en"><head><title>eFD: Find Reports</title></head>
<body><main id="content"><h1>Find Reports</h1><form id="searchForm"></form><table id="filedReports"></table></main></body></html>
`;

const MAINTENANCE_PAGE = `<!DOCTYPE html>
<html lang="en"><head><title>eFD: Site Maintenance</title></head>
<body><main id="content">
  <h1>Site Under Maintenance</h1>
  <p>The Senate Financial Disclosure site is currently undergoing maintenance. Please try again later.</p>
</main></body></html>
`;

const CSRF_FAILURE_PAGE = `<!DOCTYPE html>
<html lang="en"><head><title>403 Forbidden</title></head>
<body><h1>Forbidden <span>(403)</span></h1><p>CSRF verification failed. Request aborted.</p></body></html>
`;

const NOT_FOUND_PAGE = `<!DOCTYPE html>
<html lang="en"><head><title>eFD: Page Not Found</title></head>
<body><h1>Not Found</h1><p>The requested resource was not found on this server.</p></body></html>
`;
