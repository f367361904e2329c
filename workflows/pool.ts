/**
 * Run `fn` over `items` with at most `limit` in flight; results in input order. Deterministic: the
 * items start in order, and each one that settles starts the next. With `recover`, an item's failure
 * becomes its result; without, the first failure rejects the whole (the others still run out).
 *
 * One `then` per item, not async lanes: the SDK records a stack for every promise workflow code makes
 * (for the stack-trace query), the largest cost of a fan-out's workflow thread, and a lane's `await`
 * plus a caller's `catch` made two promises per item where this makes one.
 */
export function mapPool<T, R>(
  items: readonly T[],
  limit: number,
  fn: (item: T) => Promise<R>,
  recover?: (item: T, err: unknown) => R,
): Promise<R[]> {
  return new Promise<R[]>((resolve, reject) => {
    const results = new Array<R>(items.length);
    let started = 0;
    let settled = 0;
    const settle = (i: number, result: R): void => {
      results[i] = result;
      if (++settled === items.length) resolve(results);
      else if (started < items.length) startNext();
    };
    const fail = (i: number, err: unknown): void => {
      if (!recover) return reject(err);
      try {
        settle(i, recover(items[i]!, err));
      } catch (recoverErr) {
        reject(recoverErr);
      }
    };
    const startNext = (): void => {
      const i = started++;
      let running: Promise<R>;
      try {
        running = fn(items[i]!);
      } catch (err) {
        return fail(i, err);
      }
      running.then(
        (result) => settle(i, result),
        (err: unknown) => fail(i, err),
      );
    };
    if (items.length === 0) resolve(results);
    for (let k = Math.min(Math.max(limit, 1), items.length); k > 0; k--) startNext();
  });
}
