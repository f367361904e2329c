import { ParseError, type ParsedFiling } from '../../domain/filing';
import { runIsolated, IsolatedJobError } from '../../ops/isolatedJob';
import type { ScannedPtrOptions } from './paper/readScannedPtr';
import type { PtrJobInput } from './ptrJob';
import { withScannedRows } from './readPtr';

export interface PdfLimits {
  /** The process is stopped when reading takes longer than this. */
  timeoutMs: number;
  /** Heap of the process (MiB); a document that needs more ends that process, not this one. */
  memoryMb: number;
}

/**
 * A House PTR PDF as a ParsedFiling (`readHousePtrPdf`), its text layer read in a child process of
 * its own, bounded in heap and time, so one document cannot take this process down (a worker
 * thread's heap limit is not enough: see ops/isolatedJob.ts). A scanned filing's rows are then read
 * as `scans` says. A document that is not a readable PTR is a ParseError; one that ran past a limit
 * (or crashed its process) is an IsolatedJobError whose `reason` says which (`timeout`,
 * `out_of_memory`, `crashed`): the caller decides whether to try again.
 */
export async function readHousePtrPdfIsolated(
  bytes: Uint8Array,
  docId: string,
  options: {
    limits: PdfLimits;
    onPage?: (page: number, pages: number) => void;
    signal?: AbortSignal;
    scans?: ScannedPtrOptions;
  },
): Promise<ParsedFiling> {
  return withScannedRows(await readTextLayer(bytes, docId, options), bytes, docId, options.scans);
}

async function readTextLayer(
  bytes: Uint8Array,
  docId: string,
  options: { limits: PdfLimits; onPage?: (page: number, pages: number) => void; signal?: AbortSignal },
): Promise<ParsedFiling> {
  const input: PtrJobInput = { bytes, docId, timeoutMs: options.limits.timeoutMs * 2 };
  try {
    return await runIsolated<ParsedFiling, { page: number; pages: number }>({
      module: new URL('./ptrJob.ts', import.meta.url),
      exportName: 'readHousePtrJob',
      input,
      timeoutMs: options.limits.timeoutMs,
      maxOldGenerationSizeMb: options.limits.memoryMb,
      onProgress: (p) => options.onPage?.(p.page, p.pages),
      signal: options.signal,
    });
  } catch (err) {
    if (err instanceof IsolatedJobError && err.reason === 'failed' && err.causeName === 'ParseError') {
      throw new ParseError(err.message);
    }
    throw err;
  }
}
