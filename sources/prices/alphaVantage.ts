import { fetchBytes, siteUrl } from '../http';
import {
  finite,
  parseJson,
  RateLimitedError,
  UnknownSymbolError,
  usdIfUsListing,
  type PriceAnswer,
} from './answer';

export function alphaVantageQuoteUrl(base: string, symbol: string, apiKey: string): string {
  const query = new URLSearchParams({ function: 'GLOBAL_QUOTE', symbol, apikey: apiKey });
  return `${siteUrl(base, '/query')}?${query}`;
}

/**
 * Parse GLOBAL_QUOTE. Alpha Vantage answers everything with HTTP 200: a `Note` or `Information` body
 * is its rate limit, an `Error Message` or an empty `Global Quote` an unknown symbol.
 */
export function parseAlphaVantageQuote(json: unknown, symbol: string): PriceAnswer {
  const body = json as Record<string, unknown> | null;
  if (!body || typeof body !== 'object') throw new Error('not an Alpha Vantage response');
  const notice = body.Note ?? body.Information;
  if (typeof notice === 'string') throw new RateLimitedError(`Alpha Vantage: ${notice}`, null);
  if (typeof body['Error Message'] === 'string')
    throw new UnknownSymbolError(`Alpha Vantage: ${body['Error Message']}`);
  const q = body['Global Quote'] as Record<string, unknown> | undefined;
  const price = finite(q?.['05. price']);
  const day = q?.['07. latest trading day'];
  if (!q || !price || typeof day !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(day)) {
    throw new UnknownSymbolError('Alpha Vantage answered an empty quote');
  }
  return {
    source: 'alphavantage',
    price,
    currency: usdIfUsListing(symbol),
    quotedAt: null,
    quoteDay: day,
    closes: [],
    previousClose: finite(q['08. previous close']) || null,
  };
}

export async function fetchAlphaVantageQuote(
  base: string,
  apiKey: string,
  symbol: string,
  timeoutMs = 15_000,
): Promise<PriceAnswer> {
  const res = await fetchBytes(alphaVantageQuoteUrl(base, symbol, apiKey), {
    timeoutMs,
    maxBytes: 1024 * 1024,
  });
  return parseAlphaVantageQuote(parseJson(res.body, 'Alpha Vantage quote'), symbol);
}
