import type { ParsedFiling } from '../../domain/filing';
import { readScannedPtr, type ScannedPtrOptions } from './paper/readScannedPtr';
import { extractPdfText } from './pdfText';
import { parseHousePtr } from './parsePtr';

/**
 * A House PTR PDF as a ParsedFiling: its text layer parsed, or kind `paper` when it has none
 * (a scanned filing). With `scans`, a scanned filing's rows are read from its images (OCR in a
 * worker thread); without, it has none. Rejects with ParseError when the bytes are not a readable PDF.
 */
export async function readHousePtrPdf(
  bytes: Uint8Array,
  docId: string,
  options: { scans?: ScannedPtrOptions } = {},
): Promise<ParsedFiling> {
  return withScannedRows(parseHousePtr(await extractPdfText(bytes), docId), bytes, docId, options.scans);
}

/**
 * A PTR read from its text layer, with a scanned paper filing's rows read from its images when
 * `scans` says how (OCR in a child process); an e-filed one as it is.
 */
export async function withScannedRows(
  parsed: ParsedFiling,
  bytes: Uint8Array,
  docId: string,
  scans: ScannedPtrOptions | undefined,
): Promise<ParsedFiling> {
  if (parsed.kind !== 'paper' || !scans) return parsed;
  const read = await readScannedPtr(bytes, docId, scans);
  return { ...read, filerName: read.filerName || parsed.filerName };
}
