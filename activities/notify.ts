import { randomUUID } from 'node:crypto';
import { ApplicationFailure, Context } from '@temporalio/activity';
import DataLoader from 'dataloader';
import { digestDue, inQuietHours, nextLocalHour } from '../domain/delivery';
import type {
  ClaimOutcome,
  DeliveryMode,
  SendUserAlertInput,
  SendUserAlertResult,
} from '../domain/notifications';
import type { AlertEmailInput, AlertKind, AlertTrade } from '../mail/alertContent';
import { describeCorrection, describeWithdrawal } from '../mail/correction';
import { createAlertMailer, listUnsubscribeHeaders, SmtpSendError, type Mailer } from '../mail/mailer';
import { alertMessageId } from '../mail/messageId';
import { redactAddresses } from '../mail/smtpError';
import { renderAlertEmail } from '../mail/renderAlert';
import { signUnsubscribeToken, unsubscribeUrl } from '../mail/unsubscribeToken';
import {
  claimEmails,
  claimResult,
  closeClaims,
  deferClaim,
  digestUsersWithPending,
  expireStaleNotifications,
  markEmailsSent,
  recipientBatches,
  recipientsInRange,
  recordClaimFailure,
  STALE_CLAIM_MS,
  type ClaimedEmail,
  type DueNotification,
  type EmailClaim,
} from '../store/notifications';
import { getUser, setUserStatus } from '../store/users';
import type { ActivityDeps } from './deps';
import { activityLog } from './log';
import { alertMetrics } from './metrics';

/** Failure texts kept in history and on the rows: enough to diagnose, short enough to stay small. */
const MAX_ERROR_LENGTH = 300;
/**
 * How long a claim or mark waits for others to go to the database with (see `claims`). Each step up
 * from 2 ms cut PostgreSQL's CPU on a fan-out (by a fifth to a third at 5 ms, by a third to a half
 * more at 15 ms); at 30 ms the sends waited so long that the rate fell. localSendSlots allows for it.
 */
const COALESCE_MS = 15;

/** Calls made within COALESCE_MS of each other, handed to `batch` together (no caching of results). */
function coalesced<K, V>(batch: (keys: readonly K[]) => Promise<V[]>): DataLoader<K, V> {
  return new DataLoader<K, V>(batch, {
    cache: false,
    maxBatchSize: 100,
    batchScheduleFn: (run) => setTimeout(run, COALESCE_MS),
  });
}

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
  /**
   * Emails the server accepted whose claim could not be marked sent yet (the database went away right
   * then): the next attempt in this process marks them instead of sending them again.
   */
  const acceptedUnmarked = new Map<string, string>();

  // Concurrent sends of this worker claim and mark their rows together: one statement for all the
  // claims (and one for all the marks) that arrive within a few milliseconds, instead of a few
  // round trips each. Each send still waits for its own claim and mark to commit.
  const claims = coalesced<EmailClaim, ClaimedEmail | null>(async (requests) => {
    const at = now();
    const emails = await claimEmails(db, requests, {
      now: at,
      staleBefore: new Date(at.getTime() - STALE_CLAIM_MS),
    });
    const byOwner = new Map(emails.map((e) => [e.owner, e]));
    return requests.map((r) => byOwner.get(r.owner) ?? null);
  });
  const marks = coalesced<{ userId: number; owner: string; digestAt: Date | null }, number>((sent) =>
    markEmailsSent(db, sent),
  );

  /** One user's email: claim, send, mark; each step commits on its own, none spans the SMTP exchange. */
  async function deliver(input: SendUserAlertInput, owner: string): Promise<SendUserAlertResult> {
    const { userId, mode } = input;
    const at = now();
    const claimed = await claims.load({
      userId,
      owner,
      messageId: alertMessageId(owner, config.mail.from),
      mode,
    });
    if (!claimed) return unclaimed(userId, mode, owner);
    const { user, rows: due } = claimed;
    const { messageId, resent } = due[0]!;
    if (mode === 'instant' && !resent && inQuietHours(at, user.timezone, user.quietStart, user.quietEnd)) {
      await deferClaim(db, userId, owner, nextLocalHour(at, user.timezone, user.quietEnd!));
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
    try {
      if (acceptedUnmarked.get(owner) !== messageId) {
        const link = unsubscribeUrl(config.publicBaseUrl, signUnsubscribeToken(String(user.id), secret()));
        const email: AlertEmailInput = {
          user: { email: user.email, timezone: user.timezone },
          kind,
          trades: due.map(toTrade),
          unsubscribeUrl: link,
          generatedAt: at.toISOString(),
        };
        await getMailer().send({
          to: user.email,
          ...renderAlertEmail(email),
          messageId,
          headers: listUnsubscribeHeaders(link),
        });
        acceptedUnmarked.set(owner, messageId);
      }
      await marks.load({ userId, owner, digestAt: mode === 'digest' ? at : null });
      acceptedUnmarked.delete(owner);
    } catch (err) {
      if (err instanceof SmtpSendError) return smtpFailure(userId, owner, due.length, err);
      // Not an SMTP error (the database, a bug): it uses up an attempt too, then Temporal retries.
      const error = failureText(err);
      await recordClaimFailure(db, userId, owner, error).catch(() => undefined);
      throw err;
    }
    alertMetrics.sent(
      due.map((n) => n.firstSeenAt),
      kind,
      now(),
    );
    if (logger.isLevelEnabled('debug')) {
      activityLog(logger).debug('alert email sent', { userId, notifications: due.length, messageId, resent });
    }
    return { userId, status: 'sent', notifications: due.length };
  }

  /** Nothing claimed for the user: say why (gone, no longer receiving mail, a digest user, done before, nothing due). */
  async function unclaimed(userId: number, mode: DeliveryMode, owner: string): Promise<SendUserAlertResult> {
    const user = await getUser(db, userId);
    if (!user) return { userId, status: 'unknown_user', notifications: 0 };
    if (user.status !== 'active') {
      // Unsubscribed or suppressed meanwhile: pending alerts, and a claim of ours, are not sent.
      await setUserStatus(db, userId, user.status, user.statusReason);
      await closeClaims(db, [{ userId, owner, reason: user.statusReason ?? user.status }], 'suppressed');
      return { userId, status: 'suppressed', notifications: 0 };
    }
    if (mode === 'instant' && user.digest !== 'instant')
      return { userId, status: 'digest_user', notifications: 0 };
    // This owner's email went out before (a repeated call), or nothing is due.
    const done = await claimResult(db, userId, owner);
    if (done?.status === 'sent') return { userId, status: 'sent', notifications: done.notifications };
    return { userId, status: 'nothing_due', notifications: 0 };
  }

  async function smtpFailure(
    userId: number,
    owner: string,
    notifications: number,
    err: SmtpSendError,
  ): Promise<SendUserAlertResult> {
    const error = failureText(err);
    const failure = { userId, notifications, reply: err.signature, error };
    if (err.kind === 'permanent') {
      activityLog(logger).warn('recipient refused for good', { userId, reply: err.signature, error });
      return { ...failure, status: 'rejected' };
    }
    await recordClaimFailure(db, userId, owner, error);
    activityLog(logger).warn(err.relay ? 'the mail relay refuses our mail' : 'alert email not sent yet', {
      userId,
      reply: err.signature,
      error,
    });
    return { ...failure, status: 'retry', relay: err.relay };
  }

  return {
    /** Recipient batches (user-id ranges) for a fan-out: this sync's recipients, or everyone with pending mail. */
    async planRecipientBatches(input: { syncId: string | null; size: number; mode: DeliveryMode }) {
      return recipientBatches(db, {
        syncId: input.syncId,
        size: input.size,
        digest: input.mode === 'instant' ? 'instant' : 'any',
        now: now(),
      });
    },

    async listBatchRecipients(input: {
      syncId: string | null;
      fromUserId: number;
      toUserId: number;
      mode: DeliveryMode;
    }) {
      return recipientsInRange(db, {
        ...input,
        digest: input.mode === 'instant' ? 'instant' : 'any',
        now: now(),
      });
    },

    /** Digest users whose local digest hour is now and who have something pending. */
    async findDueDigestUsers(): Promise<number[]> {
      const at = now();
      return (await digestUsersWithPending(db)).filter((u) => digestDue(at, u)).map((u) => u.id);
    },

    /** Mark stale pending notifications failed, and count them. */
    async expireStaleNotifications(): Promise<{ expired: number }> {
      const expired = await expireStaleNotifications(db, now());
      alertMetrics.failed(expired);
      return { expired };
    },

    /**
     * Send one user everything due for them in one email: claim the due rows (committed), send, mark
     * them sent (committed). Safe to repeat: the same claim owner re-sends its claim with the same
     * Message-ID while it is `sending`, and claims nothing new once it went out. An SMTP failure is
     * a result (`rejected` or `retry`, claim kept) for the batch to act on; any other error is thrown
     * for Temporal to retry, after counting the attempt on the claimed rows.
     *
     * Called without `claimToken` (by batch runs started before claims existed, as a regular
     * activity), it behaves as it did then: a temporary failure is thrown, a refused address suppressed.
     */
    async sendUserAlert(input: SendUserAlertInput): Promise<SendUserAlertResult> {
      const owner = input.claimToken ?? activityClaimOwner(input.userId);
      const result = await deliver(input, owner);
      if (input.claimToken !== undefined) return result;
      if (result.status === 'rejected') {
        await suppress([{ userId: input.userId, claimToken: owner, reason: result.error ?? '' }]);
        return { userId: input.userId, status: 'suppressed', notifications: result.notifications };
      }
      if (result.status === 'retry') {
        throw ApplicationFailure.create({
          message: `temporary SMTP failure for user ${input.userId}: ${result.error}`,
          type: 'SmtpTemporaryError',
        });
      }
      return result;
    },

    /**
     * Suppress addresses refused for good: no mail to them again (until `users reactivate`), their
     * claimed and pending alerts suppressed, with the reply as the reason.
     */
    async suppressRecipients(refused: ClaimOutcome[]): Promise<{ suppressed: number }> {
      return { suppressed: await suppress(refused) };
    },

    /** Give up users whose retries ran out: their claimed alerts become `failed`, with the last error. */
    async giveUpDeliveries(failed: ClaimOutcome[]): Promise<{ failed: number }> {
      const n = await closeClaims(
        db,
        failed.map((f) => ({ userId: f.userId, owner: f.claimToken, reason: f.reason })),
        'failed',
      );
      alertMetrics.failed(n);
      if (failed.length) activityLog(logger).warn('alert emails given up', { users: failed.length });
      return { failed: n };
    },
  };

  async function suppress(refused: ClaimOutcome[]): Promise<number> {
    for (const r of refused) {
      await setUserStatus(db, r.userId, 'suppressed', r.reason);
      activityLog(logger).warn('address refused for good; suppressed', {
        userId: r.userId,
        reason: r.reason,
      });
    }
    const notifications = await closeClaims(
      db,
      refused.map((r) => ({ userId: r.userId, owner: r.claimToken, reason: r.reason })),
      'suppressed',
    );
    alertMetrics.suppressed(notifications);
    return refused.length;
  }
}

export type NotifyActivities = ReturnType<typeof createNotifyActivities>;

/**
 * The claim owner of a call without one: the running activity (workflow run and activity id stay the
 * same across its retries), or, called outside Temporal, a one-off owner.
 */
function activityClaimOwner(userId: number): string {
  try {
    const { workflowExecution: run, activityId } = Context.current().info;
    return `${run?.workflowId ?? 'activity'}/${run?.runId ?? ''}/${activityId}/${userId}`;
  } catch {
    return `direct-${randomUUID()}/${userId}`;
  }
}

/** An error as kept on the rows and in history: addresses hidden, one short line. */
function failureText(err: unknown): string {
  const text = err instanceof Error ? err.message : String(err);
  return redactAddresses(text).replace(/\s+/g, ' ').slice(0, MAX_ERROR_LENGTH);
}

function toTrade(n: DueNotification): AlertTrade {
  const {
    id,
    kind,
    reasons,
    original,
    attempts: _a,
    messageId: _m,
    resent: _r,
    firstSeenAt: _f,
    ...trade
  } = n;
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
