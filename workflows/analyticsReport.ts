import { proxyActivities, workflowInfo } from '@temporalio/workflow';
import type { ReportActivities } from '../activities/reports';
import type { AnalyticsReportInput, AnalyticsReportResult } from '../domain/report';

// A handful of aggregate queries over one day or week: quick. A date that is not a date is not retried.
const { buildReport } = proxyActivities<ReportActivities>({
  startToCloseTimeout: '10 minutes',
  retry: { initialInterval: '10 seconds', maximumAttempts: 5, nonRetryableErrorTypes: ['BadReportInput'] },
});

// Sends to administrators not yet sent the report. An SMTP outage is retried for about an hour;
// a permanent rejection needs someone to fix ADMIN_EMAILS.
const { emailReport } = proxyActivities<ReportActivities>({
  startToCloseTimeout: '5 minutes',
  retry: {
    initialInterval: '30 seconds',
    backoffCoefficient: 2,
    maximumInterval: '10 minutes',
    maximumAttempts: 10,
    nonRetryableErrorTypes: ['SmtpPermanentError', 'ReportNotFound'],
  },
});

/**
 * The administrators' report on the previous day (schedule `analytics-report`) or week
 * (`analytics-report-weekly`, `{ period: 'week' }`): computed, stored, and emailed to ADMIN_EMAILS.
 */
export async function AnalyticsReportWorkflow(
  input: AnalyticsReportInput = {},
): Promise<AnalyticsReportResult> {
  const built = await buildReport({
    period: input.period ?? 'day',
    date: input.date ?? null,
    asOf: workflowInfo().startTime.toISOString(),
  });
  const emailed = await emailReport({ reportId: built.reportId });
  return { ...built, emailed };
}
