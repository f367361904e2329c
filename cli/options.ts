/** Checks of command-line values, failing with one line in the style of the other commands. */

/** `value` if it is one of `allowed`; undefined when not given. */
export function oneOf<T extends string>(
  option: string,
  value: string | undefined,
  allowed: readonly T[],
): T | undefined {
  if (value === undefined) return undefined;
  if (!(allowed as readonly string[]).includes(value)) {
    throw new Error(`${option} must be ${listOf(allowed)}, not "${value}"`);
  }
  return value as T;
}

export function positiveInt(option: string, value: string): number {
  if (!/^\d+$/.test(value.trim()) || Number(value) < 1) {
    throw new Error(`${option} must be a whole number of 1 or more, not "${value}"`);
  }
  return Number(value);
}

/**
 * A moment in the past: an ISO date or date-time (`2025-06-01`, `2025-06-01T14:00Z`; a date alone is
 * midnight UTC), or how long ago (`90m`, `2h`, `3d`).
 */
export function pastTime(option: string, value: string, now = new Date()): Date {
  const v = value.trim();
  const ago = /^(\d+)\s*(m|h|d)$/.exec(v);
  const units = { m: 60_000, h: 3_600_000, d: 86_400_000 } as const;
  let at = new Date(NaN);
  if (ago) at = new Date(now.getTime() - Number(ago[1]) * units[ago[2] as keyof typeof units]);
  else if (/^\d{4}-\d{2}-\d{2}$/.test(v)) at = new Date(`${v}T00:00:00Z`);
  else if (/^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}/.test(v)) {
    // Without a zone, UTC: the zone every table of this command shows.
    at = new Date(/(Z|[+-]\d{2}:?\d{2})$/i.test(v) ? v.replace(' ', 'T') : `${v.replace(' ', 'T')}Z`);
  }
  if (Number.isNaN(at.getTime()) || at.getTime() > now.getTime()) {
    throw new Error(
      `${option} must be a past date or time (2025-06-01, 2025-06-01T14:00Z) or how long ago (90m, 2h, 3d), not "${value}"`,
    );
  }
  return at;
}

/** `a`, `a or b`, `one of a, b, c`. */
function listOf(values: readonly string[]): string {
  if (values.length <= 2) return values.join(' or ');
  return `one of ${values.join(', ')}`;
}

/** Commander's reducer for an option that may be repeated (`--queue a --queue b`). */
export function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}
