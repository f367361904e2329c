/**
 * At most `n` of the calls given to `run` at once in this process; the others wait their turn, first
 * come first served. For work that is heavy in memory (OCR of a scanned filing), so a burst of it
 * cannot take more than a process can hold.
 */
export function createSlots(n: number): <T>(fn: () => Promise<T>) => Promise<T> {
  let busy = 0;
  const waiting: (() => void)[] = [];
  return async <T>(fn: () => Promise<T>): Promise<T> => {
    if (busy >= n) await new Promise<void>((turn) => waiting.push(turn));
    else busy++;
    try {
      return await fn();
    } finally {
      const next = waiting.shift();
      if (next) next();
      else busy--;
    }
  };
}
