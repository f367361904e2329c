import type { HealthCheckResult } from '../domain/health';
import { assessUpstream } from '../domain/healthAssessments';
import { probeCongressApi } from '../sources/congress/probe';
import { probeHouseClerk } from '../sources/house/probe';
import { probePriceSource } from '../sources/prices/probe';
import { probeSenateEfd } from '../sources/senate/probe';
import { getSourceState } from '../store/sourceState';
import type { ActivityDeps } from './deps';
import type { HealthResources } from './systemHealth';

/** The checks of UpstreamHealthWorkflow: one small request (or two) to each upstream site. */
export function createUpstreamHealthActivities(
  { config, db }: ActivityDeps,
  res: Pick<HealthResources, 'now'>,
) {
  const now = res.now ?? (() => new Date());
  const slow = config.health.upstreamLatencyWarningMs;
  const sites = config.sites;
  return {
    async checkCongressApi(): Promise<HealthCheckResult[]> {
      const probe = await probeCongressApi(sites.congressApi, config.congressApiKey);
      return [
        assessUpstream(
          'congress-api',
          probe,
          slow,
          'Check CONGRESS_API_KEY (https://api.congress.gov/sign-up) and CONGRESS_API_BASE_URL; member-sync retries by itself',
        ),
      ];
    },

    async checkHouseClerk(): Promise<HealthCheckResult[]> {
      const year = config.houseIndexYears?.at(-1) ?? now().getUTCFullYear();
      // The validators the last sync kept: a healthy, unchanged site answers 304 and sends nothing.
      const validators = await getSourceState(db, `house-index-${year}`).catch(() => ({
        etag: null,
        lastModified: null,
      }));
      const probe = await probeHouseClerk(sites.houseClerk, year, validators);
      return [
        assessUpstream(
          'house-clerk',
          probe,
          slow,
          'Trade syncs retry by themselves; if the site moved, correct HOUSE_CLERK_BASE_URL',
        ),
      ];
    },

    async checkSenateEfd(): Promise<HealthCheckResult[]> {
      const probe = await probeSenateEfd(sites.senateEfd);
      return [
        assessUpstream(
          'senate-efd',
          probe,
          slow,
          'The eFD often has maintenance windows; trade syncs retry by themselves. If the landing page changed, the Senate client needs a fix',
        ),
      ];
    },

    async checkPriceSource(): Promise<HealthCheckResult[]> {
      const probe = await probePriceSource(sites.prices);
      return [
        assessUpstream('prices', probe, slow, 'Check PRICES_BASE_URL; price updates retry by themselves'),
      ];
    },
  };
}

export type UpstreamHealthActivities = ReturnType<typeof createUpstreamHealthActivities>;
