import { Context } from '@temporalio/activity';

/**
 * Heartbeat every few seconds while `fn` runs, so a long but healthy call (a paced multi-page search)
 * is told apart from a stuck one by the activity's heartbeat timeout, and a cancelled one stops early.
 * `details` (optional) says how far the work has come; it shows as the activity's last heartbeat.
 */
export async function heartbeating<T>(
  fn: () => Promise<T>,
  everyMs = 10_000,
  details?: () => unknown,
): Promise<T> {
  const ctx = Context.current();
  const beat = () => ctx.heartbeat(details?.());
  beat();
  const timer = setInterval(beat, everyMs);
  try {
    return await fn();
  } finally {
    clearInterval(timer);
  }
}
