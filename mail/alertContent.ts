import type { TradeView } from '../domain/tradeView';

/** Why an email goes out: one trade as it arrives, a digest, or a fix to trades already sent. */
export type AlertKind = 'instant' | 'daily' | 'weekly' | 'correction';

/** One matched transaction, flattened for the email. Every string from a filing is untrusted. */
export interface AlertTrade extends TradeView {
  /** The notification row this trade came from (user × transaction). */
  notificationId: string;
  /** Why it matched, e.g. `You follow Nancy Pelosi`, `Ticker NVDA`. */
  reasons: string[];
  /** For corrections: what changed since the first email. */
  correction?: string;
}

export interface AlertEmailInput {
  user: { email: string; timezone: string };
  kind: AlertKind;
  trades: AlertTrade[];
  unsubscribeUrl: string;
  manageUrl?: string;
  /**
   * When the email is composed (ISO instant). Digests show it as a date in the user's time zone;
   * the renderer never reads the clock itself, so the same input always renders the same email.
   */
  generatedAt?: string;
}

export interface RenderedEmail {
  subject: string;
  text: string;
  html: string;
}
