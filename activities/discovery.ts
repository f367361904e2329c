import type { DiscoveredFiling, DiscoveryResult, RejectedRow, SyncSource } from '../domain/sync';
import { fetchHouseIndex } from '../sources/house/clerkSite';
import { searchWindowStart, type EfdClient } from '../sources/senate/efdClient';
import { discoveredReport } from '../sources/senate/searchRows';
import { pendingFilingIds, recordDiscoveredFilings } from '../store/filingDiscovery';
import { recordRejectedListings } from '../store/rejectedListings';
import { getSourceState, saveSourceState, SOURCE_STATE_KEYS } from '../store/sourceState';
import type { ActivityDeps } from './deps';
import { heartbeating } from './heartbeat';
import { activityLog } from './log';
import { filingMetrics } from './metrics';
import { fromUpstream } from './upstreamErrors';

/** The Senate search window reaches back this far before the last successful sync (late listings). */
const SENATE_OVERLAP_HOURS = 48;
const SENATE_FIRST_RUN_LOOKBACK_DAYS = 30;

export function createDiscoveryActivities(
  { config, db, logger }: ActivityDeps,
  { efd, now = () => new Date() }: { efd: EfdClient; now?: () => Date },
) {
  /**
   * Record what a source listed, mark the source synced, and hand back everything of it still waiting
   * to be ingested. The source's first successful sync is its baseline, even when it found nothing.
   */
  async function record(
    source: SyncSource,
    listed: { filings: DiscoveredFiling[]; rejected: RejectedRow[]; unchanged: boolean },
    syncedAt: Date,
  ): Promise<DiscoveryResult> {
    const key = SOURCE_STATE_KEYS[source];
    const baseline = (await getSourceState(db, key)).lastSuccessAt === null;
    const newIds = await recordDiscoveredFilings(db, listed.filings, { baseline });
    filingMetrics.discovered(source, newIds.length);
    if (listed.rejected.length > 0) {
      await recordRejectedListings(db, source, listed.rejected);
      activityLog(logger).warn('listing rows rejected', {
        source,
        rejected: listed.rejected.length,
        firstReason: listed.rejected[0]!.reason,
        hint: 'capitolscope filings rejected',
      });
    }
    // Every successful discovery counts, an unchanged index (304) or an empty search included.
    await saveSourceState(db, key, { lastSuccessAt: syncedAt });
    return {
      source,
      baseline,
      unchanged: listed.unchanged,
      newFilings: newIds.length,
      rejected: listed.rejected.length,
      filingIds: await pendingFilingIds(db, source),
    };
  }

  return {
    /** Read the House index (this year's; in January also last year's) and record PTRs never seen. */
    discoverHouseFilings: (): Promise<DiscoveryResult> =>
      heartbeating(async () => {
        const today = now();
        const years = config.houseIndexYears ?? [today.getUTCFullYear()];
        // Filings made late in December are listed in the new year's index only after a while.
        if (!config.houseIndexYears && today.getUTCMonth() === 0) years.unshift(today.getUTCFullYear() - 1);
        const discovered: DiscoveredFiling[] = [];
        const rejected: RejectedRow[] = [];
        const validators: { source: string; etag: string | null; lastModified: string | null }[] = [];
        for (const year of years) {
          const source = `house-index-${year}`;
          const fetched = await fromUpstream(async () =>
            fetchHouseIndex(config.sites.houseClerk, year, await getSourceState(db, source)),
          );
          if (fetched.kind !== 'rows') continue;
          validators.push({ source, etag: fetched.etag, lastModified: fetched.lastModified });
          discovered.push(...fetched.filings);
          rejected.push(...fetched.rejected);
        }
        const result = await record(
          'house',
          { filings: discovered, rejected, unchanged: validators.length === 0 },
          today,
        );
        // Validators are kept only once the rows they vouch for are recorded.
        for (const v of validators) await saveSourceState(db, v.source, { ...v, lastSuccessAt: today });
        return result;
      }),

    /** Search the Senate eFD from the last successful search (minus an overlap) and record new PTRs. */
    discoverSenateFilings: (): Promise<DiscoveryResult> =>
      heartbeating(async () => {
        const startedAt = now();
        const state = await getSourceState(db, SOURCE_STATE_KEYS.senate);
        const since = searchWindowStart(
          state.lastSuccessAt,
          SENATE_OVERLAP_HOURS,
          SENATE_FIRST_RUN_LOOKBACK_DAYS,
          startedAt,
        );
        const found = await fromUpstream(() => efd.searchPtrs(since));
        const filings = found.reports.map((r) => discoveredReport(r, config.sites.senateEfd));
        const result = await record(
          'senate',
          { filings, rejected: found.rejected, unchanged: false },
          startedAt,
        );
        return result;
      }),
  };
}

export type DiscoveryActivities = ReturnType<typeof createDiscoveryActivities>;
