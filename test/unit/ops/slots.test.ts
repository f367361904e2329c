import { describe, expect, it } from 'vitest';
import { createSlots } from '../../../ops/slots';

describe('slots for heavy work', () => {
  it('runs at most n at once, the others in the order they came, and frees a slot on failure', async () => {
    const slot = createSlots(2);
    let running = 0;
    let most = 0;
    const started: number[] = [];
    const releases: (() => void)[] = [];
    const job = (i: number, fail = false) =>
      slot(async () => {
        started.push(i);
        most = Math.max(most, ++running);
        await new Promise<void>((done) => releases.push(done));
        running--;
        if (fail) throw new Error(`job ${i} failed`);
        return i;
      });
    const jobs = [job(1, true), job(2), job(3), job(4)];
    await new Promise((r) => setImmediate(r));
    expect(started).toEqual([1, 2]);
    releases.shift()!();
    await expect(jobs[0]).rejects.toThrow('job 1 failed');
    await new Promise((r) => setImmediate(r));
    expect(started).toEqual([1, 2, 3]);
    while (releases.length) {
      releases.shift()!();
      await new Promise((r) => setImmediate(r));
    }
    expect(await Promise.all(jobs.slice(1))).toEqual([2, 3, 4]);
    expect(most).toBe(2);
  });
});
