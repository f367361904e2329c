import { ParseError } from '../../../../domain/filing';

/** Jobs for the worker-thread runner's tests: each behaves as a kind of document can. */
export async function echo(input: { n: number }, progress: (d: { step: number }) => void) {
  for (let step = 1; step <= 3; step++) progress({ step });
  return { doubled: input.n * 2 };
}

export async function refuse(): Promise<never> {
  throw new ParseError('not a PTR');
}

export function spin(): Promise<never> {
  for (;;) {
    // Never yields: only terminating the thread or process stops it.
  }
}

/** Grows one array past any heap: the allocation pattern that aborts a whole process from a thread. */
export async function hoard(): Promise<number> {
  const numbers: number[] = [];
  for (let i = 0; ; i++) numbers.push(i);
}

/** Which process ran the job (a warm process is reused). */
export async function pid(): Promise<number> {
  return process.pid;
}
