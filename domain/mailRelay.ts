/**
 * How fast the mail relay takes our alerts. Providers cap the sending rate of an account, and a relay
 * pushed harder answers 4xx (or worse, 5.7.x) to the excess; a relay of our own queues everything and
 * needs no pacing from us. NOTIFICATION_RATE_PER_SECOND overrides what is known here.
 */
export interface SendRate {
  /** Emails per second at most, per notifications worker process; null: no limit. */
  perSecond: number | null;
  /** Where the figure comes from, as `status` and the worker log say it. */
  source: string;
}

/** Documented limits of common providers, by SMTP host (see deploy/README.md, "Mail relay capacity"). */
const PROVIDERS: readonly { host: RegExp; name: string; perSecond: number }[] = [
  // A new production account starts at 14 messages/s (the sandbox at 1); the console shows yours.
  { host: /^email-smtp\.[a-z0-9-]+\.amazonaws\.com$/, name: 'Amazon SES', perSecond: 14 },
  // 30 messages a minute per mailbox for SMTP client submission.
  { host: /^smtp(-mail)?\.(office365|outlook)\.com$/, name: 'Microsoft 365', perSecond: 0.5 },
  // 2,000 messages a day per user (smtp.gmail.com), 10,000 recipients a day per user (the relay).
  { host: /^smtp(-relay)?\.gmail\.com$/, name: 'Google Workspace', perSecond: 1 },
];

/** When nothing is known about a public relay: modest, as a shared relay expects. */
export const UNKNOWN_RELAY_RATE = 10;

/** The default sending rate for the relay at `smtpUrl`. */
export function defaultSendRate(smtpUrl: string): SendRate {
  let host: string;
  try {
    host = new URL(smtpUrl).hostname.toLowerCase().replace(/^\[|\]$/g, '');
  } catch {
    return { perSecond: UNKNOWN_RELAY_RATE, source: 'default for an unknown relay' };
  }
  const provider = PROVIDERS.find((p) => p.host.test(host));
  if (provider) return { perSecond: provider.perSecond, source: `${provider.name} default` };
  if (isOwnRelay(host)) return { perSecond: null, source: 'no limit: a relay on this host or network' };
  return { perSecond: UNKNOWN_RELAY_RATE, source: 'default for an unknown relay' };
}

/**
 * A relay on this machine or a private network (a local Postfix, Mailpit, a compose service such as
 * `mailpit`) queues what it accepts: it sets its own pace.
 */
function isOwnRelay(host: string): boolean {
  if (host === 'localhost' || host === '::1' || !host.includes('.')) return true;
  const ip = /^(\d+)\.(\d+)\.\d+\.\d+$/.exec(host);
  if (!ip) return host.endsWith('.local') || host.endsWith('.internal');
  const [a, b] = [Number(ip[1]), Number(ip[2])];
  return a === 127 || a === 10 || (a === 192 && b === 168) || (a === 172 && b >= 16 && b <= 31);
}

/**
 * Sends (local activities) at once in a notifications worker: enough to keep the SMTP pool busy while
 * other sends claim and mark their rows (eight per connection: each send also waits out the claim and
 * mark coalescing windows of activities/notify.ts), and no more than the relay's pace clears in about
 * two seconds, so no send waits long in the pool's queue (the task queue's rate limit does not apply
 * to local activities; the pool's `rateLimit` paces them).
 */
export function localSendSlots(mail: {
  poolSize: number;
  sendRate: { perSecond: number | null };
  concurrency?: number | null;
}): number {
  if (mail.concurrency) return mail.concurrency;
  const busy = mail.poolSize * 8;
  const { perSecond } = mail.sendRate;
  return perSecond === null ? busy : Math.max(1, Math.min(busy, Math.ceil(perSecond * 2)));
}
