import { describe, expect, it } from 'vitest';
import { mapPool } from '../../../workflows/pool';

/** A task the test settles by hand, so the pool's order and limit can be watched step by step. */
interface Pending {
  item: number;
  ok: (r: string) => void;
  fail: (e: Error) => void;
}

function controlled() {
  const pending: Pending[] = [];
  const started: number[] = [];
  const fn = (item: number) =>
    new Promise<string>((ok, fail) => {
      started.push(item);
      pending.push({ item, ok, fail });
    });
  const take = (item: number) => {
    const i = pending.findIndex((p) => p.item === item);
    return pending.splice(i, 1)[0]!;
  };
  return { fn, started, pending, take };
}

const tick = () => new Promise((r) => setImmediate(r));

describe('mapPool', () => {
  it('starts items in order, never more than the limit at once, and returns results in input order', async () => {
    const { fn, started, pending, take } = controlled();
    const all = mapPool([1, 2, 3, 4, 5], 2, fn);
    expect(started).toEqual([1, 2]);
    take(2).ok('two');
    await tick();
    expect(started).toEqual([1, 2, 3]);
    expect(pending.length).toBe(2);
    take(1).ok('one');
    take(3).ok('three');
    await tick();
    expect(started).toEqual([1, 2, 3, 4, 5]);
    take(5).ok('five');
    take(4).ok('four');
    expect(await all).toEqual(['one', 'two', 'three', 'four', 'five']);
  });

  it('turns a failure into a result with recover, and goes on with the rest', async () => {
    const results = await mapPool(
      [1, 2, 3, 4],
      3,
      async (n) => {
        if (n % 2 === 0) throw new Error(`no ${n}`);
        return `ok ${n}`;
      },
      (n, err) => `recovered ${n}: ${(err as Error).message}`,
    );
    expect(results).toEqual(['ok 1', 'recovered 2: no 2', 'ok 3', 'recovered 4: no 4']);
  });

  it('rejects with the first failure without recover', async () => {
    await expect(
      mapPool([1, 2, 3], 1, async (n) => {
        if (n === 2) throw new Error('second failed');
        return n;
      }),
    ).rejects.toThrow('second failed');
  });

  it('treats a function that throws before returning a promise like one that rejects', async () => {
    const fn = (n: number): Promise<number> => {
      if (n === 1) throw new Error('thrown at once');
      return Promise.resolve(n);
    };
    expect(await mapPool([1, 2], 1, fn, () => -1)).toEqual([-1, 2]);
    await expect(mapPool([1, 2], 1, fn)).rejects.toThrow('thrown at once');
  });

  it('rejects when recover itself throws', async () => {
    await expect(
      mapPool(
        [1],
        1,
        () => Promise.reject(new Error('send failed')),
        () => {
          throw new Error('recover failed');
        },
      ),
    ).rejects.toThrow('recover failed');
  });

  it('resolves an empty list at once, and runs one at a time under a limit below one', async () => {
    expect(await mapPool([], 5, async () => 1)).toEqual([]);
    expect(await mapPool([1, 2, 3], 0, async (n) => n * 2)).toEqual([2, 4, 6]);
  });
});
