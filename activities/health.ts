import type { Mailer } from '../mail/mailer';
import type { ActivityDeps } from './deps';
import { createHealthResultActivities } from './healthResults';
import { createSystemHealthActivities, type HealthResources } from './systemHealth';
import { createUpstreamHealthActivities } from './upstreamHealth';

/** Everything the `health-checks` queue runs: the checks, and storing a result with its admin alerts. */
export function createHealthActivities(deps: ActivityDeps, res: HealthResources & { mailer: Mailer }) {
  return {
    ...createSystemHealthActivities(deps, res),
    ...createUpstreamHealthActivities(deps, res),
    ...createHealthResultActivities(deps, res),
  };
}

export type HealthActivities = ReturnType<typeof createHealthActivities>;
