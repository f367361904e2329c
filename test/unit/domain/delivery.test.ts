import { describe, expect, it } from 'vitest';
import { digestDue, inQuietHours, localParts, nextLocalHour } from '../../../domain/delivery';

const at = (iso: string) => new Date(iso);

describe('local time of an instant', () => {
  it('reads the wall clock of the zone, on both sides of the spring DST change', () => {
    // New York springs forward at 07:00 UTC on 2025-03-09 (02:00 EST becomes 03:00 EDT).
    expect(localParts(at('2025-03-09T06:30:00Z'), 'America/New_York')).toEqual({
      hour: 1,
      minute: 30,
      weekday: 0,
      date: '2025-03-09',
    });
    expect(localParts(at('2025-03-09T07:30:00Z'), 'America/New_York')).toMatchObject({ hour: 3, minute: 30 });
  });

  it('gives the local date and weekday, not the UTC ones', () => {
    // 02:00 UTC on a Tuesday is still Monday evening in Chicago.
    expect(localParts(at('2025-01-14T02:00:00Z'), 'America/Chicago')).toEqual({
      hour: 20,
      minute: 0,
      weekday: 1,
      date: '2025-01-13',
    });
    expect(localParts(at('2025-01-14T02:00:00Z'), 'Asia/Tokyo')).toMatchObject({ hour: 11, weekday: 2 });
  });
});

describe('quiet hours', () => {
  it('wrap midnight: 22-7 covers late evening and early morning, local time', () => {
    const chicago = (iso: string) => inQuietHours(at(iso), 'America/Chicago', 22, 7);
    expect(chicago('2025-01-15T04:00:00Z')).toBe(true); // 22:00 CST
    expect(chicago('2025-01-15T12:59:00Z')).toBe(true); // 06:59
    expect(chicago('2025-01-15T13:00:00Z')).toBe(false); // 07:00
    expect(chicago('2025-01-15T03:59:00Z')).toBe(false); // 21:59
  });

  it('within a day: 9-17 covers office hours only', () => {
    const ny = (iso: string) => inQuietHours(at(iso), 'America/New_York', 9, 17);
    expect(ny('2025-06-02T13:00:00Z')).toBe(true); // 09:00 EDT
    expect(ny('2025-06-02T21:00:00Z')).toBe(false); // 17:00 EDT
    expect(ny('2025-06-02T12:59:00Z')).toBe(false);
  });

  it('are off when not set', () => {
    expect(inQuietHours(at('2025-01-15T04:00:00Z'), 'America/Chicago', null, null)).toBe(false);
  });
});

describe('when deferred alerts go out', () => {
  it('at the next local hour on the hour', () => {
    // 23:10 CST → 07:00 CST the next day = 13:00 UTC.
    expect(nextLocalHour(at('2025-01-15T05:10:00Z'), 'America/Chicago', 7)).toEqual(
      at('2025-01-15T13:00:00Z'),
    );
  });

  it('across the spring DST change: the night is an hour shorter', () => {
    // 00:30 EST on 2025-03-09 → 07:00 EDT the same morning = 11:00 UTC.
    expect(nextLocalHour(at('2025-03-09T05:30:00Z'), 'America/New_York', 7)).toEqual(
      at('2025-03-09T11:00:00Z'),
    );
  });

  it('across the autumn DST change: the night is an hour longer', () => {
    // 00:30 EDT on 2025-11-02 → 07:00 EST the same morning = 12:00 UTC.
    expect(nextLocalHour(at('2025-11-02T04:30:00Z'), 'America/New_York', 7)).toEqual(
      at('2025-11-02T12:00:00Z'),
    );
  });

  it('to an hour that occurs twice (01:00 on the autumn change day), the first of them', () => {
    // 23:30 EDT on 2025-11-01 → 01:00 EDT = 05:00 UTC (01:00 EST follows an hour later).
    expect(nextLocalHour(at('2025-11-02T03:30:00Z'), 'America/New_York', 1)).toEqual(
      at('2025-11-02T05:00:00Z'),
    );
  });
});

describe('digests', () => {
  const daily = { timezone: 'America/New_York', digest: 'daily' as const, digestHour: 8, lastDigestAt: null };
  const weekly = { ...daily, digest: 'weekly' as const };

  it('a daily digest is due in the user’s local digest hour, not outside it', () => {
    expect(digestDue(at('2025-01-15T13:00:00Z'), daily)).toBe(true); // 08:00 EST
    expect(digestDue(at('2025-01-15T13:59:00Z'), daily)).toBe(true);
    expect(digestDue(at('2025-01-15T14:00:00Z'), daily)).toBe(false);
    expect(digestDue(at('2025-01-15T12:59:00Z'), daily)).toBe(false);
  });

  it('follows the user across DST: 08:00 local is 12:00 UTC in summer', () => {
    expect(digestDue(at('2025-07-15T12:00:00Z'), daily)).toBe(true);
    expect(digestDue(at('2025-07-15T13:00:00Z'), daily)).toBe(false);
  });

  it('is not sent twice in the same hour (the schedule runs every 30 minutes)', () => {
    const sent = { ...daily, lastDigestAt: at('2025-01-15T13:00:05Z') };
    expect(digestDue(at('2025-01-15T13:30:00Z'), sent)).toBe(false);
    expect(digestDue(at('2025-01-16T13:00:00Z'), sent)).toBe(true);
  });

  it('a weekly digest is due on Mondays only, a week apart', () => {
    expect(digestDue(at('2025-01-13T13:00:00Z'), weekly)).toBe(true); // Monday 08:00 EST
    expect(digestDue(at('2025-01-14T13:00:00Z'), weekly)).toBe(false); // Tuesday
    const sent = { ...weekly, lastDigestAt: at('2025-01-13T13:00:00Z') };
    expect(digestDue(at('2025-01-20T13:00:00Z'), sent)).toBe(true);
  });

  it('an instant user gets no digest', () => {
    expect(digestDue(at('2025-01-15T13:00:00Z'), { ...daily, digest: 'instant' })).toBe(false);
  });
});
