import type { Chamber, TransactionType } from './filing';
import { localParts } from './delivery';
import type { PriceMover } from './prices';

/**
 * The administrators' analytics report (AnalyticsReportWorkflow, `capitolscope report`): its period,
 * its content, and the contracts between the workflow and its activities.
 */

export type ReportPeriod = 'day' | 'week';
export const REPORT_PERIODS: readonly ReportPeriod[] = ['day', 'week'];

/** A filing is late when filed more than this many days after the trade (STOCK Act: 45). */
export { STOCK_ACT_DEADLINE_DAYS as LATE_FILING_DAYS } from './filing';

/** Local calendar days a report covers, both inclusive, in the schedule's time zone. */
export interface ReportWindow {
  period: ReportPeriod;
  from: string;
  to: string;
  timezone: string;
}

/**
 * The period to report on: without `date`, the day (or Monday-to-Sunday week) before `asOf`'s local
 * day; with `date` (YYYY-MM-DD), that day, or the week holding it.
 */
export function reportWindow(
  period: ReportPeriod,
  asOf: Date,
  timezone: string,
  date?: string | null,
): ReportWindow {
  let day: string;
  if (date) {
    if (!isIsoDate(date)) throw new Error(`--date must be a day like 2025-01-17, not "${date}"`);
    day = date;
  } else {
    const today = localParts(asOf, timezone).date;
    day = addDays(today, period === 'day' ? -1 : -7);
  }
  if (period === 'day') return { period, from: day, to: day, timezone };
  // ISO weeks start on Monday.
  const weekday = (new Date(`${day}T00:00:00Z`).getUTCDay() + 6) % 7;
  const from = addDays(day, -weekday);
  return { period, from, to: addDays(from, 6), timezone };
}

export function isIsoDate(s: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(s)) return false;
  const d = new Date(`${s}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().startsWith(s);
}

export function addDays(isoDate: string, n: number): string {
  const d = new Date(`${isoDate}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + n);
  return d.toISOString().slice(0, 10);
}

// ---- content ---------------------------------------------------------------------------------------

export type PartyKey = 'D' | 'R' | 'I' | 'unknown';

export interface CountBy {
  total: number;
  byChamber: Record<Chamber, number>;
  /** By the party of the member a filing is linked to; `unknown` until members are synced. */
  byParty: Record<PartyKey, number>;
}

export interface TickerActivity {
  ticker: string;
  trades: number;
  buys: number;
  sells: number;
}

export interface ReportTrade {
  member: string;
  chamber: Chamber;
  party: string | null;
  ticker: string | null;
  assetName: string;
  transactionType: TransactionType;
  amountMin: number | null;
  amountMax: number | null;
  transactionDate: string | null;
  filedDate: string | null;
}

export interface LateFiling {
  member: string;
  chamber: Chamber;
  sourceId: string;
  filedDate: string;
  earliestTrade: string;
  daysAfterTrade: number;
}

export interface ActiveMember {
  member: string;
  chamber: Chamber;
  party: string | null;
  filings: number;
  trades: number;
}

export interface HealthIncident {
  check: string;
  warning: number;
  critical: number;
  lastDetail: string;
}

/** What one report says; stored as JSON in `reports.content` and rendered to the email. */
export interface AnalyticsReport {
  window: ReportWindow;
  generatedAt: string;
  /** Filings first seen in the period (electronic and paper), by chamber and party. */
  filings: CountBy & { paper: number; amendments: number };
  /** Transactions of those filings (withdrawals not counted). */
  transactions: CountBy & { buys: number; sells: number; exchanges: number };
  topTickers: TickerActivity[];
  largestTrades: ReportTrade[];
  lateFilings: { count: number; filings: LateFiling[] };
  activeMembers: ActiveMember[];
  /** Paper filings stored with no rows read, at the end of the period. */
  paperAwaiting: { count: number; oldestFiled: string | null };
  alerts: { sent: number; failed: number; suppressed: number; usersAlerted: number };
  users: { new: number; removed: number; active: number };
  incidents: {
    /** Upstream sites that failed a check in the period (from the stored health results). */
    upstream: HealthIncident[];
    health: HealthIncident[];
    runs: number;
  };
  /** The period's biggest price moves among traded stocks (absent from reports stored before prices were tracked). */
  biggestMovers?: PriceMover[];
}

export interface AnalyticsReportInput {
  period?: ReportPeriod;
  /** YYYY-MM-DD: report on that day (or its week) instead of the previous one. */
  date?: string;
}

export interface BuildReportInput {
  period: ReportPeriod;
  date: string | null;
  /** The run's start (from workflow history): which "previous day" is meant. */
  asOf: string;
}

export interface BuiltReport {
  reportId: number;
  period: ReportPeriod;
  from: string;
  to: string;
  filings: number;
  transactions: number;
  alertsSent: number;
}

export interface ReportDelivery {
  recipients: number;
  sent: number;
  /** Already sent by an earlier attempt or run. */
  alreadySent: number;
  skipped: string | null;
}

/** What an AnalyticsReportWorkflow run did. */
export interface AnalyticsReportResult extends BuiltReport {
  emailed: ReportDelivery;
}
