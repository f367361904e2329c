/** Contracts of the alert-delivery workflows (fan-out, batches, notification processing) and their activities. */

/** `instant`: a sync's alerts (instant users only); `digest`: everything pending of digest users. */
export type DeliveryMode = 'instant' | 'digest';

/** What happened for one user: one email at most. */
export interface SendUserAlertResult {
  userId: number;
  status: 'sent' | 'nothing_due' | 'deferred' | 'digest_user' | 'suppressed' | 'unknown_user';
  notifications: number;
}

/** A contiguous user-id range of about a batch's worth of recipients. */
export interface RecipientBatch {
  fromUserId: number;
  toUserId: number;
  users: number;
}

export interface NotifyBatchInput {
  syncId: string | null;
  fromUserId: number;
  toUserId: number;
  mode: DeliveryMode;
  /** Users at once; the notifications worker's rate limit paces the actual sends. */
  concurrency?: number;
  /** For digests: exactly these users (whose digest is due), not everyone in the range. */
  userIds?: number[];
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
