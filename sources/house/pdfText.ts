import {
  getDocument,
  OPS,
  type PDFDocumentLoadingTask,
  type PDFDocumentProxy,
} from 'pdfjs-dist/legacy/build/pdf.mjs';
import type { TextItem } from 'pdfjs-dist/types/src/display/api';
import { ParseError } from '../../domain/filing';

/** Separates pages in the extracted text, so a parser can tell a page break from a line break. */
export const PAGE_BREAK = '\f';

/** A document that takes longer than this is treated as broken rather than left to block a worker. */
const DEFAULT_TIMEOUT_MS = 30_000;

/** Items whose baselines differ by less than this (in PDF points) sit on one line. */
const SAME_LINE_TOLERANCE = 2;

/** A gap narrower than this (in points) between two items means they touch: no space between them. */
const ADJACENT_GAP = 0.5;

export interface PdfTextOptions {
  timeoutMs?: number;
  /** Called after each page is read (for heartbeats from a worker thread). */
  onPage?: (page: number, pages: number) => void;
}

/** True when the bytes start like a PDF file (`%PDF-`). */
export function isPdf(bytes: Uint8Array): boolean {
  return (
    bytes.length >= 5 &&
    bytes[0] === 0x25 &&
    bytes[1] === 0x50 &&
    bytes[2] === 0x44 &&
    bytes[3] === 0x46 &&
    bytes[4] === 0x2d
  );
}

/**
 * Open a PDF with pdf.js as a service should: no eval, no fonts or workers fetched, no WebAssembly,
 * no console noise. No onPassword handler: a document that needs more than the empty password
 * rejects (PasswordException) instead of waiting for one.
 */
export function openPdf(bytes: Uint8Array, options: { stopAtErrors?: boolean } = {}): PDFDocumentLoadingTask {
  return getDocument({
    // A copy, as a plain Uint8Array: pdf.js refuses Node Buffers and detaches the buffer it is given.
    data: new Uint8Array(bytes),
    isEvalSupported: false,
    disableFontFace: true,
    useSystemFonts: false,
    useWorkerFetch: false,
    useWasm: false,
    stopAtErrors: options.stopAtErrors ?? false,
    verbosity: 0,
  });
}

/**
 * The text layer of a PDF, one line per run of text sharing a baseline (ordered top to bottom, then
 * left to right), pages separated by `\f`. A scanned document yields only page breaks.
 * Rejects with ParseError for anything that is not a readable PDF.
 */
export async function extractPdfText(bytes: Uint8Array, options: PdfTextOptions = {}): Promise<string> {
  if (!isPdf(bytes)) throw new ParseError(`not a PDF: ${describeStart(bytes)}`);
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  let task: PDFDocumentLoadingTask | undefined;
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new ParseError(`PDF text extraction timed out after ${timeoutMs} ms`)),
      timeoutMs,
    );
  });
  try {
    task = openPdf(bytes, { stopAtErrors: true });
    return await Promise.race([readPages(task.promise, options.onPage), timeout]);
  } catch (err) {
    if (err instanceof ParseError) throw err;
    const reason = err instanceof Error ? `${err.name}: ${err.message}` : String(err);
    throw new ParseError(`unreadable PDF (${reason})`);
  } finally {
    clearTimeout(timer);
    await task?.destroy().catch(() => undefined);
  }
}

async function readPages(
  loading: Promise<PDFDocumentProxy>,
  onPage: PdfTextOptions['onPage'],
): Promise<string> {
  const doc = await loading;
  const pages: string[] = [];
  for (let n = 1; n <= doc.numPages; n++) {
    const page = await doc.getPage(n);
    const content = await page.getTextContent();
    const items = content.items.filter((item): item is TextItem => 'str' in item);
    pages.push(linesOf(items).join('\n'));
    page.cleanup();
    onPage?.(n, doc.numPages);
  }
  // No text is normal for a scan, whose pages only draw images. pdf.js skips what it cannot
  // decode instead of failing, so a damaged document can also come out empty: tell them apart.
  if (pages.every((page) => page === '')) {
    const drawn = await drawnContent(doc);
    if (drawn.text) {
      throw new ParseError('PDF draws text that could not be extracted (damaged fonts or streams?)');
    }
    if (!drawn.images) {
      throw new ParseError(`PDF has neither text nor images on its ${doc.numPages} page(s): damaged?`);
    }
  }
  return pages.join(`\n${PAGE_BREAK}\n`);
}

const IMAGE_OPS = new Set<number>([
  OPS.paintImageXObject,
  OPS.paintInlineImageXObject,
  OPS.paintImageMaskXObject,
]);
const TEXT_OPS = new Set<number>([
  OPS.showText,
  OPS.showSpacedText,
  OPS.nextLineShowText,
  OPS.nextLineSetSpacingShowText,
]);

async function drawnContent(doc: PDFDocumentProxy): Promise<{ text: boolean; images: boolean }> {
  const drawn = { text: false, images: false };
  for (let n = 1; n <= doc.numPages; n++) {
    const page = await doc.getPage(n);
    const ops = await page.getOperatorList();
    page.cleanup();
    drawn.text ||= ops.fnArray.some((op) => TEXT_OPS.has(op));
    drawn.images ||= ops.fnArray.some((op) => IMAGE_OPS.has(op));
  }
  return drawn;
}

interface Placed {
  x: number;
  y: number;
  width: number;
  text: string;
}

/** Rebuilds lines from positioned text items: same baseline → same line, ordered by x. */
export function linesOf(items: readonly TextItem[]): string[] {
  const placed: Placed[] = [];
  for (const item of items) {
    // Small-caps headings come out as letters padded with NUL characters.
    const text = item.str.replace(/\0/g, '');
    if (text === '') continue;
    placed.push({ x: item.transform[4] ?? 0, y: item.transform[5] ?? 0, width: item.width, text });
  }
  // Top of the page first (PDF y grows upwards), then left to right.
  placed.sort((a, b) => b.y - a.y || a.x - b.x);
  const rows: Placed[][] = [];
  for (const item of placed) {
    const row = rows.at(-1);
    if (row && Math.abs((row[0]?.y ?? 0) - item.y) < SAME_LINE_TOLERANCE) row.push(item);
    else rows.push([item]);
  }
  const lines: string[] = [];
  for (const row of rows) {
    row.sort((a, b) => a.x - b.x);
    let line = '';
    let end = -Infinity;
    for (const item of row) {
      if (item.text.trim() === '') {
        // A space item separates what is on either side of it, but its width says nothing of
        // where the next text starts: some reports give it one spanning several columns, which
        // would glue the next columns together (`Holding L.P.P 12/22/2020` for type P).
        line += ' ';
        continue;
      }
      if (line !== '' && item.x - end > ADJACENT_GAP) line += ' ';
      line += item.text;
      end = Math.max(end, item.x + item.width);
    }
    const clean = line.replace(/\s+/g, ' ').trim();
    if (clean !== '') lines.push(clean);
  }
  return lines;
}

function describeStart(bytes: Uint8Array): string {
  if (bytes.length === 0) return 'empty body';
  const head = new TextDecoder('utf-8', { fatal: false }).decode(bytes.subarray(0, 40));
  return `starts with ${JSON.stringify(head.replace(/\s+/g, ' ').trim())} (${bytes.length} bytes)`;
}
