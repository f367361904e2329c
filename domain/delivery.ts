import type { DigestMode } from './rules';

/** Wall-clock parts of an instant in a time zone. */
export function localParts(
  at: Date,
  timeZone: string,
): { hour: number; minute: number; weekday: number; date: string } {
  const parts = Object.fromEntries(
    partsFormat(timeZone)
      .formatToParts(at)
      .map((p) => [p.type, p.value]),
  );
  const weekday = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'].indexOf(parts.weekday!);
  return {
    hour: Number(parts.hour),
    minute: Number(parts.minute),
    weekday,
    date: `${parts.year}-${parts.month}-${parts.day}`,
  };
}

/**
 * One formatter per time zone, made on first use: building an Intl.DateTimeFormat costs far more than
 * using one, and digests and quiet hours ask for many users at a time.
 */
const partsFormats = new Map<string, Intl.DateTimeFormat>();
function partsFormat(timeZone: string): Intl.DateTimeFormat {
  let f = partsFormats.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      weekday: 'short',
    });
    partsFormats.set(timeZone, f);
  }
  return f;
}

/** Quiet hours `start`–`end` (local hours, may wrap midnight: 22–7). */
export function inQuietHours(at: Date, timeZone: string, start: number | null, end: number | null): boolean {
  if (start === null || end === null) return false;
  const { hour } = localParts(at, timeZone);
  return start < end ? hour >= start && hour < end : hour >= start || hour < end;
}

/** The next instant at which the local hour is `end`, on the hour: when deferred alerts go out. */
export function nextLocalHour(at: Date, timeZone: string, end: number): Date {
  const { minute } = localParts(at, timeZone);
  let t = new Date(Math.floor(at.getTime() / 60_000) * 60_000 + (60 - minute) * 60_000);
  for (let i = 0; i < 26 && localParts(t, timeZone).hour !== end; i++) t = new Date(t.getTime() + 3_600_000);
  return t;
}

/** Weekly digests go out on Mondays. */
export const WEEKLY_DIGEST_WEEKDAY = 1;

/**
 * Whether a digest is due now: in the user's digest hour (local), on Monday for weekly, and not
 * already sent in this period (the schedule runs every 30 minutes, so twice in that hour).
 */
export function digestDue(
  now: Date,
  user: { timezone: string; digest: DigestMode; digestHour: number; lastDigestAt: Date | null },
): boolean {
  if (user.digest === 'instant') return false;
  const local = localParts(now, user.timezone);
  if (local.hour !== user.digestHour) return false;
  if (user.digest === 'weekly' && local.weekday !== WEEKLY_DIGEST_WEEKDAY) return false;
  const minGapHours = user.digest === 'daily' ? 20 : 6 * 24;
  return !user.lastDigestAt || now.getTime() - user.lastDigestAt.getTime() > minGapHours * 3_600_000;
}
