import type { Chamber, Owner, ParsedTransaction, ScanConfidence, TransactionType } from './filing';

/** One stored trade as a user is shown it: the transaction with its filing and filer. */
export interface TradeView {
  memberName: string;
  chamber: Chamber;
  /** House `CA11`; Senate usually null. */
  stateDistrict: string | null;
  /** `D`, `R`, `I` once the filer is linked to a member of Congress; else null. */
  party: string | null;
  ticker: string | null;
  /** An exchange's ticker received (`ticker` is the one given up); absent or null otherwise. */
  receivedTicker?: string | null;
  assetName: string;
  /** House code (`ST`, `OP`, ...) or the Senate label (`Stock`). */
  assetType: string | null;
  /** Null only for a trade read from a scanned paper filing whose type could not be read for sure. */
  transactionType: TransactionType | null;
  owner: Owner;
  /** Whole dollars; `amountMax` null for an open-ended bracket ("Over $50,000,000" → 50000001, null). */
  amountMin: number | null;
  amountMax: number | null;
  /** ISO `YYYY-MM-DD`. */
  transactionDate: string | null;
  /** ISO `YYYY-MM-DD`. */
  filedDate: string | null;
  filingUrl: string;
  /** What the filer wrote about the trade (option strike and expiry, bond coupon, exchange), if anything. */
  description?: string | null;
  /**
   * The filer withdrew this trade in an amended report (a House row marked deleted): shown to a user
   * alerted about it as a withdrawal, never as a trade.
   */
  withdrawn?: boolean;
  /**
   * Set when the trade was read from a scanned paper filing: how sure each field's reading is (0..1).
   * Only fields read with high confidence are shown to users.
   */
  scanConfidence?: Partial<ScanConfidence> | null;
  /** The stock's close on the trade date and its latest price, as far as they are known. */
  price?: TradePrice | null;
}

/** How a traded stock has moved: each value null when unknown (nothing is shown rather than a guess). */
export interface TradePrice {
  ticker: string;
  /** The trading day whose close is given: the trade date, or the trading day before it. ISO date. */
  tradeDay: string | null;
  tradeClose: number | null;
  latestPrice: number | null;
  /** When the latest price was struck (ISO instant). */
  latestAt: string | null;
  currency: string | null;
}

/** The facts of a trade an amendment can change; what a correction compares. */
export type TradeFacts = Pick<
  ParsedTransaction,
  'transactionType' | 'owner' | 'amountMin' | 'amountMax' | 'transactionDate' | 'ticker'
>;
