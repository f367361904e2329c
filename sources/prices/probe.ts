import { HttpError } from '../http';
import { UnknownSymbolError } from './answer';
import { fetchYahooChart } from './yahoo';

export interface PriceSourceProbe {
  ok: boolean;
  /** Round trip in milliseconds. */
  ms: number;
  detail: string;
}

/**
 * Whether Yahoo's chart API answers at `base`: one small chart request for a symbol that always
 * trades. For upstream health checks; never throws.
 */
export async function probeYahoo(
  base: string,
  opts: { symbol?: string; timeoutMs?: number } = {},
): Promise<PriceSourceProbe> {
  const symbol = opts.symbol ?? 'SPY';
  const started = performance.now();
  const ms = () => Math.round(performance.now() - started);
  try {
    const answer = await fetchYahooChart(base, symbol, '5d', opts.timeoutMs ?? 10_000);
    return { ok: true, ms: ms(), detail: `${symbol} ${answer.price} ${answer.currency ?? ''}`.trim() };
  } catch (err) {
    // Yahoo answering "unknown symbol" is still Yahoo answering.
    if (err instanceof UnknownSymbolError) return { ok: true, ms: ms(), detail: `answered: ${err.message}` };
    const detail =
      err instanceof HttpError ? err.message : `${(err as Error).name}: ${(err as Error).message}`;
    return { ok: false, ms: ms(), detail };
  }
}
