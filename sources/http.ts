import { Agent, errors, request, type Dispatcher } from 'undici';

/**
 * How a fetch failed, in terms the activity layer can classify (retry or give up). Its message and
 * `url` travel into Temporal failure history, the Web UI and the logs, so they name a URL without its
 * query string or credentials (`displayUrl`).
 */
export class HttpError extends Error {
  override readonly name: string = 'HttpError';
  constructor(
    message: string,
    readonly url: string,
    readonly status: number | null,
    /** Worth trying again later (5xx, 429, timeouts, connection errors). */
    readonly retryable: boolean,
    /** Seconds the server asked us to wait (`Retry-After`), if it said. */
    readonly retryAfterSeconds: number | null = null,
  ) {
    super(message);
  }
}

export interface FetchOptions {
  method?: 'GET' | 'POST' | 'HEAD';
  headers?: Record<string, string>;
  body?: string;
  /** Refuse bodies larger than this many bytes; upstream files are small, a huge body is an error. */
  maxBytes?: number;
  /** Whole-request deadline. */
  timeoutMs?: number;
  /** Status codes that are answers, not failures (304 for conditional GETs, 302 for the eFD form). */
  acceptStatus?: number[];
  dispatcher?: Dispatcher;
}

export interface FetchResult {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
  /** The URL asked for, as it may appear in messages (`displayUrl`: no query string). */
  url: string;
}

const DEFAULT_MAX_BYTES = 50 * 1024 * 1024;
const DEFAULT_TIMEOUT_MS = 60_000;
const USER_AGENT = 'CapitolScope/1.0 (+https://capitolscope.org; STOCK Act disclosure alerts)';

export const sharedAgent = new Agent({ keepAliveTimeout: 10_000, connections: 16 });

/** One HTTP exchange with a size cap and a deadline; any non-accepted status becomes an HttpError. */
export async function fetchBytes(url: string, opts: FetchOptions = {}): Promise<FetchResult> {
  const shown = displayUrl(url);
  const maxBytes = opts.maxBytes ?? DEFAULT_MAX_BYTES;
  const timeoutMs = opts.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const accept = new Set([200, ...(opts.acceptStatus ?? [])]);
  let res: Dispatcher.ResponseData;
  try {
    res = await request(url, {
      method: opts.method ?? 'GET',
      headers: { 'user-agent': USER_AGENT, ...opts.headers },
      body: opts.body,
      dispatcher: opts.dispatcher ?? sharedAgent,
      signal: AbortSignal.timeout(timeoutMs),
      headersTimeout: timeoutMs,
      bodyTimeout: timeoutMs,
    });
  } catch (err) {
    throw new HttpError(`${shown}: ${describeNetworkError(err)}`, shown, null, true);
  }
  const declared = Number(res.headers['content-length'] ?? NaN);
  if (Number.isFinite(declared) && declared > maxBytes) {
    // Destroying an unread body emits an 'error' (aborted) that, unheard, would crash the process.
    res.body.on('error', () => undefined).destroy();
    throw new HttpError(
      `${shown}: response of ${declared} bytes exceeds the ${maxBytes}-byte cap`,
      shown,
      res.statusCode,
      false,
    );
  }
  const chunks: Buffer[] = [];
  let size = 0;
  try {
    for await (const chunk of res.body) {
      size += (chunk as Buffer).length;
      if (size > maxBytes) {
        res.body.destroy();
        throw new HttpError(
          `${shown}: response exceeds the ${maxBytes}-byte cap`,
          shown,
          res.statusCode,
          false,
        );
      }
      chunks.push(chunk as Buffer);
    }
  } catch (err) {
    if (err instanceof HttpError) throw err;
    throw new HttpError(
      `${shown}: body not received: ${describeNetworkError(err)}`,
      shown,
      res.statusCode,
      true,
    );
  }
  const body = Buffer.concat(chunks);
  if (!accept.has(res.statusCode)) {
    const status = res.statusCode;
    const retryable = status >= 500 || status === 429 || status === 408;
    throw new HttpError(
      `${shown}: HTTP ${status}`,
      shown,
      status,
      retryable,
      parseRetryAfter(headerValue(res.headers['retry-after'])),
    );
  }
  return { status: res.statusCode, headers: res.headers, body, url: shown };
}

export function headerValue(v: string | string[] | undefined): string | undefined {
  return Array.isArray(v) ? v[0] : v;
}

/** `Retry-After` is either delta-seconds or an HTTP date. */
export function parseRetryAfter(value: string | undefined, now = Date.now()): number | null {
  if (!value) return null;
  if (/^\d+$/.test(value.trim())) return Number(value.trim());
  const at = Date.parse(value);
  return Number.isNaN(at) ? null : Math.max(0, Math.ceil((at - now) / 1000));
}

function describeNetworkError(err: unknown): string {
  if (err instanceof errors.HeadersTimeoutError || err instanceof errors.BodyTimeoutError) return 'timed out';
  if (err instanceof Error && (err.name === 'TimeoutError' || err.name === 'AbortError')) return 'timed out';
  const code = (err as { code?: string }).code;
  return code ? `${code} ${(err as Error).message}` : String((err as Error)?.message ?? err);
}

/**
 * A URL as it may appear in an error or a log line: without its query string, fragment or
 * credentials, which is where API keys, tokens and passwords travel.
 */
export function displayUrl(url: string): string {
  try {
    const u = new URL(url);
    return `${u.protocol}//${u.host}${u.pathname}`;
  } catch {
    return url.replace(/[?#].*$/s, '').replace(/\/\/[^/@]*@/, '//');
  }
}

/** Join a configured base URL (which may carry a path prefix) with a site path. */
export function siteUrl(base: string, path: string): string {
  return base.replace(/\/+$/, '') + (path.startsWith('/') ? path : `/${path}`);
}
