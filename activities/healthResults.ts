import { Context } from '@temporalio/activity';
import { describeChange, evaluateAlerts } from '../domain/adminAlerts';
import {
  normalizeCheck,
  overallStatus,
  type HealthCheckResult,
  type StoredHealthResult,
} from '../domain/health';
import { SmtpSendError, type Mailer } from '../mail/mailer';
import { mailFromDomain } from '../domain/mailFrom';
import { renderAdminAlert } from '../mail/renderAdminAlert';
import { withTransaction } from '../store/db';
import { recordHealthCheck } from '../store/healthChecks';
import {
  claimPendingAdminEmails,
  countPendingAdminEmails,
  insertAdminEmails,
  listCheckStates,
  lockHealthEvaluation,
  markAdminEmailSent,
  readCheckStates,
  recordAdminEmailFailure,
  saveCheckStates,
} from '../store/healthState';
import type { ActivityDeps } from './deps';
import { activityLog } from './log';
import { healthMetrics } from './metrics';

/** An admin email the relay keeps refusing for this long is given up (it is about stale news by then). */
const ADMIN_EMAIL_GIVE_UP_MS = 24 * 3_600_000;
/** How long one sender holds a pending email; longer than one send can take. */
const SEND_LEASE_MS = 2 * 60_000;

/** A check as another workflow may report it: `warn` is read as `warning`. */
export type ReportedCheck = Omit<HealthCheckResult, 'status'> & {
  status: HealthCheckResult['status'] | 'warn';
};

export function createHealthResultActivities(
  { config, db, logger }: ActivityDeps,
  res: { mailer: Mailer; now?: () => Date },
) {
  const now = res.now ?? (() => new Date());
  const admins = config.mail.adminEmails;

  /** Send what is pending, oldest first; stop at the first relay failure (the rest would fail alike). */
  async function deliverAdminEmails(): Promise<{ sent: number; pending: number }> {
    let sent = 0;
    const domain = mailFromDomain(config.mail.from);
    for (const email of await claimPendingAdminEmails(db, now(), SEND_LEASE_MS)) {
      try {
        await res.mailer.send({
          to: email.recipient,
          subject: email.subject,
          text: email.text,
          html: email.html,
          // The same id on a resend, so a relay or mailbox that saw it already can drop the copy.
          messageId: `<admin-alert-${email.id}@${domain}>`,
          headers: {},
        });
        await markAdminEmailSent(db, email.id, now());
        healthMetrics.adminEmail('sent');
        sent++;
      } catch (err) {
        const permanent = err instanceof SmtpSendError && err.kind === 'permanent';
        const giveUp = permanent || now().getTime() - email.createdAt.getTime() > ADMIN_EMAIL_GIVE_UP_MS;
        await recordAdminEmailFailure(db, email.id, (err as Error).message, giveUp);
        healthMetrics.adminEmail(giveUp ? 'failed' : 'retried');
        activityLog(logger).warn(giveUp ? 'admin alert email given up' : 'admin alert email not sent yet', {
          recipient: email.recipient,
          error: (err as Error).message,
        });
        // Admin addresses are never suppressed; the next result stored tries again.
        if (!permanent) break;
      }
    }
    return { sent, pending: await countPendingAdminEmails(db) };
  }

  return {
    /**
     * Store a health result and tell admins what changed: the one entry point for every workflow that
     * reports checks (system and upstream health, backups, ...). Only the checks in `checks` change
     * state. Safe to retry: a retried call finds its result stored and evaluates nothing again; an
     * email the relay refused is sent by the next call.
     */
    async storeHealthResult(reported: ReportedCheck[]): Promise<StoredHealthResult> {
      const checks = reported.map(normalizeCheck);
      const info = currentInfo();
      const at = now();
      const status = overallStatus(checks);
      const { id, announced } = await withTransaction(db, async (tx) => {
        await lockHealthEvaluation(tx);
        const stored = await recordHealthCheck(tx, { ...info, status, checks, checkedAt: at });
        if (!stored.created) return { id: stored.id, announced: 0 };
        const previous = await readCheckStates(
          tx,
          checks.map((c) => c.name),
        );
        const { states, changes } = evaluateAlerts(previous, checks, at, config.health.adminAlertRepeatMs);
        await saveCheckStates(tx, states, checks, at, stored.id);
        if (changes.length > 0) {
          activityLog(logger).info('health checks changed', { changes: changes.map(describeChange) });
        }
        if (changes.length > 0 && admins.length > 0) {
          const changed = new Set(changes.map((c) => c.name));
          const openProblems = (await listCheckStates(tx))
            .filter((s) => s.status !== 'ok' && !changed.has(s.name))
            .map((s) => ({
              name: s.name,
              status: s.status,
              since: s.problemSince ?? s.since,
              detail: s.lastResult.detail,
            }));
          const email = renderAdminAlert({ changes, openProblems, workflowId: info.workflowId, at });
          await insertAdminEmails(
            tx,
            stored.id,
            admins.map((recipient) => ({ recipient, ...email })),
            at,
          );
        }
        return { id: stored.id, announced: changes.length };
      });
      healthMetrics.checks(checks);
      const delivery = await deliverAdminEmails();
      return { id, status, announced, emailsSent: delivery.sent, emailsPending: delivery.pending };
    },
  };
}

/** The reporting run; outside an activity (scripts, tests calling the function), a one-off id. */
function currentInfo(): { workflowId: string; runId: string; workflowType: string | null } {
  try {
    const { workflowExecution, workflowType, activityId } = Context.current().info;
    return {
      workflowId: workflowExecution?.workflowId ?? activityId,
      runId: workflowExecution?.runId ?? activityId,
      workflowType: workflowType ?? null,
    };
  } catch {
    const id = `direct-${Date.now()}-${Math.random().toString(36).slice(2, 8)}`;
    return { workflowId: id, runId: id, workflowType: null };
  }
}

export type HealthResultActivities = ReturnType<typeof createHealthResultActivities>;
