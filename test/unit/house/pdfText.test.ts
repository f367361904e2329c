import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fixturePath } from '../../support/fixtures';
import { ParseError } from '../../../domain/filing';
import type { TextItem } from 'pdfjs-dist/types/src/display/api';
import { extractPdfText, isPdf, linesOf, PAGE_BREAK } from '../../../sources/house/pdfText';

const clerk = fixturePath('house-clerk');
const pdf = (docId: string) =>
  new Uint8Array(readFileSync(join(clerk, 'public_disc/ptr-pdfs/2025', `${docId}.pdf`)));
const FIXTURES = readdirSync(join(clerk, 'public_disc/ptr-pdfs/2025'))
  .filter((f) => f.endsWith('.pdf'))
  .map((f) => f.replace(/\.pdf$/, ''));

/** Non-space characters of a text, counted: the same text in any line order gives the same counts. */
function characters(text: string): Map<string, number> {
  const counts = new Map<string, number>();
  for (const ch of text.replace(/[\s\0]/g, '')) counts.set(ch, (counts.get(ch) ?? 0) + 1);
  return new Map([...counts].sort());
}

describe('extractPdfText', () => {
  it('rebuilds lines by baseline, joins columns, strips NULs and marks page breaks', async () => {
    const text = await extractPdfText(pdf('20026590'));
    expect(text).not.toContain('\0');
    const pages = text.split(PAGE_BREAK).map((page) => page.trim().split('\n'));
    expect(pages).toHaveLength(2);
    const [first = [], second = []] = pages;
    expect(first).toContain('Name: Hon. Nancy Pelosi');
    expect(first).toContain('State/District: CA11');
    // Small-caps headings lose their NUL padding ("Filing Status", "Description").
    expect(first).toContain('F S: New');
    // The first line of a row holds owner, asset start, type, dates and the amount's first half;
    // the next line holds the rest of the asset name and of the amount.
    const row = first.indexOf('SP Alphabet Inc. - Class A Common P 01/14/2025 01/14/2025 $250,001 -');
    expect(row).toBeGreaterThan(0);
    expect(first.slice(row + 1, row + 4)).toEqual([
      'Stock (GOOGL) [OP] $500,000',
      'F S: New',
      'D: Purchased 50 call options with a strike price of $150 and an expiration date of 1/16/26.',
    ]);
    // The second page repeats the column header, then finishes the row cut by the page break.
    expect(second.slice(0, 4)).toEqual([
      'ID Owner Asset Transaction Date Notification Amount Cap.',
      'Type Date Gains >',
      '$200?',
      'D: Purchased 50 call options with a strike price of $80 and an expiration date of 1/16/26.',
    ]);
    expect(second.at(-1)).toBe('Digitally Signed: Hon. Nancy Pelosi , 01/17/2025');
  });

  it('keeps every character another extractor (pypdf) finds, page by page', async () => {
    for (const docId of FIXTURES) {
      const mine = (await extractPdfText(pdf(docId))).split(PAGE_BREAK);
      const theirs = readFileSync(join(clerk, 'ptr-text', `${docId}.pypdf.txt`), 'utf8')
        .split(/=== page \d+ ===/)
        .slice(1);
      expect(mine.length, docId).toBe(theirs.length);
      mine.forEach((page, i) =>
        expect(characters(page), `${docId} page ${i + 1}`).toEqual(characters(theirs[i] ?? '')),
      );
    }
  });

  it('gives only page breaks for a scanned paper filing', async () => {
    const text = await extractPdfText(pdf('8220747'));
    expect(text.split(PAGE_BREAK)).toHaveLength(2);
    expect(text.replace(/\n/g, '')).toBe(PAGE_BREAK);
  });

  it('leaves the caller’s bytes usable', async () => {
    const bytes = pdf('20026489');
    await extractPdfText(bytes);
    expect(bytes.length).toBeGreaterThan(60_000);
    expect(isPdf(bytes)).toBe(true);
  });

  it('reads a Node Buffer (what HTTP clients hand over) the same as a Uint8Array', async () => {
    const buffer = readFileSync(join(clerk, 'public_disc/ptr-pdfs/2025/20026489.pdf'));
    const copy = Buffer.from(buffer);
    expect(await extractPdfText(buffer)).toBe(await extractPdfText(pdf('20026489')));
    expect(buffer.equals(copy)).toBe(true);
  });
});

describe('linesOf', () => {
  /** A text item as pdf.js gives it: its text, where its baseline starts, how wide it is. */
  const item = (str: string, x: number, y: number, width: number): TextItem => ({
    str,
    dir: 'ltr',
    transform: [9, 0, 0, 9, x, y],
    width,
    height: 9,
    fontName: 'g_d0_f1',
    hasEOL: false,
  });

  it('joins touching items and spaces the others', () => {
    expect(
      linesOf([
        item('Micro', 121.5, 444.75, 24),
        item('soft', 145.5, 444.75, 18),
        item('P', 253.5, 444.75, 5.49),
        item('Amount', 121.5, 400, 30),
      ]),
    ).toEqual(['Microsoft P', 'Amount']);
  });

  it('does not let a space item as wide as several columns glue the columns it spans', () => {
    // Filing ID #20018539 (2021): each space item of a row runs far past the next columns.
    const row = [
      item('2000074389 SP', 25.5, 444.75, 67.52),
      item(' ', 93.02, 444.75, 1215.1),
      item('AllianceBernstein Holding L.P.', 121.5, 444.75, 123.5),
      item('P', 253.5, 444.75, 5.49),
      item(' ', 258.99, 444.75, 2549.76),
      item('12/22/2020 12/22/2020', 318.75, 444.75, 101.77),
      item(' ', 420.52, 444.75, 713.86),
      item('$500,001 -', 437.25, 444.75, 44.18),
    ];
    expect(linesOf(row)).toEqual([
      '2000074389 SP AllianceBernstein Holding L.P. P 12/22/2020 12/22/2020 $500,001 -',
    ]);
  });
});

describe('extractPdfText: bad input', () => {
  it('recognises a PDF by its first bytes', () => {
    expect(isPdf(pdf('20026590'))).toBe(true);
    expect(isPdf(new TextEncoder().encode('%PDF'))).toBe(false);
    expect(isPdf(new Uint8Array(0))).toBe(false);
  });

  it('refuses the Clerk’s HTML 404 page', async () => {
    const html = new Uint8Array(readFileSync(join(clerk, 'errors/404-ptr-not-yet-posted.html')));
    expect(isPdf(html)).toBe(false);
    await expect(extractPdfText(html)).rejects.toThrow(ParseError);
    await expect(extractPdfText(html)).rejects.toThrow(/^not a PDF: starts with "<!DOCTYPE html/);
    await expect(extractPdfText(new Uint8Array(0))).rejects.toThrow(/not a PDF: empty body/);
  });

  it('rejects truncated and corrupt PDFs with ParseError', async () => {
    const real = pdf('20026590');
    const garbage = new Uint8Array(5000).map((_, i) => (i * 7919) % 251);
    garbage.set(new TextEncoder().encode('%PDF-1.4\n'));
    // Overwriting the middle damages the fonts: pdf.js still draws text, but none can be read.
    const damaged = real.slice();
    for (let i = 20_000; i < 40_000; i++) damaged[i] = (i * 31) % 256;
    for (const bytes of [
      real.slice(0, real.length / 2),
      real.slice(0, 1000),
      new TextEncoder().encode('%PDF-1.7\n'),
      garbage,
      damaged,
    ]) {
      await expect(extractPdfText(bytes)).rejects.toThrow(ParseError);
    }
  });

  it('gives up with ParseError when extraction overruns its deadline', async () => {
    await expect(extractPdfText(pdf('20026590'), { timeoutMs: 1 })).rejects.toThrow(/timed out after 1 ms/);
  });
});
