import { dayNumber, isoDay } from '../../domain/marketCalendar';
import { fetchBytes, headerValue, parseRetryAfter, siteUrl } from '../http';
import {
  finite,
  parseJson,
  RateLimitedError,
  SourceUnavailableError,
  UnknownSymbolError,
  type PriceAnswer,
} from './answer';

/** Yahoo's chart ranges, shortest first, with the calendar days each surely covers. */
const RANGES: [range: string, days: number][] = [
  ['5d', 6],
  ['1mo', 27],
  ['3mo', 88],
  ['6mo', 178],
  ['1y', 360],
  ['2y', 725],
  ['5y', 1820],
  ['10y', 3645],
];

/** The shortest chart range that reaches back to `from` (ISO date) from `today`. */
export function chartRange(from: string, today: string): string {
  const days = dayNumber(today) - dayNumber(from);
  return RANGES.find(([, covers]) => days <= covers)?.[0] ?? 'max';
}

export function yahooChartUrl(base: string, symbol: string, range: string): string {
  const query = new URLSearchParams({ range, interval: '1d', includePrePost: 'false', events: '' });
  return `${siteUrl(base, `/v8/finance/chart/${encodeURIComponent(symbol)}`)}?${query}`;
}

/**
 * Parse a v8 chart response: the price in `meta.regularMarketPrice` (at `regularMarketTime`), daily
 * bars in `timestamp` + `indicators.quote[0].close`. An error object naming no data is an unknown
 * symbol. Bars are dated in the exchange's time zone; each stamp is the session's open, so the
 * offset's daylight-saving hour cannot move it to another day.
 */
export function parseYahooChart(json: unknown): PriceAnswer {
  const chart = (json as { chart?: { result?: unknown[] | null; error?: unknown } } | null)?.chart;
  if (!chart || typeof chart !== 'object') throw new Error('not a Yahoo chart response');
  const error = chart.error as { code?: string; description?: string } | null | undefined;
  if (error) {
    const what = `${error.code ?? 'error'}: ${error.description ?? ''}`.trim();
    if (/not found|no data|delisted/i.test(what)) throw new UnknownSymbolError(what);
    throw new Error(`Yahoo chart error ${what}`);
  }
  const result = chart.result?.[0] as
    | {
        meta?: Record<string, unknown>;
        timestamp?: unknown[];
        indicators?: { quote?: { close?: unknown[] }[] };
      }
    | undefined;
  const meta = result?.meta;
  const price = finite(meta?.regularMarketPrice);
  if (!meta || price === null || price <= 0) throw new UnknownSymbolError('no price in the chart');
  const offset = finite(meta.gmtoffset) ?? 0;
  const closesIn = result?.indicators?.quote?.[0]?.close ?? [];
  const byDay = new Map<string, number>();
  (result?.timestamp ?? []).forEach((stamp, i) => {
    const ts = finite(stamp);
    const close = finite(closesIn[i]);
    // Yahoo leaves nulls in the arrays for halted or missing sessions.
    if (ts === null || close === null || close <= 0) return;
    byDay.set(isoDay(Math.floor((ts + offset) / 86_400)), close);
  });
  const quotedAt = finite(meta.regularMarketTime);
  return {
    source: 'yahoo',
    price,
    currency: typeof meta.currency === 'string' ? meta.currency : null,
    quotedAt: quotedAt === null ? null : quotedAt * 1000,
    quoteDay: null,
    closes: [...byDay].map(([day, close]) => ({ day, close })).sort((a, b) => a.day.localeCompare(b.day)),
    previousClose: null,
  };
}

/** One chart request. 404 with Yahoo's error object: unknown symbol; 429: rate limited; 5xx: HttpError. */
export async function fetchYahooChart(
  base: string,
  symbol: string,
  range: string,
  timeoutMs = 15_000,
): Promise<PriceAnswer> {
  const res = await fetchBytes(yahooChartUrl(base, symbol, range), {
    timeoutMs,
    maxBytes: 16 * 1024 * 1024,
    headers: { accept: 'application/json' },
    acceptStatus: [400, 401, 403, 404, 429],
  });
  if (res.status === 429) {
    throw new RateLimitedError(
      `Yahoo: HTTP 429 ${res.body.toString('utf8', 0, 80).trim()}`,
      parseRetryAfter(headerValue(res.headers['retry-after'])),
    );
  }
  if (res.status === 401 || res.status === 403) throw new SourceUnavailableError(`Yahoo: HTTP ${res.status}`);
  let json: unknown;
  try {
    json = parseJson(res.body, 'Yahoo chart response');
  } catch (err) {
    // A 404 page that is not Yahoo's JSON means a wrong base URL, not an unknown symbol.
    if (res.status !== 200)
      throw new SourceUnavailableError(`Yahoo: HTTP ${res.status} (not a chart response)`);
    throw err;
  }
  return parseYahooChart(json);
}
