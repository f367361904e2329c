import {
  ParentClosePolicy,
  patched,
  proxyActivities,
  proxyLocalActivities,
  sleep,
  startChild,
  workflowInfo,
} from '@temporalio/workflow';
import type { NotifyActivities } from '../activities/notify';
import {
  DELIVERY_RETRY,
  relayWideReplies,
  retryDelayMs,
  SMTP_RELAY_CHECK,
  type ClaimOutcome,
  type FanOutResult,
  type NotifyBatchInput,
  type SendUserAlertResult,
} from '../domain/notifications';
import type { HealthCheckResult } from '../domain/health';
import { TASK_QUEUES } from '../domain/taskQueues';
import { mapPool } from './pool';
import { ReportHealthCheckWorkflow } from './reportHealth';

/** Sends are local activities with claims (see deliverWithRetries); runs started before use one activity per user. */
const CLAIMED_LOCAL_SENDS = 'claimed-local-sends';

const { listBatchRecipients, suppressRecipients, giveUpDeliveries } = proxyActivities<NotifyActivities>({
  taskQueue: TASK_QUEUES.notifications,
  startToCloseTimeout: '1 minute',
  retry: { maximumAttempts: 10 },
});

// One user's email, run in this worker beside the batch: no task to schedule, match and poll on the
// server per user, only a marker in the history. A send takes at most connect (10 s) + greeting (10 s)
// + a silent socket (60 s); the SDK keeps the workflow task alive meanwhile. Errors that are not SMTP
// replies (the database away, a bug) get two quick retries here, then count as a failed round.
const { sendUserAlert: sendLocally } = proxyLocalActivities<NotifyActivities>({
  startToCloseTimeout: '90 seconds',
  retry: {
    initialInterval: '1 second',
    backoffCoefficient: 2,
    maximumAttempts: 3,
    nonRetryableErrorTypes: ['ConfigError'],
  },
});

// Runs started before claims: one activity per user. SMTP trouble retried by Temporal; a permanent
// rejection is not an error (the address is suppressed) and a config problem is not retried.
const { sendUserAlert } = proxyActivities<NotifyActivities>({
  taskQueue: TASK_QUEUES.notifications,
  startToCloseTimeout: '2 minutes',
  retry: {
    initialInterval: '10 seconds',
    backoffCoefficient: 2,
    maximumInterval: '10 minutes',
    maximumAttempts: 8,
    nonRetryableErrorTypes: ['ConfigError'],
  },
});

/** Deliver to one batch of recipients (a few hundred at most, well inside history limits). */
export async function NotifyUsersBatchWorkflow(input: NotifyBatchInput): Promise<FanOutResult> {
  const users =
    input.userIds ??
    (await listBatchRecipients({
      syncId: input.syncId,
      fromUserId: input.fromUserId,
      toUserId: input.toUserId,
      mode: input.mode,
    }));
  if (!patched(CLAIMED_LOCAL_SENDS)) return deliverOneActivityEach(users, input);
  return deliverWithRetries(users, input);
}

/**
 * Every user's email, in rounds: send to everyone due (a local activity each, a few at once), then
 * suppress the addresses refused for good, and retry the rest after a pause that doubles each round,
 * until DELIVERY_RETRY gives up on them. Each user has one claim for the whole batch, so every retry
 * re-sends the same rows with the same Message-ID. A refusal by the relay (about us, or the same
 * "unknown user" for many recipients at once) suppresses nobody, and is reported to the admins.
 */
async function deliverWithRetries(users: readonly number[], input: NotifyBatchInput): Promise<FanOutResult> {
  const policy = input.retry ?? DELIVERY_RETRY;
  const { workflowId, runId } = workflowInfo();
  const claimToken = (userId: number) => `${workflowId}/${runId}/${userId}`;
  const outcomes = new Map<number, SendUserAlertResult['status'] | 'failed'>();
  const firstFailure = new Map<number, number>();
  const relay = new RelayReporter();
  let due = users;
  for (let failingRounds = 0; due.length > 0;) {
    const round = await mapPool(
      due,
      input.concurrency ?? 20,
      (userId) => sendLocally({ userId, mode: input.mode, claimToken: claimToken(userId) }),
      (userId, err): SendUserAlertResult => ({
        userId,
        status: 'retry',
        notifications: 0,
        reply: 'error',
        error: ((err as Error).cause as Error | undefined)?.message ?? (err as Error).message,
      }),
    );
    const relayWide = relayWideReplies(round);
    const blamesRelay = (r: SendUserAlertResult) =>
      (r.status === 'retry' && r.relay === true) || (r.status === 'rejected' && relayWide.has(r.reply ?? ''));
    const refused = round.filter((r) => r.status === 'rejected' && !blamesRelay(r));
    const retry = round.filter((r) => r.status === 'retry' || blamesRelay(r));
    if (refused.length > 0) await suppressRecipients(refused.map((r) => outcome(r, claimToken)));
    for (const r of round)
      if (!retry.includes(r)) outcomes.set(r.userId, r.status === 'rejected' ? 'suppressed' : r.status);
    await relay.afterRound(
      round.filter(blamesRelay),
      round.some((r) => r.status === 'sent'),
    );

    const now = Date.now();
    const giveUp = retry.filter((r) => now - (firstFailure.get(r.userId) ?? now) >= policy.giveUpAfterMs);
    for (const r of retry) if (!firstFailure.has(r.userId)) firstFailure.set(r.userId, now);
    if (giveUp.length > 0) {
      await giveUpDeliveries(giveUp.map((r) => outcome(r, claimToken)));
      for (const r of giveUp) outcomes.set(r.userId, 'failed');
    }
    due = retry.filter((r) => !giveUp.includes(r)).map((r) => r.userId);
    if (due.length > 0) await sleep(retryDelayMs(++failingRounds, policy));
  }
  return tally([...outcomes.values()].map((status) => ({ status })));
}

function outcome(r: SendUserAlertResult, claimToken: (userId: number) => string): ClaimOutcome {
  const reason = r.reply === 'error' ? (r.error ?? 'failed') : `SMTP ${r.reply}: ${r.error}`;
  return { userId: r.userId, claimToken: claimToken(r.userId), reason };
}

const RELAY_ACTION =
  "read the relay's reply (capitolscope notifications list --status sending shows it as the last error), " +
  'then fix what it names: our credentials, the sender domain (SPF, DKIM, DMARC) or the relay policy; ' +
  'the alerts are retried for 90 minutes, then `capitolscope notifications retry --all-failed` sends them';

/**
 * The `smtp-relay` health check, as this batch sees it: critical when a round finds the relay refusing
 * our mail, ok again when a later round sends without that. Each report is a ReportHealthCheckWorkflow
 * on the health-checks queue (storeHealthResult there emails the admins on a change), started and left
 * to run: delivery never waits for the health worker.
 */
class RelayReporter {
  private reported: 'ok' | 'critical' | null = null;
  private reports = 0;

  async afterRound(refusals: readonly SendUserAlertResult[], sent: boolean): Promise<void> {
    if (refusals.length > 0 && this.reported !== 'critical') {
      const first = refusals[0]!;
      await this.report({
        status: 'critical',
        value: refusals.length,
        detail:
          `the mail relay refuses our mail (${first.reply}: ${first.error}) for ${refusals.length} ` +
          `recipient(s) of ${workflowInfo().workflowId}; their alerts are kept and retried, nobody is ` +
          `suppressed. Check the relay's policy, our credentials and sender domain (SPF, DKIM, DMARC).`,
      });
    } else if (refusals.length === 0 && sent && this.reported === 'critical') {
      await this.report({ status: 'ok', value: 0, detail: 'the mail relay accepts our mail again' });
    }
  }

  private async report(r: { status: 'ok' | 'critical'; value: number; detail: string }): Promise<void> {
    this.reported = r.status;
    // The value counts the recipients refused in the round that found the problem (0 when ok).
    const check: HealthCheckResult = {
      name: SMTP_RELAY_CHECK,
      unit: 'recipients',
      ...r,
      ...(r.status === 'critical' ? { action: RELAY_ACTION } : {}),
    };
    try {
      await startChild(ReportHealthCheckWorkflow, {
        workflowId: `${workflowInfo().workflowId}/${SMTP_RELAY_CHECK}-${++this.reports}`,
        taskQueue: TASK_QUEUES.healthChecks,
        args: [[check]],
        parentClosePolicy: ParentClosePolicy.ABANDON,
        // A report nobody stored within a day is stale news.
        workflowExecutionTimeout: '1 day',
      });
    } catch {
      // Already started by an earlier run of this batch: that report stands.
    }
  }
}

/** Runs started before claims existed: one regular activity per user, retried by Temporal. */
async function deliverOneActivityEach(
  users: readonly number[],
  input: NotifyBatchInput,
): Promise<FanOutResult> {
  const results = await mapPool(
    users,
    input.concurrency ?? 20,
    (userId) => sendUserAlert({ userId, mode: input.mode }),
    (userId) => ({ userId, status: 'failed', notifications: 0 }),
  );
  return tally(results);
}

export function tally(results: readonly { status: string }[]): FanOutResult {
  const count = (s: string) => results.filter((r) => r.status === s).length;
  return {
    usersNotified: count('sent'),
    emailsSent: count('sent'),
    suppressed: count('suppressed'),
    failed: count('failed'),
    deferred: count('deferred'),
  };
}
