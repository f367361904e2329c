import { load } from 'cheerio';
import { fetchBytes, siteUrl } from '../http';
import { PROBE_TIMEOUT_MS, timedProbe, type UpstreamProbe } from '../probe';

/**
 * The eFD's landing page, where every session starts: it must answer, and carry the usage agreement
 * form (its CSRF token and the agreement checkbox) that discovery posts. The 503 maintenance page, or
 * a page without the form, means syncs will fail.
 */
export function probeSenateEfd(base: string): Promise<UpstreamProbe> {
  return timedProbe(async () => {
    const home = siteUrl(base, '/search/home/');
    const res = await fetchBytes(home, {
      timeoutMs: PROBE_TIMEOUT_MS,
      maxBytes: 4 * 1024 * 1024,
      acceptStatus: [503],
    });
    if (res.status === 503) return { ok: false, httpStatus: 503, detail: 'down for maintenance (HTTP 503)' };
    const $ = load(res.body.toString('utf8'));
    const token = $('input[name="csrfmiddlewaretoken"]').attr('value');
    const agreement = $('input[name="prohibition_agreement"]').length > 0;
    if (!token || !agreement) {
      const missing = [!token && 'CSRF token', !agreement && 'agreement checkbox']
        .filter(Boolean)
        .join(' and ');
      return {
        ok: false,
        httpStatus: res.status,
        detail: `the landing page has no ${missing}: the site changed`,
      };
    }
    return { ok: true, httpStatus: res.status, detail: 'landing page and agreement form present' };
  });
}
