import { hostname } from 'node:os';
import { Context } from '@temporalio/activity';
import type { RoundTripResult } from '../domain/health';

/** `capitolscope test`: registered on every queue's worker, it says which worker answered. */
export function createRoundTripActivities() {
  return {
    async roundTrip(): Promise<RoundTripResult> {
      return { taskQueue: Context.current().info.taskQueue, worker: `${hostname()}:${process.pid}` };
    },
  };
}

export type RoundTripActivities = ReturnType<typeof createRoundTripActivities>;
