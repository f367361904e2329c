import PQueue from 'p-queue';
import { sourceSymbol, type PriceSource } from '../../domain/priceTickers';
import { HttpError } from '../http';
import { fetchAlphaVantageQuote } from './alphaVantage';
import { RateLimitedError, SourceUnavailableError, UnknownSymbolError, type PriceAnswer } from './answer';
import { fetchFinnhubQuote } from './finnhub';
import { fetchYahooChart } from './yahoo';

export interface PriceSourceSettings {
  yahoo: { baseUrl: string };
  /** Null when no key is configured: the source is not used. */
  finnhub: { baseUrl: string; apiKey: string } | null;
  alphavantage: { baseUrl: string; apiKey: string } | null;
  /** Each source's request budget for all price workers together. */
  requestsPerMinute: Record<PriceSource, number>;
  /** How many lookups share those budgets at once (batches in flight): each paces at 1/lanes. */
  lanes: number;
  timeoutMs?: number;
  /** Tries per source for a server error or timeout before falling back to the next source. */
  attempts?: number;
  backoffMs?: number;
}

/** How a lookup ended. */
export type PriceLookup =
  | { kind: 'answer'; answer: PriceAnswer }
  | { kind: 'unknown'; source: PriceSource; detail: string }
  | { kind: 'rate_limited'; retryAt: number; detail: string }
  | { kind: 'failed'; detail: string };

/** Without a Retry-After, a rate-limited source rests this long. */
const DEFAULT_COOLDOWN_MS = 60_000;

/**
 * The price sources in their order of preference (Yahoo, then Finnhub and Alpha Vantage when keys are
 * set), each paced to its share of its rate limit. A lookup falls back to the next source when one is
 * rate limited (it then rests for its Retry-After) or keeps failing with server errors or timeouts
 * (each tried `attempts` times first); an unknown symbol ends the lookup.
 */
export class PriceSources {
  readonly order: PriceSource[];
  private readonly queues = new Map<PriceSource, PQueue>();
  private readonly restingUntil = new Map<PriceSource, number>();
  private readonly unavailable = new Map<PriceSource, string>();
  /** Each source's first request waits one interval, as if one had just been made. */
  private readonly firstSlot = new Map<PriceSource, Promise<void>>();

  constructor(
    private readonly s: PriceSourceSettings,
    private readonly now: () => number = Date.now,
  ) {
    this.order = (['yahoo', 'finnhub', 'alphavantage'] as const).filter((src) => src === 'yahoo' || s[src]);
    for (const src of this.order) {
      // One request per interval: the budget split evenly over the lanes, never a burst.
      const interval = Math.ceil((60_000 * Math.max(1, s.lanes)) / s.requestsPerMinute[src]);
      this.queues.set(src, new PQueue({ interval, intervalCap: 1, strict: true }));
      // The batch before this one on the same lane may have asked a moment ago: keep the spacing across
      // batches too (it costs one interval per batch).
      this.firstSlot.set(src, new Promise((ok) => setTimeout(ok, interval).unref()));
    }
  }

  /** Price of one canonical ticker; `range` is how far back Yahoo's daily bars should reach. */
  async lookup(ticker: string, range: string): Promise<PriceLookup> {
    const problems: string[] = [];
    let limited: { retryAt: number; detail: string } | null = null;
    for (const src of this.order) {
      const gone = this.unavailable.get(src);
      if (gone) {
        problems.push(gone);
        continue;
      }
      const rest = this.restingUntil.get(src) ?? 0;
      if (rest > this.now()) {
        limited = soonest(limited, { retryAt: rest, detail: `${src} rate limited` });
        continue;
      }
      const result = await this.ask(src, ticker, range);
      if ('answer' in result) return { kind: 'answer', answer: result.answer };
      const err = result.error;
      if (err instanceof UnknownSymbolError) return { kind: 'unknown', source: src, detail: err.message };
      if (err instanceof RateLimitedError) {
        const retryAt = this.now() + (err.retryAfterSeconds ?? DEFAULT_COOLDOWN_MS / 1000) * 1000;
        this.restingUntil.set(src, retryAt);
        limited = soonest(limited, { retryAt, detail: err.message });
        continue;
      }
      if (err instanceof SourceUnavailableError) {
        this.unavailable.set(src, err.message);
        problems.push(err.message);
        continue;
      }
      problems.push(`${src}: ${(err as Error).message}`);
    }
    if (limited && problems.length === 0) return { kind: 'rate_limited', ...limited };
    return { kind: 'failed', detail: [...problems, ...(limited ? [limited.detail] : [])].join('; ') };
  }

  /** One source, with retries of server errors and timeouts. */
  private async ask(
    src: PriceSource,
    ticker: string,
    range: string,
  ): Promise<{ answer: PriceAnswer } | { error: unknown }> {
    const attempts = this.s.attempts ?? 3;
    let error: unknown;
    for (let attempt = 1; attempt <= attempts; attempt++) {
      if (attempt > 1) await sleep((this.s.backoffMs ?? 500) * 2 ** (attempt - 2));
      try {
        await this.firstSlot.get(src);
        return {
          answer: await this.queues.get(src)!.add(() => this.fetch(src, ticker, range)),
        };
      } catch (err) {
        error = err;
        if (!transient(err)) break;
      }
    }
    return { error };
  }

  private fetch(src: PriceSource, ticker: string, range: string): Promise<PriceAnswer> {
    const symbol = sourceSymbol(src, ticker);
    const timeout = this.s.timeoutMs ?? 15_000;
    switch (src) {
      case 'yahoo':
        return fetchYahooChart(this.s.yahoo.baseUrl, symbol, range, timeout);
      case 'finnhub':
        return fetchFinnhubQuote(this.s.finnhub!.baseUrl, this.s.finnhub!.apiKey, symbol, timeout);
      case 'alphavantage':
        return fetchAlphaVantageQuote(
          this.s.alphavantage!.baseUrl,
          this.s.alphavantage!.apiKey,
          symbol,
          timeout,
        );
    }
  }
}

/** Server errors, timeouts, dropped connections and garbled bodies are worth another try. */
function transient(err: unknown): boolean {
  if (
    err instanceof UnknownSymbolError ||
    err instanceof RateLimitedError ||
    err instanceof SourceUnavailableError
  )
    return false;
  if (err instanceof HttpError) return err.retryable;
  return true;
}

function soonest<T extends { retryAt: number }>(a: T | null, b: T): T {
  return a && a.retryAt <= b.retryAt ? a : b;
}

function sleep(ms: number): Promise<void> {
  return new Promise((ok) => setTimeout(ok, ms));
}
