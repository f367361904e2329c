import { newYorkTime } from '../../domain/marketCalendar';
import { fetchBytes, headerValue, parseRetryAfter, siteUrl } from '../http';
import {
  finite,
  parseJson,
  RateLimitedError,
  SourceUnavailableError,
  UnknownSymbolError,
  usdIfUsListing,
  type PriceAnswer,
} from './answer';

export function finnhubQuoteUrl(base: string, symbol: string, apiKey: string): string {
  return `${siteUrl(base, '/api/v1/quote')}?${new URLSearchParams({ symbol, token: apiKey })}`;
}

/** Parse `/quote`: `c` current, `pc` previous close, `t` time. All zeros is Finnhub's "unknown symbol". */
export function parseFinnhubQuote(json: unknown, symbol: string): PriceAnswer {
  const q = json as Record<string, unknown> | null;
  if (!q || typeof q !== 'object') throw new Error('not a Finnhub quote');
  if (typeof q.error === 'string') {
    if (/limit/i.test(q.error)) throw new RateLimitedError(`Finnhub: ${q.error}`, null);
    throw new SourceUnavailableError(`Finnhub: ${q.error}`);
  }
  const price = finite(q.c);
  const time = finite(q.t);
  if (!price || !time) throw new UnknownSymbolError('Finnhub answered an all-zero quote');
  return {
    source: 'finnhub',
    price,
    currency: usdIfUsListing(symbol),
    quotedAt: time * 1000,
    quoteDay: newYorkTime(time * 1000).day,
    closes: [],
    previousClose: finite(q.pc) || null,
  };
}

export async function fetchFinnhubQuote(
  base: string,
  apiKey: string,
  symbol: string,
  timeoutMs = 15_000,
): Promise<PriceAnswer> {
  const res = await fetchBytes(finnhubQuoteUrl(base, symbol, apiKey), {
    timeoutMs,
    maxBytes: 1024 * 1024,
    acceptStatus: [401, 403, 429],
  });
  if (res.status === 429) {
    throw new RateLimitedError('Finnhub: HTTP 429', parseRetryAfter(headerValue(res.headers['retry-after'])));
  }
  if (res.status !== 200) throw new SourceUnavailableError(`Finnhub: HTTP ${res.status}`);
  return parseFinnhubQuote(parseJson(res.body, 'Finnhub quote'), symbol);
}
