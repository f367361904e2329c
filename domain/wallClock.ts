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
 * What a clock in `timeZone` shows at `at`. The formatter is made per call, not kept at module level,
 * so workflow code (market hours) can use it too: workflows keep no module state.
 */
export function wallClock(at: Date, timeZone: string): WallClock {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
      weekday: 'short',
    })
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
