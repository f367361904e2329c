import { ParseError } from '../../../../domain/filing';

/** Jobs for the isolated-job runner's tests: each behaves as a kind of document can. */
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

/** Memory a job leaves behind in its process (a document that bloats it): about 200 MB kept. */
const kept: number[][] = [];
export async function swell(): Promise<number> {
  kept.push(new Array<number>(25_000_000).fill(1.5));
  return process.pid;
}
