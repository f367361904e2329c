import { ParseError, type ParsedFiling } from '../../../domain/filing';
import { runIsolated, IsolatedJobError } from '../../../ops/isolatedJob';
import type { PaperReadOptions } from './readPaperPtr';
import { indexIssuers, resolveTicker, type KnownIssuer } from './resolveTicker';
import type { PaperJobInput } from './ocrJob';

export interface ScanLimits {
  timeoutMs: number;
  memoryMb: number;
}

export interface ScannedPtrOptions extends Omit<PaperReadOptions, 'onPage'> {
  limits: ScanLimits;
  /** Issuers seen in e-filed reports, to resolve tickers from asset names (none: no tickers). */
  issuers?: KnownIssuer[];
  onPage?: (page: number) => void;
  signal?: AbortSignal;
  /** Runs the read when the process has room for it (see ops/slots.ts); at once by default. */
  slot?: <T>(read: () => Promise<T>) => Promise<T>;
}

/**
 * Reads a scanned paper House PTR in a child process of its own, bounded in heap and time (OCR's
 * 0.55-0.7 GB a scan leaves with it instead of growing the worker), then resolves each row's ticker
 * against known issuers. A scan that cannot be read within its limits is a ParseError naming the
 * limit: ingestion records the filing as failed with it, for `filings retry` once the limit is raised.
 */
export async function readScannedPtr(
  bytes: Uint8Array,
  docId: string,
  options: ScannedPtrOptions,
): Promise<ParsedFiling> {
  const { limits, issuers, onPage, signal, slot = (f) => f(), ...read } = options;
  const input: PaperJobInput = { bytes, docId, options: read };
  let filing: ParsedFiling;
  try {
    filing = await slot(() =>
      runIsolated<ParsedFiling, { page: number }>({
        module: new URL('./ocrJob.ts', import.meta.url),
        exportName: 'readPaperPtrJob',
        input,
        timeoutMs: limits.timeoutMs,
        maxOldGenerationSizeMb: limits.memoryMb,
        onProgress: (p) => onPage?.(p.page),
        signal,
      }),
    );
  } catch (err) {
    if (err instanceof IsolatedJobError && err.reason !== 'aborted') {
      throw new ParseError(`scanned PTR ${docId} could not be read: ${err.message}`);
    }
    throw err;
  }
  return withTickers(filing, issuers ?? []);
}

/**
 * Rows with their ticker resolved from the asset name against known issuers: trusted (confidence at
 * or above CONFIDENT) only where one issuer clearly fits; otherwise the likeliest, kept for operators.
 */
export function withTickers(filing: ParsedFiling, issuers: KnownIssuer[]): ParsedFiling {
  const index = indexIssuers(issuers);
  return {
    ...filing,
    transactions: filing.transactions.map((t) => {
      if (!t.readFromScan || !t.confidence) return t;
      const r = resolveTicker(t.assetName, t.confidence.assetName, index);
      return { ...t, ticker: r.ticker, confidence: { ...t.confidence, ticker: r.confidence } };
    }),
  };
}
