import type { ParsedFiling } from '../../domain/filing';
import { extractPdfText } from './pdfText';
import { parseHousePtr } from './parsePtr';

/**
 * A House PTR PDF as a ParsedFiling: its text layer parsed, or kind `paper` when it has none
 * (a scanned filing). Rejects with ParseError when the bytes are not a readable PDF.
 */
export async function readHousePtrPdf(bytes: Uint8Array, docId: string): Promise<ParsedFiling> {
  return parseHousePtr(await extractPdfText(bytes), docId);
}
