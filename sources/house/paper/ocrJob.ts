import type { ParsedFiling } from '../../../domain/filing';
import { readPaperPtr, type PaperReadOptions } from './readPaperPtr';

export interface PaperJobInput {
  bytes: Uint8Array;
  docId: string;
  options: Omit<PaperReadOptions, 'onPage'>;
}

/** Runs in a child process (ops/isolatedJob.ts): reads a scanned PTR, reporting each page done. */
export async function readPaperPtrJob(
  input: PaperJobInput,
  progress: (detail: { page: number }) => void,
): Promise<ParsedFiling> {
  return readPaperPtr(input.bytes, input.docId, { ...input.options, onPage: (page) => progress({ page }) });
}
