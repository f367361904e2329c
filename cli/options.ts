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

/** `a`, `a or b`, `one of a, b, c`. */
function listOf(values: readonly string[]): string {
  if (values.length <= 2) return values.join(' or ');
  return `one of ${values.join(', ')}`;
}
