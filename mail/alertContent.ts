import type { Chamber, Owner, TransactionType } from '../domain/filing';

/** Why an email goes out: one trade as it arrives, a digest, or a fix to trades already sent. */
export type AlertKind = 'instant' | 'daily' | 'weekly' | 'correction';

/** One matched transaction, flattened for the email. Every string from a filing is untrusted. */
export interface AlertTrade {
  /** The notification row this trade came from (user × transaction). */
  notificationId: string;
  memberName: string;
  chamber: Chamber;
  /** House `CA11`; Senate usually null (or the state). */
  stateDistrict: string | null;
  /** `D`, `R`, `I` (or a full party name). */
  party: string | null;
  ticker: string | null;
  assetName: string;
  /** House code (`ST`, `OP`, ...) or the Senate label (`Stock`). */
  assetType: string | null;
  transactionType: TransactionType;
  owner: Owner;
  /** Whole dollars; `amountMax` null for an open-ended bracket ("Over $50,000,000" → 50000001, null). */
  amountMin: number | null;
  amountMax: number | null;
  /** ISO `YYYY-MM-DD`. */
  transactionDate: string | null;
  /** ISO `YYYY-MM-DD`. */
  filedDate: string | null;
  filingUrl: string;
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
