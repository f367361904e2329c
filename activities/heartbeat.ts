import { Context } from '@temporalio/activity';

/**
 * Heartbeat every few seconds while `fn` runs, so a long but healthy call (a paced multi-page search)
 * is told apart from a stuck one by the activity's heartbeat timeout, and a cancelled one stops early.
 */
export async function heartbeating<T>(fn: () => Promise<T>, everyMs = 10_000): Promise<T> {
  const ctx = Context.current();
  ctx.heartbeat();
  const timer = setInterval(() => ctx.heartbeat(), everyMs);
  try {
    return await fn();
  } finally {
    clearInterval(timer);
  }
}
