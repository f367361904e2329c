import { Context } from '@temporalio/activity';
import type { MatchResult } from '../domain/sync';
import { matchUnmatchedFilings, type MatchProgress } from '../store/matching';
import type { ActivityDeps } from './deps';
import { heartbeating } from './heartbeat';
import { activityLog } from './log';

export function createMatchActivities({ config, db, logger }: ActivityDeps) {
  return {
    /**
     * Match every parsed, not yet matched filing against all rules, in chunks that each commit on
     * their own; heartbeats with the progress, so a retry resumes where this attempt stopped.
     */
    async matchNewTransactions(syncId: string): Promise<MatchResult & { filings: number }> {
      const log = activityLog(logger);
      let progress: MatchProgress | null = null;
      const result = await heartbeating(
        () =>
          matchUnmatchedFilings(db, {
            syncId,
            maxFilingAgeDays: config.alerts.maxFilingAgeDays,
            // Cancelled (or timed out, or the worker shutting down): stop before the next chunk.
            signal: Context.current().cancellationSignal,
            onProgress: (p) => {
              progress = p;
              Context.current().heartbeat(p);
              log.debug('match chunk committed', { syncId, ...p });
            },
          }),
        10_000,
        () => progress,
      );
      log.info('transactions matched', { syncId, ...result });
      return result;
    },
  };
}

export type MatchActivities = ReturnType<typeof createMatchActivities>;
