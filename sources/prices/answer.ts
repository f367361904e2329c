import type { PriceSource } from '../../domain/priceTickers';

/** What a price source answered for one symbol, in our terms. */
export interface PriceAnswer {
  source: PriceSource;
  price: number;
  /** ISO 4217 code when the source says (or the symbol is a plain U.S. listing); null when unknown. */
  currency: string | null;
  /** When the price was struck (epoch ms); null when the source gives only a date. */
  quotedAt: number | null;
  /** The New York trading day the price belongs to, when the source says. */
  quoteDay: string | null;
  /** Daily closes by New York date (Yahoo's bars; may include today's unfinished one). */
  closes: { day: string; close: number }[];
  /** Close of the trading day before `quoteDay`, when the source gives it (Finnhub `pc`, Alpha Vantage). */
  previousClose: number | null;
}

/** The source does not know this symbol (Yahoo's "Not Found" error, Finnhub's all-zero quote, ...). */
export class UnknownSymbolError extends Error {
  override readonly name = 'UnknownSymbolError';
}

/** The source refuses more requests for now (HTTP 429, Alpha Vantage's `Note`/`Information`). */
export class RateLimitedError extends Error {
  override readonly name = 'RateLimitedError';
  constructor(
    message: string,
    readonly retryAfterSeconds: number | null,
  ) {
    super(message);
  }
}

/** The source refuses us altogether (bad or missing key, forbidden): skip it for this batch. */
export class SourceUnavailableError extends Error {
  override readonly name = 'SourceUnavailableError';
}

export function finite(v: unknown): number | null {
  const n = typeof v === 'string' ? Number(v) : v;
  return typeof n === 'number' && Number.isFinite(n) ? n : null;
}

/** Plain U.S. listings have no exchange suffix; those quote in dollars. */
export function usdIfUsListing(symbol: string): string | null {
  return /\.[A-Z]{2,}$/.test(symbol) ? null : 'USD';
}

export function parseJson(body: Buffer, what: string): unknown {
  try {
    return JSON.parse(body.toString('utf8'));
  } catch {
    throw new Error(`${what} is not JSON (${body.length} bytes)`);
  }
}
