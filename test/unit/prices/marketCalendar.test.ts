import { describe, expect, it } from 'vitest';
import {
  closedReason,
  isHalfDay,
  isTradingDay,
  lastClosedSession,
  nextSession,
  nyseHolidays,
  isoDay,
  priceRunDecision,
  sessionOn,
  tradingDayOnOrBefore,
} from '../../../domain/marketCalendar';

const at = (iso: string) => Date.parse(iso);

describe('NYSE calendar', () => {
  it('is closed on Good Friday 2025-04-18, computed from Easter', () => {
    expect(closedReason('2025-04-18')).toBe('Good Friday');
    expect(sessionOn('2025-04-18')).toBeNull();
    expect(isTradingDay('2025-04-17')).toBe(true);
    // Other years' Good Fridays fall on other dates.
    expect(closedReason('2024-03-29')).toBe('Good Friday');
    expect(closedReason('2026-04-03')).toBe('Good Friday');
  });

  it('closes at 13:00 on 2025-11-28, the day after Thanksgiving', () => {
    const s = sessionOn('2025-11-28')!;
    expect(s.halfDay).toBe(true);
    expect(new Date(s.openMs).toISOString()).toBe('2025-11-28T14:30:00.000Z');
    expect(new Date(s.closeMs).toISOString()).toBe('2025-11-28T18:00:00.000Z');
    expect(closedReason('2025-11-27')).toBe('Thanksgiving Day');
  });

  it('is closed on 2025-07-04 and closes early on July 3', () => {
    expect(closedReason('2025-07-04')).toBe('Independence Day');
    expect(isHalfDay('2025-07-03')).toBe(true);
    expect(new Date(sessionOn('2025-07-03')!.closeMs).toISOString()).toBe('2025-07-03T17:00:00.000Z');
    // 2026: July 4 is a Saturday, so Friday July 3 is the holiday and nothing closes early.
    expect(closedReason('2026-07-03')).toBe('Independence Day');
    expect(isHalfDay('2026-07-02')).toBe(false);
  });

  it('is closed on weekends', () => {
    expect(closedReason('2025-03-15')).toBe('Saturday');
    expect(closedReason('2025-03-16')).toBe('Sunday');
    expect(tradingDayOnOrBefore('2025-03-16')).toBe('2025-03-14');
  });

  it('follows both 2025 DST changes: 9:30 New York is 13:30 UTC in summer, 14:30 in winter', () => {
    // Sunday 2025-03-09, clocks forward: closed; Monday opens at 13:30 UTC (EDT).
    expect(closedReason('2025-03-09')).toBe('Sunday');
    expect(new Date(nextSession(at('2025-03-09T12:00:00Z')).openMs).toISOString()).toBe(
      '2025-03-10T13:30:00.000Z',
    );
    expect(new Date(sessionOn('2025-03-07')!.openMs).toISOString()).toBe('2025-03-07T14:30:00.000Z');
    // Sunday 2025-11-02, clocks back: closed; Monday opens at 14:30 UTC (EST).
    expect(closedReason('2025-11-02')).toBe('Sunday');
    expect(new Date(nextSession(at('2025-11-02T12:00:00Z')).openMs).toISOString()).toBe(
      '2025-11-03T14:30:00.000Z',
    );
    expect(new Date(sessionOn('2025-10-31')!.closeMs).toISOString()).toBe('2025-10-31T20:00:00.000Z');
    expect(new Date(sessionOn('2025-11-03')!.closeMs).toISOString()).toBe('2025-11-03T21:00:00.000Z');
  });

  it('computes every 2025 holiday the exchange published', () => {
    const days = [...nyseHolidays(2025).keys()].map(isoDay).sort();
    expect(days).toEqual([
      '2025-01-01',
      '2025-01-20',
      '2025-02-17',
      '2025-04-18',
      '2025-05-26',
      '2025-06-19',
      '2025-07-04',
      '2025-09-01',
      '2025-11-27',
      '2025-12-25',
    ]);
    expect(closedReason('2025-01-09')).toContain('Jimmy Carter');
    expect(isHalfDay('2025-12-24')).toBe(true);
  });

  it('applies the observance rules: Saturday New Year not made up, Sunday holidays on Monday', () => {
    // 2022-01-01 was a Saturday: Friday 2021-12-31 traded.
    expect(isTradingDay('2021-12-31')).toBe(true);
    // 2023-01-01 was a Sunday: Monday Jan 2 closed.
    expect(closedReason('2023-01-02')).toBe("New Year's Day");
    // Juneteenth from 2022: 2022-06-19 a Sunday, observed Monday the 20th; not a holiday in 2021.
    expect(closedReason('2022-06-20')).toBe('Juneteenth');
    expect(isTradingDay('2021-06-18')).toBe(true);
    // Christmas 2021 on a Saturday: Friday Dec 24 closed, no half day.
    expect(closedReason('2021-12-24')).toBe('Christmas Day');
    expect(isHalfDay('2021-12-23')).toBe(false);
  });

  it('finds the last closed session across a holiday weekend', () => {
    // Easter Monday 2025-04-21 before the open: the last close was Thursday 2025-04-17.
    expect(lastClosedSession(at('2025-04-21T12:00:00Z')).day).toBe('2025-04-17');
  });
});

describe('when a scheduled price update runs', () => {
  const decide = (iso: string) => priceRunDecision(at(iso), 15);

  it('runs every time during the session', () => {
    expect(decide('2025-04-17T13:30:00Z')).toMatchObject({ run: true, mode: 'session' });
    expect(decide('2025-04-17T19:45:00Z')).toMatchObject({ run: true, mode: 'session' });
  });

  it('runs once after the close, then not until the next session', () => {
    expect(decide('2025-04-17T20:00:00Z')).toMatchObject({ run: true, mode: 'closing' });
    expect(decide('2025-04-17T20:14:59Z')).toMatchObject({ run: true, mode: 'closing' });
    const later = decide('2025-04-17T20:15:00Z');
    expect(later.run).toBe(false);
    expect(later.reason).toContain('next session opens 2025-04-21 09:30');
  });

  it('says why it skips: a holiday, a weekend, before the open', () => {
    expect(decide('2025-04-18T15:00:00Z')).toEqual({
      run: false,
      reason: 'market closed on 2025-04-18 (Good Friday); next session opens 2025-04-21 09:30 New York',
    });
    expect(decide('2025-03-09T15:00:00Z').reason).toContain('(Sunday)');
    expect(decide('2025-03-10T13:00:00Z').reason).toBe(
      'before the open (09:00 New York); next session opens 2025-03-10 09:30 New York',
    );
  });

  it('makes the closing update at 13:00 on a half day', () => {
    expect(decide('2025-11-28T17:45:00Z')).toMatchObject({ run: true, mode: 'session' });
    expect(decide('2025-11-28T18:00:00Z')).toMatchObject({ run: true, mode: 'closing' });
    expect(decide('2025-11-28T18:15:00Z').run).toBe(false);
  });
});
