import { fetchBytes, siteUrl } from '../http';
import { PROBE_TIMEOUT_MS, timedProbe, type UpstreamProbe } from '../probe';

/** A liquid symbol whose daily chart always exists. */
const PROBE_SYMBOL = 'SPY';

/**
 * Yahoo's chart endpoint for one symbol and one day: reachable, and answering a chart. Kept to one
 * request, so a price client with its own health probe can take its place.
 */
export function probePriceSource(base: string): Promise<UpstreamProbe> {
  return timedProbe(async () => {
    const url = `${siteUrl(base, `/v8/finance/chart/${PROBE_SYMBOL}`)}?range=1d&interval=1d`;
    const res = await fetchBytes(url, {
      timeoutMs: PROBE_TIMEOUT_MS,
      maxBytes: 2 * 1024 * 1024,
      headers: { accept: 'application/json' },
    });
    let chart: { chart?: { result?: unknown[] | null; error?: { description?: string } | null } };
    try {
      chart = JSON.parse(res.body.toString('utf8'));
    } catch {
      return {
        ok: false,
        httpStatus: res.status,
        detail: 'the chart endpoint answered something other than JSON',
      };
    }
    if (!chart.chart?.result?.length) {
      const why = chart.chart?.error?.description ?? 'no chart in the answer';
      return {
        ok: false,
        httpStatus: res.status,
        detail: `the chart endpoint answered without data: ${why}`,
      };
    }
    return { ok: true, httpStatus: res.status, detail: `chart endpoint answers (${PROBE_SYMBOL})` };
  });
}
