import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { join } from 'node:path';
import { addDays, newYorkTime, sessionOn } from '../domain/marketCalendar';
import type { PriceSource } from '../domain/priceTickers';
import { listen } from '../ops/listen';
import { sharedDir } from './sharedDir';

/** Yahoo's answer for a symbol it has no data for (HTTP 404). */
const YAHOO_NOT_FOUND = {
  chart: { result: null, error: { code: 'Not Found', description: 'No data found, symbol may be delisted' } },
};
const FINNHUB_LIMIT = { error: 'API limit reached. Please try again later. Remaining Limit: 0' };

export interface PriceRequest {
  source: PriceSource;
  symbol: string;
  status: number;
  /** The query string as sent. */
  query: string;
  /** Arrival time, epoch ms. */
  at: number;
}

interface Fault {
  symbols: Set<string> | null;
  /** Requests left to fault; Infinity until cleared. */
  left: number;
}

/**
 * A local stand-in for the price APIs, for tests, benchmarks and the demo: Yahoo's chart v8 at
 * `/yahoo`, Finnhub's `/quote` at `/finnhub`, Alpha Vantage's GLOBAL_QUOTE at `/alphavantage`. It
 * answers the real recorded bodies of `../shared/fixtures/prices` where they exist (Yahoo's AAPL
 * chart, Finnhub's RUBI quote and all-zero answer, Alpha Vantage's IWDA.AS quote, `Note` and `Error
 * Message` bodies) and, for any other symbol, a response of the same shape with prices generated from
 * the symbol and the date, so every run sees the same history. Switches make a source rate limited
 * (429 with Retry-After; Alpha Vantage's `Note`), fail (5xx), or not know symbols; every request is
 * counted with its arrival time.
 */
export class PriceSite {
  private server: Server | null = null;
  readonly requests: PriceRequest[] = [];
  private readonly limited = new Map<PriceSource, Fault & { retryAfter: number | null }>();
  private readonly failing = new Map<PriceSource, Fault & { status: number }>();
  private readonly unknownSymbols = new Set<string>();
  private readonly fixtures: string;
  /** The clock the generated prices follow (tests may pin it). */
  now: () => number = Date.now;

  constructor(fixturesDir = join(sharedDir(), 'fixtures', 'prices')) {
    this.fixtures = fixturesDir;
  }

  async start(port = 0, host = '127.0.0.1'): Promise<string> {
    this.server = createServer((req, res) => {
      try {
        this.handle(req, res);
      } catch (err) {
        res.writeHead(500, { 'content-type': 'text/plain' }).end(String(err));
      }
    });
    await listen(this.server, 'the local price site (DEV_PRICES_PORT)', port, host);
    return this.baseUrl;
  }

  get baseUrl(): string {
    const addr = this.server?.address();
    if (!addr || typeof addr === 'string') throw new Error('price site not started');
    return `http://127.0.0.1:${addr.port}`;
  }

  /** Base URLs in the form the configuration takes them. */
  env(keys = true): Record<string, string> {
    return {
      PRICES_BASE_URL: `${this.baseUrl}/yahoo`,
      FINNHUB_BASE_URL: `${this.baseUrl}/finnhub`,
      ALPHA_VANTAGE_BASE_URL: `${this.baseUrl}/alphavantage`,
      ...(keys ? { FINNHUB_API_KEY: 'local-finnhub-key', ALPHA_VANTAGE_API_KEY: 'local-av-key' } : {}),
    };
  }

  /** Answer 429 (Alpha Vantage: a 200 `Note`) for `times` requests, or until cleared. */
  rateLimit(
    source: PriceSource,
    opts: { retryAfter?: number; times?: number; symbols?: string[] } = {},
  ): void {
    this.limited.set(source, { ...fault(opts), retryAfter: opts.retryAfter ?? null });
  }

  /** Answer a server error (503 by default) for `times` requests, or until cleared. */
  fail(source: PriceSource, opts: { status?: number; times?: number; symbols?: string[] } = {}): void {
    this.failing.set(source, { ...fault(opts), status: opts.status ?? 503 });
  }

  /** No source knows these symbols. */
  unknown(...symbols: string[]): void {
    for (const s of symbols) this.unknownSymbols.add(s.toUpperCase());
  }

  clear(): void {
    this.limited.clear();
    this.failing.clear();
    this.unknownSymbols.clear();
    this.requests.length = 0;
  }

  count(source?: PriceSource, status?: number): number {
    return this.requests.filter((r) => (!source || r.source === source) && (!status || r.status === status))
      .length;
  }

  /** The most requests of a source that arrived within any window of `windowMs`. */
  maxInWindow(source: PriceSource, windowMs: number): number {
    const times = this.requests
      .filter((r) => r.source === source)
      .map((r) => r.at)
      .sort((a, b) => a - b);
    let best = 0;
    for (let i = 0, j = 0; i < times.length; i++) {
      while (times[i]! - times[j]! >= windowMs) j++;
      best = Math.max(best, i - j + 1);
    }
    return best;
  }

  async stop(): Promise<void> {
    if (!this.server) return;
    this.server.closeAllConnections();
    await new Promise<void>((ok) => this.server!.close(() => ok()));
    this.server = null;
  }

  private handle(req: IncomingMessage, res: ServerResponse): void {
    const url = new URL(req.url ?? '/', 'http://x');
    const [, site = '', ...rest] = url.pathname.split('/');
    const send = (
      source: PriceSource,
      symbol: string,
      status: number,
      body: unknown,
      headers: Record<string, string> = {},
    ) => {
      this.requests.push({ source, symbol, status, query: url.search, at: Date.now() });
      const text = typeof body === 'string' ? body : JSON.stringify(body);
      const type = typeof body === 'string' ? 'text/plain;charset=utf-8' : 'application/json;charset=utf-8';
      res.writeHead(status, { 'content-type': type, ...headers }).end(text);
    };
    if (site === 'yahoo' && rest.slice(0, 3).join('/') === 'v8/finance/chart' && rest[3]) {
      const symbol = decodeURIComponent(rest[3]).toUpperCase();
      const trouble = this.trouble('yahoo', symbol);
      if (trouble)
        return send(
          'yahoo',
          symbol,
          trouble.status,
          trouble.status === 429 ? 'Edge: Too Many Requests' : 'Service Unavailable',
          trouble.headers,
        );
      if (this.unknownSymbols.has(symbol)) return send('yahoo', symbol, 404, YAHOO_NOT_FOUND);
      return send('yahoo', symbol, 200, this.yahooChart(symbol, url.searchParams.get('range') ?? '1mo'));
    }
    if (site === 'finnhub' && rest.join('/') === 'api/v1/quote') {
      const symbol = (url.searchParams.get('symbol') ?? '').toUpperCase();
      if (!url.searchParams.get('token')) return send('finnhub', symbol, 401, { error: 'Invalid API key' });
      const trouble = this.trouble('finnhub', symbol);
      if (trouble)
        return send(
          'finnhub',
          symbol,
          trouble.status,
          trouble.status === 429 ? FINNHUB_LIMIT : 'Bad Gateway',
          trouble.headers,
        );
      if (this.unknownSymbols.has(symbol) || symbol === 'DJI')
        return send('finnhub', symbol, 200, this.fixture('finnhub/quote.DJI.all-zero.2020-07-23.json'));
      if (symbol === 'RUBI')
        return send('finnhub', symbol, 200, this.fixture('finnhub/quote.RUBI.2020-03-27.json'));
      return send('finnhub', symbol, 200, this.finnhubQuote(symbol));
    }
    if (site === 'alphavantage' && rest.join('/') === 'query') {
      const symbol = (url.searchParams.get('symbol') ?? '').toUpperCase();
      const trouble = this.trouble('alphavantage', symbol);
      // Alpha Vantage's rate limit is a 200 with a Note.
      if (trouble?.status === 429)
        return send('alphavantage', symbol, 200, this.fixture('alphavantage/rate-limit-Note.2018.json'));
      if (trouble) return send('alphavantage', symbol, trouble.status, 'Internal Server Error');
      if (url.searchParams.get('function') !== 'GLOBAL_QUOTE' || !symbol)
        return send(
          'alphavantage',
          symbol,
          200,
          this.fixture('alphavantage/error-invalid-call.TIME_SERIES_DAILY.json'),
        );
      if (this.unknownSymbols.has(symbol)) return send('alphavantage', symbol, 200, { 'Global Quote': {} });
      if (symbol === 'IWDA.AS')
        return send(
          'alphavantage',
          symbol,
          200,
          this.fixture('alphavantage/GLOBAL_QUOTE.IWDA.AS.2019-08-30.json'),
        );
      return send('alphavantage', symbol, 200, this.alphaVantageQuote(symbol));
    }
    res.writeHead(404, { 'content-type': 'text/plain' }).end('no such price API');
  }

  private trouble(
    source: PriceSource,
    symbol: string,
  ): { status: number; headers: Record<string, string> } | null {
    const take = (f: Fault | undefined) => {
      if (!f || f.left <= 0 || (f.symbols && !f.symbols.has(symbol))) return false;
      f.left -= 1;
      return true;
    };
    const limit = this.limited.get(source);
    if (take(limit))
      return {
        status: 429,
        headers: limit!.retryAfter === null ? {} : { 'retry-after': String(limit!.retryAfter) },
      };
    const failing = this.failing.get(source);
    if (take(failing)) return { status: failing!.status, headers: {} };
    return null;
  }

  private fixture(rel: string): string {
    return readFileSync(join(this.fixtures, rel), 'utf8');
  }

  // ---- generated answers, in the real shapes --------------------------------------------------

  private yahooChart(symbol: string, range: string): unknown {
    if (symbol === 'AAPL') return this.fixture('yahoo/chart-AAPL-2020-01-01-to-2020-01-03.body.json');
    const now = this.now();
    const sessions = sessionsBack(now, rangeDays(range));
    const bars = sessions.map((s) => ({ t: Math.floor(s.openMs / 1000), close: priceOn(symbol, s.day) }));
    const last = sessions.at(-1);
    const open = last && now < last.closeMs;
    const price = last ? priceOn(symbol, last.day) : priceOn(symbol, newYorkTime(now).day);
    const offset = utcOffsetSeconds(now);
    const round = (n: number) => Math.round(n * 10_000) / 10_000;
    return {
      chart: {
        result: [
          {
            meta: {
              currency: 'USD',
              symbol,
              exchangeName: 'NYQ',
              fullExchangeName: 'NYSE',
              instrumentType: 'EQUITY',
              firstTradeDate: 345479400,
              regularMarketTime: Math.floor((open ? now : (last?.closeMs ?? now)) / 1000),
              hasPrePostMarketData: true,
              gmtoffset: offset,
              timezone: offset === -14400 ? 'EDT' : 'EST',
              exchangeTimezoneName: 'America/New_York',
              regularMarketPrice: price,
              chartPreviousClose: priceOn(symbol, addDays(sessions[0]?.day ?? newYorkTime(now).day, -1)),
              priceHint: 2,
              dataGranularity: '1d',
              range,
              validRanges: ['1d', '5d', '1mo', '3mo', '6mo', '1y', '2y', '5y', '10y', 'ytd', 'max'],
            },
            timestamp: bars.map((b) => b.t),
            indicators: {
              quote: [
                {
                  low: bars.map((b) => round(b.close * 0.99)),
                  volume: bars.map((b) => 1_000_000 + (hash(`${symbol}${b.t}`) % 9_000_000)),
                  close: bars.map((b) => b.close),
                  high: bars.map((b) => round(b.close * 1.01)),
                  open: bars.map((b) => round(b.close * 0.995)),
                },
              ],
              adjclose: [{ adjclose: bars.map((b) => b.close) }],
            },
          },
        ],
        error: null,
      },
    };
  }

  private finnhubQuote(symbol: string): unknown {
    const now = this.now();
    const day = sessionsBack(now, 7).at(-1)!;
    const c = priceOn(symbol, day.day);
    const pc = priceOn(symbol, sessionsBack(day.openMs - 1, 7).at(-1)!.day);
    return {
      c,
      d: Math.round((c - pc) * 100) / 100,
      dp: Math.round((c / pc - 1) * 10_000) / 100,
      h: c,
      l: c,
      o: pc,
      pc,
      t: Math.floor(Math.min(now, day.closeMs) / 1000),
    };
  }

  private alphaVantageQuote(symbol: string): unknown {
    const now = this.now();
    const day = sessionsBack(now, 7).at(-1)!;
    const price = priceOn(symbol, day.day);
    const prev = priceOn(symbol, sessionsBack(day.openMs - 1, 7).at(-1)!.day);
    const f = (n: number) => n.toFixed(4);
    return {
      'Global Quote': {
        '01. symbol': symbol,
        '02. open': f(prev),
        '03. high': f(price * 1.01),
        '04. low': f(price * 0.99),
        '05. price': f(price),
        '06. volume': String(1_000_000 + (hash(symbol) % 9_000_000)),
        '07. latest trading day': day.day,
        '08. previous close': f(prev),
        '09. change': f(price - prev),
        '10. change percent': `${((price / prev - 1) * 100).toFixed(4)}%`,
      },
    };
  }
}

function fault(opts: { times?: number; symbols?: string[] }): Fault {
  return {
    symbols: opts.symbols ? new Set(opts.symbols.map((s) => s.toUpperCase())) : null,
    left: opts.times ?? Infinity,
  };
}

function hash(text: string): number {
  return createHash('sha1').update(text).digest().readUInt32BE(0);
}

/** A symbol's close on a day: a smooth walk around a price of its own, never zero, the same every run. */
export function priceOn(symbol: string, day: string): number {
  const h = hash(symbol);
  const base = 5 + (h % 49_500) / 100;
  const d = Date.parse(`${day}T00:00:00Z`) / 86_400_000;
  const wave = 1 + 0.25 * Math.sin(d / 45 + (h % 628) / 100) + 0.1 * Math.sin(d / 7 + (h % 314) / 50);
  const noise = 1 + ((hash(`${symbol}|${day}`) % 2001) - 1000) / 100_000;
  return Math.round(base * wave * noise * 100) / 100;
}

/** Calendar days a Yahoo range reaches back. */
function rangeDays(range: string): number {
  const days: Record<string, number> = {
    '1d': 1,
    '5d': 7,
    '1mo': 31,
    '3mo': 92,
    '6mo': 183,
    '1y': 366,
    '2y': 731,
    '5y': 1827,
    '10y': 3653,
    ytd: 366,
  };
  return days[range] ?? 9_000;
}

const sessions = new Map<string, ReturnType<typeof sessionOn>>();

/** A day's session, remembered: the stand-in serves years of bars per request, and this is not workflow code. */
function session(day: string): ReturnType<typeof sessionOn> {
  if (!sessions.has(day)) sessions.set(day, sessionOn(day));
  return sessions.get(day)!;
}

/** The sessions of the last `days` calendar days up to `ms`, including today's once it has opened. */
function sessionsBack(ms: number, days: number): NonNullable<ReturnType<typeof sessionOn>>[] {
  const today = newYorkTime(ms).day;
  const out = [];
  for (let i = days; i >= 0; i--) {
    const s = session(addDays(today, -i));
    if (s && s.openMs <= ms) out.push(s);
  }
  return out;
}

/** New York's offset from UTC at an instant, in seconds (-14400 in summer, -18000 in winter). */
function utcOffsetSeconds(ms: number): number {
  const { day, minute } = newYorkTime(ms);
  const wall = Date.parse(`${day}T00:00:00Z`) + minute * 60_000;
  return Math.round((wall - ms) / 60_000) * 60;
}
