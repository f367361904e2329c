import { Context } from '@temporalio/activity';
import type { Logger as TemporalLogger } from '@temporalio/common';
import { temporalLoggerFor, type Logger } from '../ops/logger';

/**
 * The running activity's logger (its lines carry the workflow id and type, the activity type and the
 * attempt), or the process logger when called outside an activity (tests, scripts).
 */
export function activityLog(fallback: Logger): TemporalLogger {
  try {
    return Context.current().log;
  } catch {
    return temporalLoggerFor(fallback);
  }
}
