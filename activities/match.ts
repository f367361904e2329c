import type { MatchResult } from '../domain/sync';
import { matchUnmatchedFilings } from '../store/matching';
import type { ActivityDeps } from './deps';
import { activityLog } from './log';

export function createMatchActivities({ config, db, logger }: ActivityDeps) {
  return {
    /** Match every parsed, not yet matched filing against all rules (one SQL statement); idempotent. */
    async matchNewTransactions(syncId: string): Promise<MatchResult & { filings: number }> {
      const result = await matchUnmatchedFilings(db, {
        syncId,
        maxFilingAgeDays: config.alerts.maxFilingAgeDays,
      });
      activityLog(logger).info('transactions matched', { syncId, ...result });
      return result;
    },
  };
}

export type MatchActivities = ReturnType<typeof createMatchActivities>;
