/** Contracts of the alert-delivery workflows (fan-out, batches, notification processing) and their activities. */

/** `instant`: a sync's alerts (instant users only); `digest`: everything pending of digest users. */
export type DeliveryMode = 'instant' | 'digest';

export interface SendUserAlertInput {
  userId: number;
  mode: DeliveryMode;
  /**
   * Who claims the user's rows: `<batch workflow id>/<run id>/<user id>`. The same owner calling again
   * (a retry, a replay after a crash, the next retry round) re-sends its claim with the same Message-ID
   * instead of claiming anything new. Absent from batch runs started before claims existed.
   */
  claimToken?: string;
}

/**
 * What happened for one user: one email at most.
 * - `rejected`: the recipient's server refused the address for good (5.1.x, 5.2.1); the claim is kept
 *   and the batch decides, seeing the whole round, whether to suppress the address or blame the relay.
 * - `retry`: not sent this time (SMTP trouble, or the relay refusing us when `relay`); the claim is kept
 *   and the batch tries again later with the same Message-ID.
 */
export interface SendUserAlertResult {
  userId: number;
  status:
    | 'sent'
    | 'nothing_due'
    | 'deferred'
    | 'digest_user'
    | 'suppressed'
    | 'unknown_user'
    | 'rejected'
    | 'retry';
  notifications: number;
  /** `rejected` and `retry`: the SMTP reply or error code (`550 5.1.1`, `ECONNECTION`). */
  reply?: string;
  /** `rejected` and `retry`: what the server said, recipient addresses redacted. */
  error?: string;
  /** `retry`: the relay refuses our mail (policy, relay access, authentication, DMARC, size). */
  relay?: boolean;
}

/** A contiguous user-id range of about a batch's worth of recipients. */
export interface RecipientBatch {
  fromUserId: number;
  toUserId: number;
  users: number;
}

/**
 * How long a batch keeps retrying a user whose email could not go out (SMTP down or refusing us, the
 * database away, any error), and how it spaces the retry rounds. All milliseconds.
 */
export interface DeliveryRetryPolicy {
  /** Pause before the first retry round; each further round waits twice as long, up to `maxDelayMs`. */
  firstDelayMs: number;
  maxDelayMs: number;
  /** A user still failing this long after their first failure is given up: their alerts are marked failed. */
  giveUpAfterMs: number;
}

/**
 * Retry for 90 minutes with pauses of 10 s, 20 s, 40 s ... up to 10 minutes: an SMTP or database outage
 * of an hour needs no operator (the last round before giving up comes after at least 80 minutes).
 */
export const DELIVERY_RETRY: DeliveryRetryPolicy = {
  firstDelayMs: 10_000,
  maxDelayMs: 10 * 60_000,
  giveUpAfterMs: 90 * 60_000,
};

/** The pause after the `round`-th consecutive round with failures (1-based). */
export function retryDelayMs(round: number, policy: DeliveryRetryPolicy): number {
  return Math.min(policy.maxDelayMs, policy.firstDelayMs * 2 ** Math.max(0, round - 1));
}

/** The instants (ms after the first failure) at which retry rounds start, until the policy gives up. */
export function retrySchedule(policy: DeliveryRetryPolicy): number[] {
  const at: number[] = [];
  for (let t = 0, round = 1; ; round++) {
    t += retryDelayMs(round, policy);
    if (t >= policy.giveUpAfterMs) return at;
    at.push(t);
  }
}

/** Different recipients refused with one reply, within one round, that make it the relay's doing. */
export const RELAY_WIDE_RECIPIENTS = 5;
/** ... when they are at least this share of the round's attempted sends. */
export const RELAY_WIDE_SHARE = 0.2;

/**
 * The replies that refused many different recipients at once (at least RELAY_WIDE_RECIPIENTS, and
 * RELAY_WIDE_SHARE of the sends attempted in the round): a relay answering "unknown user" to everyone
 * is broken, and its answer must not suppress anyone.
 */
export function relayWideReplies(round: readonly SendUserAlertResult[]): Set<string> {
  const attempted = round.filter((r) => ['sent', 'rejected', 'retry'].includes(r.status)).length;
  const byReply = new Map<string, number>();
  for (const r of round)
    if (r.status === 'rejected') byReply.set(r.reply ?? '', (byReply.get(r.reply ?? '') ?? 0) + 1);
  return new Set(
    [...byReply]
      .filter(([, n]) => n >= RELAY_WIDE_RECIPIENTS && n >= RELAY_WIDE_SHARE * attempted)
      .map(([reply]) => reply),
  );
}

/** The health check a batch reports when the relay refuses our mail, and again when it accepts it. */
export const SMTP_RELAY_CHECK = 'smtp-relay';

export interface NotifyBatchInput {
  syncId: string | null;
  fromUserId: number;
  toUserId: number;
  mode: DeliveryMode;
  /** Users at once (default 20); the SMTP pool's rate limit paces the actual sends. */
  concurrency?: number;
  /** For digests: exactly these users (whose digest is due), not everyone in the range. */
  userIds?: number[];
  /** How failed users are retried (default DELIVERY_RETRY); fault drills compress it. */
  retry?: DeliveryRetryPolicy;
}

/** One user's delivery given up, or a recipient to suppress: the claim it concerns and why. */
export interface ClaimOutcome {
  userId: number;
  claimToken: string;
  reason: string;
}

export interface FanOutResult {
  usersNotified: number;
  emailsSent: number;
  suppressed: number;
  failed: number;
  deferred: number;
}

export interface NotificationProcessingResult {
  digests: FanOutResult;
  /** Instant alerts sent late: deferred past quiet hours, or left pending by an earlier failure. */
  pending: FanOutResult;
  expired: number;
}
