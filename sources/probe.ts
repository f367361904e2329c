import { HttpError } from './http';

/** What one look at an upstream found: whether it answered as expected, how fast, and why not. */
export interface UpstreamProbe {
  ok: boolean;
  /** HTTP status of the decisive answer; null when none came (refused, timed out). */
  httpStatus: number | null;
  latencyMs: number;
  detail: string;
  /** Requests left in the current rate-limit window, when the upstream says. */
  rateLimitRemaining?: number | null;
  rateLimitLimit?: number | null;
}

/** A probe's requests get this long; an upstream slower than that is down as far as we are concerned. */
export const PROBE_TIMEOUT_MS = 20_000;

/** Time `fn`, turning a fetch failure into a failed probe with the reason. */
export async function timedProbe(
  fn: () => Promise<Omit<UpstreamProbe, 'latencyMs'>>,
): Promise<UpstreamProbe> {
  const started = performance.now();
  try {
    const r = await fn();
    return { ...r, latencyMs: performance.now() - started };
  } catch (err) {
    const status = err instanceof HttpError ? err.status : null;
    return {
      ok: false,
      httpStatus: status,
      latencyMs: performance.now() - started,
      detail: (err as Error).message,
    };
  }
}
