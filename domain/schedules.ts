import { PRICE_UPDATE_INTERVAL_MINUTES } from './prices';
import { TASK_QUEUES, type TaskQueue } from './taskQueues';

/** When a schedule fires: a fixed interval, or wall-clock times in the schedule's time zone. */
export type ScheduleTiming =
  { every: string } | { at: { hour: number; minute: number; dayOfWeek?: 'SUNDAY' | 'MONDAY' | 'SATURDAY' } };

export interface ScheduleDefinition {
  id: string;
  workflowType: string;
  taskQueue: TaskQueue;
  timing: ScheduleTiming;
  description: string;
  /** How late a missed run (server down) may still start; older ones are skipped. */
  catchupWindow: string;
  /** Bound on one run, so a stuck run cannot block the schedule forever (overlap is SKIP). */
  runTimeout: string;
  /** The workflow's arguments, when it takes any. */
  args?: unknown[];
}

export interface ScheduleSettings {
  tradeSyncInterval: string;
}

/** The schedule table of DESIGN.md; ids are stable names operators and dashboards use. */
export function scheduleTable(s: ScheduleSettings): ScheduleDefinition[] {
  return [
    {
      id: 'trade-sync',
      workflowType: 'TradeSyncWorkflow',
      taskQueue: TASK_QUEUES.dataIngestion,
      timing: { every: s.tradeSyncInterval },
      description: 'Detect new House and Senate PTR filings, ingest them, alert matching users',
      catchupWindow: '1 hour',
      runTimeout: '2 hours',
    },
    {
      id: 'price-update',
      workflowType: 'PriceUpdateWorkflow',
      taskQueue: TASK_QUEUES.priceUpdates,
      // The workflow's closing update relies on this interval (one run falls in each such window).
      timing: { every: `${PRICE_UPDATE_INTERVAL_MINUTES}m` },
      description: 'Refresh prices of traded tickers',
      catchupWindow: '10 minutes',
      runTimeout: '15 minutes',
    },
    {
      id: 'notification-processing',
      workflowType: 'NotificationProcessingWorkflow',
      taskQueue: TASK_QUEUES.notifications,
      timing: { every: '30m' },
      description: 'Send digests, deferred (quiet-hours) alerts and retry pending notifications',
      catchupWindow: '30 minutes',
      runTimeout: '30 minutes',
    },
    {
      id: 'system-health',
      workflowType: 'SystemHealthWorkflow',
      taskQueue: TASK_QUEUES.healthChecks,
      timing: { every: '5m' },
      description:
        'Disks, memory, database, mail relay, task queues, schedules and sources; admins emailed on change',
      catchupWindow: '5 minutes',
      runTimeout: '5 minutes',
    },
    {
      id: 'congress-api-health',
      workflowType: 'UpstreamHealthWorkflow',
      taskQueue: TASK_QUEUES.healthChecks,
      timing: { every: '10m' },
      description: 'Reachability of the House Clerk, Senate eFD, Congress.gov and price sources',
      catchupWindow: '10 minutes',
      runTimeout: '10 minutes',
    },
    {
      id: 'member-sync',
      workflowType: 'MemberSyncWorkflow',
      taskQueue: TASK_QUEUES.dataIngestion,
      timing: { at: { hour: 2, minute: 15 } },
      description: 'Sync members of Congress (party, state, bioguide id) from Congress.gov',
      catchupWindow: '6 hours',
      runTimeout: '1 hour',
    },
    {
      id: 'daily-maintenance',
      workflowType: 'DailyMaintenanceWorkflow',
      taskQueue: TASK_QUEUES.maintenance,
      timing: { at: { hour: 2, minute: 0 } },
      description: 'Database backup and housekeeping',
      catchupWindow: '6 hours',
      runTimeout: '2 hours',
    },
    {
      id: 'weekly-cleanup',
      workflowType: 'WeeklyCleanupWorkflow',
      taskQueue: TASK_QUEUES.maintenance,
      timing: { at: { hour: 3, minute: 0, dayOfWeek: 'SUNDAY' } },
      description: 'Prune old health results, delivered notifications and backups',
      catchupWindow: '1 day',
      runTimeout: '2 hours',
    },
    {
      id: 'analytics-report',
      workflowType: 'AnalyticsReportWorkflow',
      taskQueue: TASK_QUEUES.maintenance,
      timing: { at: { hour: 4, minute: 0 } },
      description: 'Daily report of filings, trades and alerts to the admins',
      catchupWindow: '6 hours',
      runTimeout: '1 hour',
    },
    {
      id: 'analytics-report-weekly',
      workflowType: 'AnalyticsReportWorkflow',
      taskQueue: TASK_QUEUES.maintenance,
      timing: { at: { hour: 5, minute: 0, dayOfWeek: 'MONDAY' } },
      description: 'Weekly report (Monday to Sunday) of filings, trades and alerts to the admins',
      catchupWindow: '1 day',
      runTimeout: '1 hour',
      args: [{ period: 'week' }],
    },
  ];
}
