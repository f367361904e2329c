import type { ParsedFiling } from '../../domain/filing';
import { extractPdfText } from './pdfText';
import { parseHousePtr } from './parsePtr';

export interface PtrJobInput {
  bytes: Uint8Array;
  docId: string;
  /** pdf.js's own deadline; the process's (longer) one is what really bounds the work. */
  timeoutMs: number;
}

/** Runs in a child process (ops/isolatedJob.ts): reads a House PTR PDF, reporting each page read. */
export async function readHousePtrJob(
  input: PtrJobInput,
  progress: (detail: { page: number; pages: number }) => void,
): Promise<ParsedFiling> {
  const text = await extractPdfText(input.bytes, {
    timeoutMs: input.timeoutMs,
    onPage: (page, pages) => progress({ page, pages }),
  });
  return parseHousePtr(text, input.docId);
}
