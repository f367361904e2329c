import { PROBE_TIMEOUT_MS, timedProbe, type UpstreamProbe } from '../probe';
import { UnknownSymbolError } from './answer';
import { fetchYahooChart } from './yahoo';

/** A liquid symbol whose daily chart always exists. */
const PROBE_SYMBOL = 'SPY';

/**
 * Whether Yahoo's chart API answers at `base`: one small chart request through the same client the
 * price updates use. Yahoo answering "unknown symbol" is still Yahoo answering. Never throws.
 */
export function probePriceSource(base: string, symbol = PROBE_SYMBOL): Promise<UpstreamProbe> {
  return timedProbe(async () => {
    try {
      const answer = await fetchYahooChart(base, symbol, '5d', PROBE_TIMEOUT_MS);
      const detail = `${symbol} ${answer.price} ${answer.currency ?? ''}`.trim();
      return { ok: true, httpStatus: 200, detail };
    } catch (err) {
      if (err instanceof UnknownSymbolError)
        return { ok: true, httpStatus: null, detail: `answered: ${err.message}` };
      throw err;
    }
  });
}
