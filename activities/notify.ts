import { ApplicationFailure } from '@temporalio/activity';
import { digestDue, inQuietHours, nextLocalHour } from '../domain/delivery';
import type { DeliveryMode, SendUserAlertResult } from '../domain/notifications';
import type { AlertEmailInput, AlertKind, AlertTrade } from '../mail/alertContent';
import { describeCorrection, describeWithdrawal } from '../mail/correction';
import { createAlertMailer, listUnsubscribeHeaders, SmtpSendError, type Mailer } from '../mail/mailer';
import { alertMessageId } from '../mail/messageId';
import { renderAlertEmail } from '../mail/renderAlert';
import { signUnsubscribeToken, unsubscribeUrl } from '../mail/unsubscribeToken';
import { withTransaction } from '../store/db';
import {
  claimDueNotifications,
  deferNotifications,
  digestUsersWithPending,
  expireStaleNotifications,
  markSent,
  recipientBatches,
  recipientsInRange,
  recordDeliveryFailure,
  type DueNotification,
} from '../store/notifications';
import { getUser, markDigestSent, setUserStatus } from '../store/users';
import type { ActivityDeps } from './deps';
import { activityLog } from './log';
import { alertMetrics } from './metrics';

/** Delivery attempts (each with Temporal's own retries) before a notification is given up as failed. */
export const MAX_DELIVERY_ATTEMPTS = 8;
/**
 * Pending notifications never delivered within this many days (of their creation, or of an operator's
 * `notifications retry`) are stale and marked failed.
 */
const STALE_AFTER_DAYS = 7;

export function createNotifyActivities(
  { config, db, logger }: ActivityDeps,
  opts: { mailer?: Mailer; now?: () => Date } = {},
) {
  const now = opts.now ?? (() => new Date());
  let mailer = opts.mailer ?? null;
  const getMailer = () => (mailer ??= createAlertMailer(config.mail));
  const secret = () => {
    if (!config.unsubscribeSecret) {
      throw ApplicationFailure.nonRetryable(
        'UNSUBSCRIBE_SECRET is not set; alerts cannot carry an unsubscribe link',
        'ConfigError',
      );
    }
    return config.unsubscribeSecret;
  };

  return {
    /** Recipient batches (user-id ranges) for a fan-out: this sync's recipients, or everyone with pending mail. */
    async planRecipientBatches(input: { syncId: string | null; size: number; mode: DeliveryMode }) {
      return recipientBatches(db, {
        syncId: input.syncId,
        size: input.size,
        digest: input.mode === 'instant' ? 'instant' : 'any',
      });
    },

    async listBatchRecipients(input: {
      syncId: string | null;
      fromUserId: number;
      toUserId: number;
      mode: DeliveryMode;
    }) {
      return recipientsInRange(db, { ...input, digest: input.mode === 'instant' ? 'instant' : 'any' });
    },

    /** Digest users whose local digest hour is now and who have something pending. */
    async findDueDigestUsers(): Promise<number[]> {
      const at = now();
      return (await digestUsersWithPending(db)).filter((u) => digestDue(at, u)).map((u) => u.id);
    },

    /** Mark stale pending notifications failed, and count them. */
    async expireStaleNotifications(): Promise<{ expired: number }> {
      const expired = await expireStaleNotifications(db, STALE_AFTER_DAYS);
      alertMetrics.failed(expired);
      return { expired };
    },

    /**
     * Send one user everything due for them in one email. Safe to retry: the rows are locked while the
     * email goes out and marked sent in the same transaction, so a retry finds nothing left to send.
     * A permanent SMTP rejection suppresses the address (no retry); a temporary one is retried.
     */
    async sendUserAlert(input: { userId: number; mode: DeliveryMode }): Promise<SendUserAlertResult> {
      const { userId, mode } = input;
      const user = await getUser(db, userId);
      if (!user) return { userId, status: 'unknown_user', notifications: 0 };
      if (user.status !== 'active') {
        await setUserStatus(db, userId, user.status, user.statusReason);
        return { userId, status: 'suppressed', notifications: 0 };
      }
      if (mode === 'instant' && user.digest !== 'instant')
        return { userId, status: 'digest_user', notifications: 0 };
      const at = now();
      let claimedIds: number[] = [];
      try {
        return await withTransaction(db, async (tx): Promise<SendUserAlertResult> => {
          const due = await claimDueNotifications(tx, userId, at);
          claimedIds = due.map((n) => n.id);
          if (due.length === 0) return { userId, status: 'nothing_due', notifications: 0 };
          if (mode === 'instant' && inQuietHours(at, user.timezone, user.quietStart, user.quietEnd)) {
            await deferNotifications(tx, claimedIds, nextLocalHour(at, user.timezone, user.quietEnd!));
            return { userId, status: 'deferred', notifications: due.length };
          }
          const kind: AlertKind =
            mode === 'digest'
              ? user.digest === 'weekly'
                ? 'weekly'
                : 'daily'
              : due.every((n) => n.kind === 'correction')
                ? 'correction'
                : 'instant';
          const link = unsubscribeUrl(config.publicBaseUrl, signUnsubscribeToken(String(user.id), secret()));
          const email: AlertEmailInput = {
            user: { email: user.email, timezone: user.timezone },
            kind,
            trades: due.map(toTrade),
            unsubscribeUrl: link,
            generatedAt: at.toISOString(),
          };
          const rendered = renderAlertEmail(email);
          const messageId = alertMessageId(
            { kind, notificationIds: claimedIds.map(String) },
            config.mail.from,
          );
          // Throws SmtpSendError (classified); the transaction rolls back and the rows stay pending.
          await getMailer().send({
            to: user.email,
            ...rendered,
            messageId,
            headers: listUnsubscribeHeaders(link),
          });
          await markSent(tx, claimedIds, messageId);
          await alertMetrics.sent(tx, claimedIds, kind);
          if (mode === 'digest') await markDigestSent(tx, userId, at);
          activityLog(logger).info('alert email sent', {
            userId,
            notifications: claimedIds.length,
            kind,
            messageId,
          });
          return { userId, status: 'sent', notifications: claimedIds.length };
        });
      } catch (err) {
        if (!(err instanceof SmtpSendError)) throw err;
        const smtp = err;
        if (smtp.kind === 'permanent') {
          await setUserStatus(
            db,
            userId,
            'suppressed',
            `SMTP ${smtp.responseCode ?? ''} ${smtp.message}`.trim(),
          );
          activityLog(logger).warn('address rejected permanently; suppressed', {
            userId,
            error: smtp.message,
          });
          alertMetrics.suppressed(claimedIds.length);
          return { userId, status: 'suppressed', notifications: claimedIds.length };
        }
        const { failed } = await recordDeliveryFailure(db, claimedIds, smtp.message, MAX_DELIVERY_ATTEMPTS);
        alertMetrics.failed(failed);
        throw ApplicationFailure.create({
          message: `temporary SMTP failure for user ${userId}: ${smtp.message}`,
          type: 'SmtpTemporaryError',
          nonRetryable: failed > 0,
        });
      }
    },
  };
}

export type NotifyActivities = ReturnType<typeof createNotifyActivities>;

function toTrade(n: DueNotification): AlertTrade {
  const { id, kind, reasons, original, attempts: _attempts, ...trade } = n;
  const correction =
    kind !== 'correction'
      ? undefined
      : n.withdrawn
        ? describeWithdrawal()
        : original
          ? describeCorrection(original, n)
          : undefined;
  return {
    ...trade,
    notificationId: String(id),
    reasons: kind === 'correction' ? reasons : reasons.map((r) => `Matches your rule: ${r}`),
    ...(correction !== undefined ? { correction } : {}),
  };
}
