import type { Client } from '@temporalio/client';

export function sleep(ms: number): Promise<void> {
  return new Promise((ok) => setTimeout(ok, ms));
}

/**
 * Polls `fn` until it gives something other than `undefined` or `false`, and returns that; fails
 * after `timeoutMs`. For state that other processes or the Temporal server reach in their own time.
 */
export async function waitFor<T>(
  fn: () => T | undefined | false | Promise<T | undefined | false>,
  { timeoutMs = 30_000, intervalMs = 250 }: { timeoutMs?: number; intervalMs?: number } = {},
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await fn();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`condition not met in ${timeoutMs} ms`);
    await sleep(intervalMs);
  }
}

/** Whether any workflow matches a visibility query (visibility lags a start: poll it with waitFor). */
export async function anyWorkflowListed(client: Client, query: string): Promise<boolean> {
  for await (const _ of client.workflow.list({ query, pageSize: 1 })) return true;
  return false;
}
