/** Normalised shapes of a disclosure filing, shared by both chambers' parsers and the store. */

export type Chamber = 'house' | 'senate';

/** The STOCK Act's outer limit: a PTR is due within 45 days of the transaction; later is late. */
export const STOCK_ACT_DEADLINE_DAYS = 45;
export type FilingKind = 'electronic' | 'paper';
export type Owner = 'self' | 'spouse' | 'joint' | 'dependent';
export type TransactionType = 'purchase' | 'sale' | 'sale_partial' | 'exchange';
/**
 * What a House report says of one of its rows (`F S:` / `Filing Status:`):
 *  - `new`: a trade reported for the first time;
 *  - `amended`: the row restates a trade of an earlier report, corrected;
 *  - `deleted`: the row withdraws a trade of an earlier report. It restates that trade as first
 *    reported, but is not a trade itself: it never alerts anyone, and tells a user who was alerted
 *    about the original trade that the filer withdrew it.
 */
export type TransactionFilingStatus = 'new' | 'amended' | 'deleted';

export interface ParsedTransaction {
  owner: Owner;
  assetName: string;
  /** Exchange ticker; null when the filing gives none (a CUSIP in parentheses is not a ticker). */
  ticker: string | null;
  /**
   * The ticker received in an exchange (a Senate exchange pair with a ticker on its second line);
   * `ticker` is the one given up. Absent on every other row.
   */
  receivedTicker?: string | null;
  /** House: the code in brackets (`OP`, `ST`, ...); Senate: the label ("Stock"). */
  assetType: string | null;
  /** Null only on a row read from a scan whose type boxes could not be read. */
  transactionType: TransactionType | null;
  /** ISO `YYYY-MM-DD`. */
  transactionDate: string | null;
  /** House only: ISO date the filer was notified of the trade. */
  notificationDate: string | null;
  /** Whole dollars; `amountMax` null for an open-ended bracket ("Over $50,000,000"). */
  amountMin: number | null;
  amountMax: number | null;
  /** House per row: new | amended | deleted (see TransactionFilingStatus); Senate null. */
  filingStatus: TransactionFilingStatus | null;
  description: string | null;
  comment: string | null;
  subholdingOf: string | null;
  /**
   * Set on a row read from a scanned paper filing: every field above is a reading of handwriting or
   * of ticked boxes, as sure as `confidence` says. Absent on rows of e-filed reports.
   */
  readFromScan?: true;
  /** Rows read from a scan: how sure each field's reading is, 0 (a guess) to 1 (certain). */
  confidence?: ScanConfidence;
  /** Rows read from a scan: where on it (1-based page, and row of the filer's rows on that page). */
  scanPosition?: { page: number; row: number };
}

/**
 * How sure the reading of each field of a row read from a scan is, 0..1. Checkboxes (type, amount)
 * are read from the ink in each box; owner, asset name and dates from handwriting; the ticker from
 * matching the asset name with issuers seen in e-filed reports.
 */
export interface ScanConfidence {
  owner: number;
  assetName: number;
  ticker: number;
  transactionType: number;
  transactionDate: number;
  notificationDate: number;
  amount: number;
}

export interface ParsedFiling {
  chamber: Chamber;
  /** House DocID; Senate report UUID. */
  filingId: string;
  kind: FilingKind;
  filerName: string;
  /** House only (`CA11`), else null. */
  stateDistrict: string | null;
  /** ISO `YYYY-MM-DD`. */
  filedDate: string | null;
  amendment: boolean;
  transactions: ParsedTransaction[];
  /** Paper filings read from their scan: what was read of the form itself, and how. */
  scan?: ScanSummary;
}

/** What reading a scanned paper filing found beyond its rows. */
export interface ScanSummary {
  pages: number;
  /** Pages on which the printed form's grid was recognised. */
  formPages: number;
  /** Quarter turns (clockwise) each page needed to stand upright; null for a page that is not the form. */
  turns: (number | null)[];
  /** The header's `Initial report` / `Amendment` boxes, and the IPO question (`yes`, `no`, null unread). */
  amendmentConfidence: number;
  ipo: 'yes' | 'no' | null;
  ipoConfidence: number;
  /** The lowest confidence of any field of any row (1 when there are no rows). */
  minConfidence: number;
  /**
   * The clerk's receipt stamp (`2025 FEB -6 PM 2:40`): its date (the year, when not read, from the
   * filed date), the line as read, and how sure (1 when it agrees with the Clerk's index). Null when
   * no stamp was read.
   */
  stamp: { date: string | null; read: string; confidence: number } | null;
}

/** A row of the House Clerk's yearly financial-disclosure index. */
export interface HouseIndexRow {
  docId: string;
  filingType: string;
  prefix: string;
  first: string;
  last: string;
  suffix: string;
  stateDistrict: string;
  year: number;
  /** ISO `YYYY-MM-DD` or null. */
  filingDate: string | null;
}

/** Raised by a parser on input it cannot read; the reason is stored with the filing. */
export class ParseError extends Error {
  override readonly name = 'ParseError';
}
