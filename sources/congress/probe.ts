import { fetchBytes, headerValue, siteUrl } from '../http';
import { PROBE_TIMEOUT_MS, timedProbe, type UpstreamProbe } from '../probe';

/**
 * One smallest request to Congress.gov: is the key accepted, and how many requests are left this
 * hour (api.data.gov's `X-RateLimit-*` headers). The key goes in the `X-Api-Key` header, never in the
 * URL, so it cannot end up in a log line or an error message. Without a key, any answer from the API
 * counts: it is reachable, and member-sync says itself that it has no key.
 */
export function probeCongressApi(base: string, apiKey: string | null): Promise<UpstreamProbe> {
  return timedProbe(async () => {
    const url = `${siteUrl(base, '/v3/member')}?limit=1&format=json`;
    const res = await fetchBytes(url, {
      headers: { accept: 'application/json', ...(apiKey ? { 'x-api-key': apiKey } : {}) },
      timeoutMs: PROBE_TIMEOUT_MS,
      maxBytes: 1024 * 1024,
      acceptStatus: [401, 403, 429],
    });
    const limit = numberHeader(res.headers['x-ratelimit-limit']);
    const remaining = numberHeader(res.headers['x-ratelimit-remaining']);
    const rate = { rateLimitLimit: limit, rateLimitRemaining: remaining };
    const code = errorCode(res.body);
    if (!apiKey) {
      return {
        ok: true,
        httpStatus: res.status,
        ...rate,
        detail: 'reachable (no CONGRESS_API_KEY set, key not checked)',
      };
    }
    if (res.status === 429) {
      return {
        ok: false,
        httpStatus: 429,
        ...rate,
        detail: `rate limit exceeded${code ? ` (${code})` : ''}`,
      };
    }
    if (res.status !== 200) {
      return {
        ok: false,
        httpStatus: res.status,
        ...rate,
        detail: `the API key was not accepted (HTTP ${res.status}${code ? `, ${code}` : ''})`,
      };
    }
    const left =
      remaining === null
        ? ''
        : `, ${remaining}${limit === null ? '' : ` of ${limit}`} requests left this hour`;
    return { ok: true, httpStatus: 200, ...rate, detail: `key accepted${left}` };
  });
}

function numberHeader(v: string | string[] | undefined): number | null {
  const n = Number(headerValue(v));
  return headerValue(v) !== undefined && Number.isFinite(n) ? n : null;
}

/** api.data.gov errors: `{"error": {"code": "API_KEY_INVALID", "message": "..."}}`. */
function errorCode(body: Buffer): string | null {
  try {
    const json = JSON.parse(body.toString('utf8')) as { error?: { code?: unknown } };
    return typeof json.error?.code === 'string' ? json.error.code : null;
  } catch {
    return null;
  }
}
