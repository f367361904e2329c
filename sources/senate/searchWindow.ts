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
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
    hourCycle: 'h23',
  }).formatToParts(date);
  const get = (type: Intl.DateTimeFormatPartTypes) => parts.find((p) => p.type === type)?.value ?? '00';
  return `${get('month')}/${get('day')}/${get('year')} ${get('hour')}:${get('minute')}:${get('second')}`;
}
