import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ParseError } from '../../../../domain/filing';
import { readScannedPtr } from '../../../../sources/house/paper/readScannedPtr';
import { answerPdf, loadAnswers } from '../../../support/paperAnswers';

const answer = loadAnswers().find((a) => a.docId === '8220747')!;

/** The processes this test process has started and that still run (Linux: /proc). */
function childPids(): Set<number> {
  const pids = new Set<number>();
  for (const task of readdirSync('/proc/self/task')) {
    const text = readFileSync(`/proc/self/task/${task}/children`, 'utf8').trim();
    for (const pid of text ? text.split(/\s+/) : []) pids.add(Number(pid));
  }
  return pids;
}

describe('readScannedPtr', () => {
  it('reads a scan in a child process of its own, so its heap limit holds for sure', async () => {
    const before = childPids();
    const during: number[] = [];
    const filing = await readScannedPtr(answerPdf(answer), answer.docId, {
      limits: { timeoutMs: 120_000, memoryMb: 512 },
      onPage: () => during.push(...[...childPids()].filter((pid) => !before.has(pid))),
    });
    expect(filing.transactions).toHaveLength(1);
    expect(during.length).toBeGreaterThan(0);
  }, 120_000);

  it('a scan that outgrows its heap is a ParseError naming the limit, and the worker goes on', async () => {
    const read = readScannedPtr(answerPdf(answer), answer.docId, {
      limits: { timeoutMs: 120_000, memoryMb: 16 },
    });
    await expect(read).rejects.toThrow(ParseError);
    await expect(read).rejects.toThrow(/could not be read: readPaperPtrJob ran out of its 16 MiB heap/);
  }, 120_000);
});
