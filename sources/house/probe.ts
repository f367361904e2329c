import { fetchBytes } from '../http';
import { PROBE_TIMEOUT_MS, timedProbe, type UpstreamProbe } from '../probe';
import { houseIndexUrl } from './clerkSite';

/**
 * The year's index asked for conditionally, with the validators the last sync kept: a healthy,
 * unchanged site answers 304 and costs nothing. 200 (changed since) and 404 (no index for a new
 * year yet) are answers too.
 */
export function probeHouseClerk(
  base: string,
  year: number,
  validators: { etag: string | null; lastModified: string | null },
): Promise<UpstreamProbe> {
  return timedProbe(async () => {
    const headers: Record<string, string> = {};
    if (validators.etag) headers['if-none-match'] = validators.etag;
    if (validators.lastModified) headers['if-modified-since'] = validators.lastModified;
    const res = await fetchBytes(houseIndexUrl(base, year), {
      headers,
      timeoutMs: PROBE_TIMEOUT_MS,
      maxBytes: 64 * 1024 * 1024,
      acceptStatus: [304, 404],
    });
    const detail =
      res.status === 304
        ? `the ${year} index answers (unchanged since the last sync)`
        : res.status === 404
          ? `the site answers; no ${year} index yet`
          : `the ${year} index answers (${Math.round(res.body.length / 1024)} KiB${headers['if-none-match'] || headers['if-modified-since'] ? ', changed since the last sync' : ''})`;
    return { ok: true, httpStatus: res.status, detail };
  });
}
