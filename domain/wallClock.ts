/** A zone's wall-clock reading of an instant (DST included), as `Intl` gives it. */
export interface WallClock {
  /** `YYYY-MM-DD`. */
  date: string;
  year: string;
  month: string;
  day: string;
  hour: number;
  minute: number;
  second: number;
  /** 0 = Sunday. */
  weekday: number;
}

const WEEKDAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];

/**
 * One formatter per time zone, made on first use: building an Intl.DateTimeFormat costs far more than
 * using one, and digests and quiet hours ask about many users at a time. A memo of immutable
 * formatters never changes a result, so workflow code (market hours) may share it too.
 */
const formats = new Map<string, Intl.DateTimeFormat>();

function formatFor(timeZone: string): Intl.DateTimeFormat {
  let f = formats.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
      weekday: 'short',
    });
    formats.set(timeZone, f);
  }
  return f;
}

/** What a clock in `timeZone` shows at `at`. */
export function wallClock(at: Date, timeZone: string): WallClock {
  const parts = Object.fromEntries(
    formatFor(timeZone)
      .formatToParts(at)
      .map((p) => [p.type, p.value]),
  );
  const year = parts.year!;
  const month = parts.month!;
  const day = parts.day!;
  return {
    date: `${year}-${month}-${day}`,
    year,
    month,
    day,
    hour: Number(parts.hour),
    minute: Number(parts.minute),
    second: Number(parts.second),
    weekday: WEEKDAYS.indexOf(parts.weekday!),
  };
}
