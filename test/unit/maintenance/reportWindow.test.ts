import { describe, expect, it } from 'vitest';
import { reportWindow } from '../../../domain/report';

const NY = 'America/New_York';

describe('report window', () => {
  it('a daily run reports the previous local day', () => {
    // 04:00 in New York on Tuesday 2025-03-04 is 09:00 UTC.
    expect(reportWindow('day', new Date('2025-03-04T09:00:00Z'), NY)).toEqual({
      period: 'day',
      from: '2025-03-03',
      to: '2025-03-03',
      timezone: NY,
    });
    // 02:00 UTC on the 5th is still the evening of the 4th in New York.
    expect(reportWindow('day', new Date('2025-03-05T02:00:00Z'), NY).from).toBe('2025-03-03');
  });

  it('a Monday run of the weekly report covers the previous Monday to Sunday', () => {
    expect(reportWindow('week', new Date('2025-03-10T10:00:00Z'), NY)).toEqual({
      period: 'week',
      from: '2025-03-03',
      to: '2025-03-09',
      timezone: NY,
    });
  });

  it('a given date reports that day, or the week holding it', () => {
    const asOf = new Date('2026-01-01T00:00:00Z');
    expect(reportWindow('day', asOf, NY, '2025-03-04')).toMatchObject({
      from: '2025-03-04',
      to: '2025-03-04',
    });
    expect(reportWindow('week', asOf, NY, '2025-03-09')).toMatchObject({
      from: '2025-03-03',
      to: '2025-03-09',
    });
    expect(reportWindow('week', asOf, NY, '2025-03-03')).toMatchObject({
      from: '2025-03-03',
      to: '2025-03-09',
    });
  });

  it('refuses a date that is not a day', () => {
    expect(() => reportWindow('day', new Date(), NY, '2025-02-30')).toThrow(/--date must be a day/);
    expect(() => reportWindow('day', new Date(), NY, 'yesterday')).toThrow(/--date must be a day/);
  });
});
