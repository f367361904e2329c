import { proxyActivities } from '@temporalio/workflow';
import type { HealthResultActivities } from '../activities/healthResults';
import { failedCheck, summarizeRun, type HealthCheckResult, type HealthRunResult } from '../domain/health';

// Storing also emails admins (one short SMTP exchange per admin); a database hiccup is retried a few
// times, and a relay that is down does not fail it (the email waits for the next result).
const { storeHealthResult } = proxyActivities<HealthResultActivities>({
  startToCloseTimeout: '1 minute',
  retry: { maximumAttempts: 3, initialInterval: '2 seconds' },
});

/**
 * Run every check at once, each through its own activity (and timeout); a check that could not run
 * at all is reported as a critical result under its name, so one broken probe never hides the others.
 * Then store the result, which evaluates admin alerts.
 */
export async function runChecks(
  checks: Record<string, () => Promise<HealthCheckResult[]>>,
): Promise<HealthRunResult> {
  const results = await Promise.all(
    Object.entries(checks).map(async ([name, run]) => {
      try {
        return await run();
      } catch (err) {
        // An ActivityFailure says "activity failed"; its cause says why (a timeout, the error thrown).
        const cause = (err as Error).cause;
        return [failedCheck(name, cause instanceof Error ? cause.message : (err as Error).message)];
      }
    }),
  );
  const all = results.flat();
  return summarizeRun(all, await storeHealthResult(all));
}
