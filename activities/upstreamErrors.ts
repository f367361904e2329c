import { ApplicationFailure } from '@temporalio/activity';
import { ParseError } from '../domain/filing';
import { HttpError } from '../sources/http';

/**
 * Whether an upstream failure will not go away by asking again: the data is malformed (ParseError)
 * or the site refused the request for good (a 4xx other than 408/429, an answer over the size cap).
 */
export function isPermanentUpstreamError(err: unknown): err is ParseError | HttpError {
  return err instanceof ParseError || (err instanceof HttpError && !err.retryable);
}

/**
 * An upstream failure as the Temporal failure it deserves: permanent ones are non-retryable with
 * their type and reason; an HTTP failure worth retrying keeps the server's `Retry-After` as the next
 * retry delay; anything else (a network error) is thrown as is, for Temporal to retry.
 */
export function toActivityFailure(err: unknown): unknown {
  if (isPermanentUpstreamError(err)) {
    return ApplicationFailure.create({ message: err.message, type: err.name, nonRetryable: true });
  }
  if (err instanceof HttpError) {
    return ApplicationFailure.create({
      message: err.message,
      type: err.name,
      nextRetryDelay: err.retryAfterSeconds ? `${err.retryAfterSeconds}s` : undefined,
    });
  }
  return err;
}

/** Run an upstream call, turning its failure into the Temporal failure it deserves. */
export async function fromUpstream<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    throw toActivityFailure(err);
  }
}
