import { wallClock } from '../../domain/wallClock';

const HOUR_MS = 3_600_000;

/**
 * Where the next eFD search starts: the last successful sync minus an overlap (filings are
 * stamped when received, and a report can appear in search a while after that; re-finding a few is
 * harmless because ingest is idempotent), or, on the first run, `firstRunLookbackDays` back from now.
 */
export function searchWindowStart(
  lastSuccessfulSync: Date | null,
  overlapHours: number,
  firstRunLookbackDays: number,
  now: Date = new Date(),
): Date {
  if (!(overlapHours >= 0))
    throw new RangeError(`overlapHours must be a non-negative number, got ${overlapHours}`);
  if (!(firstRunLookbackDays >= 0)) {
    throw new RangeError(`firstRunLookbackDays must be a non-negative number, got ${firstRunLookbackDays}`);
  }
  const start = lastSuccessfulSync
    ? lastSuccessfulSync.getTime() - overlapHours * HOUR_MS
    : now.getTime() - firstRunLookbackDays * 24 * HOUR_MS;
  // A clock skewed into the future must not make the window start after now.
  return new Date(Math.min(start, now.getTime()));
}

/** The eFD's `submitted_start_date` format, `MM/DD/YYYY HH:MM:SS`, in the site's time zone. */
export function formatEfdDateTime(date: Date, timeZone = 'America/New_York'): string {
  const c = wallClock(date, timeZone);
  const two = (n: number) => String(n).padStart(2, '0');
  return `${c.month}/${c.day}/${c.year} ${two(c.hour)}:${two(c.minute)}:${two(c.second)}`;
}
