/**
 * The NYSE calendar: regular session 9:30–16:00 America/New_York on weekdays that are not exchange
 * holidays; 13:00 closes on the usual half days. Everything is computed (holiday rules, Easter, DST
 * through Intl), so it needs no yearly table. Pure and deterministic: safe inside workflow code.
 */

import { wallClock } from './wallClock';

export const MARKET_TIMEZONE = 'America/New_York';
const OPEN_MINUTE = 9 * 60 + 30;
const CLOSE_MINUTE = 16 * 60;
const HALF_DAY_CLOSE_MINUTE = 13 * 60;
const DAY_MS = 86_400_000;

/**
 * Closures no rule predicts (national days of mourning, storms); the exchange announces them days
 * ahead, and they are added here when it does.
 */
const SPECIAL_CLOSURES: Record<string, string> = {
  '2001-09-11': 'September 11 attacks',
  '2001-09-12': 'September 11 attacks',
  '2001-09-13': 'September 11 attacks',
  '2001-09-14': 'September 11 attacks',
  '2004-06-11': 'National Day of Mourning for Ronald Reagan',
  '2007-01-02': 'National Day of Mourning for Gerald Ford',
  '2012-10-29': 'Hurricane Sandy',
  '2012-10-30': 'Hurricane Sandy',
  '2018-12-05': 'National Day of Mourning for George H. W. Bush',
  '2025-01-09': 'National Day of Mourning for Jimmy Carter',
};

export interface TradingSession {
  /** ISO `YYYY-MM-DD` in New York. */
  day: string;
  /** Epoch milliseconds of the open and the close. */
  openMs: number;
  closeMs: number;
  halfDay: boolean;
}

// ---- calendar dates as day numbers (days since 1970-01-01), free of time zones ----------------

export function dayNumber(iso: string): number {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso);
  if (!m) throw new Error(`not an ISO date: ${iso}`);
  return Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])) / DAY_MS;
}

export function isoDay(day: number): string {
  return new Date(day * DAY_MS).toISOString().slice(0, 10);
}

export function addDays(iso: string, days: number): string {
  return isoDay(dayNumber(iso) + days);
}

/** 0 = Sunday … 6 = Saturday. */
function weekday(day: number): number {
  return (((day + 4) % 7) + 7) % 7;
}

function ymd(year: number, month: number, date: number): number {
  return Date.UTC(year, month - 1, date) / DAY_MS;
}

/** The `n`th (1-based) `dow` of a month; n = -1 for the last. */
function nthWeekday(year: number, month: number, dow: number, n: number): number {
  if (n > 0) {
    const first = ymd(year, month, 1);
    return first + ((dow - weekday(first) + 7) % 7) + (n - 1) * 7;
  }
  const last = ymd(year, month + 1, 1) - 1;
  return last - ((weekday(last) - dow + 7) % 7);
}

/** Easter Sunday (Gregorian), by the anonymous computus. */
function easter(year: number): number {
  const a = year % 19;
  const b = Math.floor(year / 100);
  const c = year % 100;
  const d = Math.floor(b / 4);
  const e = b % 4;
  const f = Math.floor((b + 8) / 25);
  const g = Math.floor((b - f + 1) / 3);
  const h = (19 * a + b - d - g + 15) % 30;
  const i = Math.floor(c / 4);
  const k = c % 4;
  const l = (32 + 2 * e + 2 * i - h - k) % 7;
  const m = Math.floor((a + 11 * h + 22 * l) / 451);
  const month = Math.floor((h + l - 7 * m + 114) / 31);
  const date = ((h + l - 7 * m + 114) % 31) + 1;
  return ymd(year, month, date);
}

/** A fixed-date holiday on a Saturday is observed the Friday before, on a Sunday the Monday after. */
function observed(day: number): number {
  const dow = weekday(day);
  return dow === 6 ? day - 1 : dow === 0 ? day + 1 : day;
}

/** The exchange holidays of a year, by day number. */
export function nyseHolidays(year: number): Map<number, string> {
  const h = new Map<number, string>();
  // New Year's Day on a Saturday is not made up on the Friday before (it would close the old year).
  const newYear = ymd(year, 1, 1);
  if (weekday(newYear) !== 6) h.set(observed(newYear), "New Year's Day");
  if (year >= 1998) h.set(nthWeekday(year, 1, 1, 3), 'Martin Luther King Jr. Day');
  h.set(nthWeekday(year, 2, 1, 3), "Washington's Birthday");
  h.set(easter(year) - 2, 'Good Friday');
  h.set(nthWeekday(year, 5, 1, -1), 'Memorial Day');
  if (year >= 2022) h.set(observed(ymd(year, 6, 19)), 'Juneteenth');
  h.set(observed(ymd(year, 7, 4)), 'Independence Day');
  h.set(nthWeekday(year, 9, 1, 1), 'Labor Day');
  h.set(nthWeekday(year, 11, 4, 4), 'Thanksgiving Day');
  h.set(observed(ymd(year, 12, 25)), 'Christmas Day');
  return h;
}

/** Why the exchange is closed all day on `iso`, or null on a trading day. */
export function closedReason(iso: string): string | null {
  const day = dayNumber(iso);
  const dow = weekday(day);
  if (dow === 6) return 'Saturday';
  if (dow === 0) return 'Sunday';
  const special = SPECIAL_CLOSURES[iso];
  if (special) return special;
  return nyseHolidays(Number(iso.slice(0, 4))).get(day) ?? null;
}

export function isTradingDay(iso: string): boolean {
  return closedReason(iso) === null;
}

/** Half days: July 3, the day after Thanksgiving and Christmas Eve, when they are trading days. */
export function isHalfDay(iso: string): boolean {
  if (!isTradingDay(iso)) return false;
  const year = Number(iso.slice(0, 4));
  const day = dayNumber(iso);
  return iso.slice(5) === '07-03' || iso.slice(5) === '12-24' || day === nthWeekday(year, 11, 4, 4) + 1;
}

// ---- New York wall-clock time, through Intl (DST included) ---------------------------------------

/** The New York date and minute of the day at an instant. */
export function newYorkTime(ms: number): { day: string; minute: number } {
  const clock = wallClock(new Date(ms), MARKET_TIMEZONE);
  return { day: clock.date, minute: clock.hour * 60 + clock.minute };
}

/** The instant of a New York wall-clock time (minutes after midnight) on a date. */
export function newYorkInstant(iso: string, minute: number): number {
  const wanted = dayNumber(iso) * DAY_MS + minute * 60_000;
  // Guess with the wall time read as UTC, then correct by the zone's offset at the guess (twice, for
  // a guess that lands across a DST change).
  let at = wanted;
  for (let i = 0; i < 2; i++) {
    const local = newYorkTime(at);
    const seen = dayNumber(local.day) * DAY_MS + local.minute * 60_000;
    at += wanted - seen;
  }
  return at;
}

/** The regular session of a date, or null when the exchange is closed that day. */
export function sessionOn(iso: string): TradingSession | null {
  if (!isTradingDay(iso)) return null;
  const halfDay = isHalfDay(iso);
  return {
    day: iso,
    openMs: newYorkInstant(iso, OPEN_MINUTE),
    closeMs: newYorkInstant(iso, halfDay ? HALF_DAY_CLOSE_MINUTE : CLOSE_MINUTE),
    halfDay,
  };
}

/** The latest trading day on or before `iso`. */
export function tradingDayOnOrBefore(iso: string): string {
  let day = iso;
  while (!isTradingDay(day)) day = addDays(day, -1);
  return day;
}

/** The first session that has not closed yet at `ms` (today's, while it is open or still to come). */
export function nextSession(ms: number): TradingSession {
  let day = newYorkTime(ms).day;
  for (;;) {
    const s = sessionOn(day);
    if (s && s.closeMs > ms) return s;
    day = addDays(day, 1);
  }
}

/** Whether the session of `iso` has closed by `ms`: only then is that day's close final. */
export function sessionClosed(iso: string, ms: number): boolean {
  const s = sessionOn(iso);
  return s !== null && s.closeMs <= ms;
}

/** The most recent session that has closed by `ms`. */
export function lastClosedSession(ms: number): TradingSession {
  let day = newYorkTime(ms).day;
  for (;;) {
    const s = sessionOn(day);
    if (s && s.closeMs <= ms) return s;
    day = addDays(day, -1);
  }
}

export type PriceRunDecision =
  { run: true; mode: 'session' | 'closing'; reason: string } | { run: false; reason: string };

/**
 * Whether a scheduled price update at `ms` does anything: every run during the session; outside it,
 * only the first run at or after the close (runs come every `intervalMinutes`), so each trading day
 * gets exactly one closing update, and nights, weekends and holidays cost nothing.
 */
export function priceRunDecision(ms: number, intervalMinutes: number): PriceRunDecision {
  const { day, minute } = newYorkTime(ms);
  const today = sessionOn(day);
  const hhmm = (m: number) =>
    `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`;
  if (today && ms >= today.openMs && ms < today.closeMs) {
    const close = newYorkTime(today.closeMs).minute;
    return {
      run: true,
      mode: 'session',
      reason: `market open (session ${day} until ${hhmm(close)} New York)`,
    };
  }
  if (today && ms >= today.closeMs && ms < today.closeMs + intervalMinutes * 60_000) {
    const close = newYorkTime(today.closeMs).minute;
    return {
      run: true,
      mode: 'closing',
      reason: `closing update after the ${hhmm(close)} close of ${day}${today.halfDay ? ' (half day)' : ''}`,
    };
  }
  const next = nextSession(ms);
  const opens = `next session opens ${next.day} ${hhmm(newYorkTime(next.openMs).minute)} New York`;
  const closed = closedReason(day);
  if (closed) return { run: false, reason: `market closed on ${day} (${closed}); ${opens}` };
  if (today && ms < today.openMs)
    return { run: false, reason: `before the open (${hhmm(minute)} New York); ${opens}` };
  return { run: false, reason: `after the close; the closing update of ${day} has run; ${opens}` };
}
