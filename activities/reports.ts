import { ApplicationFailure } from '@temporalio/activity';
import {
  reportWindow,
  type AnalyticsReport,
  type BuildReportInput,
  type BuiltReport,
  type ReportDelivery,
} from '../domain/report';
import { SmtpSendError, type Mailer } from '../mail/mailer';
import { tickerChartPng } from '../mail/reportChart';
import { REPORT_CHART_CID, renderReportEmail, reportMessageId } from '../mail/renderReport';
import {
  buildReportContent,
  getReport,
  recordReportDelivery,
  reportRecipientsSent,
  saveReport,
} from '../store/reports';
import type { ActivityDeps } from './deps';
import { activityLog } from './log';

/** The analytics report: computed from the store, kept in `reports`, emailed to ADMIN_EMAILS. */
export function createReportActivities(
  { config, db, logger }: ActivityDeps,
  resources: { mailer: Mailer; now?: () => Date },
) {
  const now = resources.now ?? (() => new Date());
  return {
    /** Compute the period's figures and store them; re-running a period replaces its report. */
    async buildReport(input: BuildReportInput): Promise<BuiltReport> {
      let window;
      try {
        window = reportWindow(input.period, new Date(input.asOf), config.schedules.timezone, input.date);
      } catch (err) {
        throw ApplicationFailure.nonRetryable((err as Error).message, 'BadReportInput');
      }
      const content = await buildReportContent(db, window, now());
      const reportId = await saveReport(db, content);
      activityLog(logger).info('report stored', { reportId, from: window.from, to: window.to });
      return summary(reportId, content);
    },

    /**
     * Email a stored report to each administrator not sent it yet (HTML with the chart inline, and a
     * text part). A retry after a temporary SMTP failure sends only to those still missing it.
     */
    async emailReport(input: { reportId: number }): Promise<ReportDelivery> {
      const recipients = config.mail.adminEmails;
      if (recipients.length === 0) {
        return { recipients: 0, sent: 0, alreadySent: 0, skipped: 'ADMIN_EMAILS is not set' };
      }
      const report = await getReport(db, input.reportId);
      if (!report) throw ApplicationFailure.nonRetryable(`no report ${input.reportId}`, 'ReportNotFound');
      const done = await reportRecipientsSent(db, input.reportId);
      const due = recipients.filter((e) => !done.has(e.toLowerCase()));
      if (due.length === 0)
        return { recipients: recipients.length, sent: 0, alreadySent: done.size, skipped: null };
      const email = renderReportEmail(report);
      const chart = await tickerChartPng(report.topTickers, 'Most-traded tickers: buys and sells');
      let sent = 0;
      for (const to of due) {
        const messageId = reportMessageId(input.reportId, to, config.mail.from);
        try {
          await resources.mailer.send({
            to,
            ...email,
            messageId,
            headers: {},
            attachments: [
              {
                filename: 'top-tickers.png',
                contentType: 'image/png',
                content: chart,
                cid: REPORT_CHART_CID,
              },
            ],
          });
        } catch (err) {
          if (err instanceof SmtpSendError && err.kind === 'temporary') {
            throw ApplicationFailure.retryable(`report to ${to}: ${err.message}`, 'SmtpTemporaryError');
          }
          throw ApplicationFailure.nonRetryable(
            `report to ${to}: ${(err as Error).message}`,
            'SmtpPermanentError',
          );
        }
        await recordReportDelivery(db, { reportId: input.reportId, email: to, messageId });
        sent += 1;
      }
      activityLog(logger).info('report emailed', { reportId: input.reportId, sent });
      return { recipients: recipients.length, sent, alreadySent: done.size, skipped: null };
    },
  };
}

export type ReportActivities = ReturnType<typeof createReportActivities>;

export function summary(reportId: number, r: AnalyticsReport): BuiltReport {
  return {
    reportId,
    period: r.window.period,
    from: r.window.from,
    to: r.window.to,
    filings: r.filings.total,
    transactions: r.transactions.total,
    alertsSent: r.alerts.sent,
  };
}
