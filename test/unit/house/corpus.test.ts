import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { getDocument } from 'pdfjs-dist/legacy/build/pdf.mjs';
import type { TextItem } from 'pdfjs-dist/types/src/display/api';
import { describe, expect, it } from 'vitest';
import { corpusPath } from '../../support/fixtures';
import type { HouseIndexRow, ParsedFiling } from '../../../domain/filing';
import { isHouseAssetType } from '../../../domain/assetTypes';
import { parseHouseIndexXml } from '../../../sources/house/parseIndex';
import { parseHousePtr } from '../../../sources/house/parsePtr';
import { extractPdfText } from '../../../sources/house/pdfText';

/**
 * Robustness over 150 real 2025 House PTRs (140 e-filed, 10 scanned) that come with no expected
 * answers: every file reads, every e-filed one yields plausible rows, the row count matches an
 * independent count of the date pairs in the text, and the text in content-stream order (as
 * extractors such as pypdf give it) parses to the same filing.
 */

const corpus = corpusPath();
const dir = join(corpus, 'house-ptr', '2025');
const files = readdirSync(dir)
  .filter((name) => name.endsWith('.pdf'))
  .sort();
const index = new Map<string, HouseIndexRow>(
  parseHouseIndexXml(readFileSync(join(corpus, 'index', '2025FD.xml'), 'utf8')).rows.map((row) => [
    row.docId,
    row,
  ]),
);

/** Paper DocIDs have 7 digits; e-filed ones 8. */
const isPaperId = (docId: string) => /^\d{7}$/.test(docId);

const parsed = new Map<string, ParsedFiling>();

/** The text items in the order the PDF draws them, a line break where pdf.js marks one. */
async function contentStreamText(bytes: Uint8Array): Promise<string> {
  const doc = await getDocument({ data: bytes, isEvalSupported: false, verbosity: 0 }).promise;
  try {
    const pages: string[] = [];
    for (let n = 1; n <= doc.numPages; n++) {
      const content = await (await doc.getPage(n)).getTextContent();
      const items = content.items.filter((item): item is TextItem => 'str' in item);
      pages.push(`=== page ${n} ===\n${items.map((item) => item.str + (item.hasEOL ? '\n' : '')).join('')}`);
    }
    return pages.join('\n');
  } finally {
    await doc.destroy();
  }
}

async function read(docId: string): Promise<{ text: string; filing: ParsedFiling }> {
  const text = await extractPdfText(new Uint8Array(readFileSync(join(dir, `${docId}.pdf`))));
  const filing = parseHousePtr(text, docId);
  parsed.set(docId, filing);
  return { text, filing };
}

function implausibilities(filing: ParsedFiling): string[] {
  const problems: string[] = [];
  const isoDate = (d: string | null) => d !== null && /^20(1\d|2[0-6])-\d{2}-\d{2}$/.test(d);
  filing.transactions.forEach((t, i) => {
    const say = (what: string) => problems.push(`row ${i + 1} ${what}: ${JSON.stringify(t)}`);
    if (!isoDate(t.transactionDate) || !isoDate(t.notificationDate)) say('date');
    if (!['self', 'spouse', 'joint', 'dependent'].includes(t.owner)) say('owner');
    if (!['purchase', 'sale', 'sale_partial', 'exchange'].includes(t.transactionType ?? '')) say('type');
    if (t.amountMin === null || (t.amountMax !== null && t.amountMin > t.amountMax)) say('amount');
    if (t.assetName.trim() === '') say('empty asset name');
    // Leftovers of other columns or lines in the name: a bracket code, an amount, a label.
    if (/\[[A-Z0-9]{2}\]|\$\d[\d,]*$|^(SP|JT|DC) |\b(F S|S O):/.test(t.assetName)) say('asset name');
    if (t.assetType !== null && !isHouseAssetType(t.assetType)) say('asset type');
    if (t.ticker !== null && !/^[A-Z][A-Z0-9.-]{0,9}$/.test(t.ticker)) say('ticker');
    if (t.filingStatus !== 'new' && t.filingStatus !== 'amended' && t.filingStatus !== 'deleted')
      say('filing status');
    for (const text of [t.description, t.comment, t.subholdingOf]) {
      if (text !== null && /ID Owner Asset|Filing ID #|Digitally Signed|\bF S:/.test(text))
        say('labelled text');
    }
  });
  return problems;
}

describe('House PTR corpus', () => {
  it('holds 150 PDFs: 140 e-filed, 10 paper', () => {
    expect(files).toHaveLength(150);
    expect(files.filter((name) => isPaperId(name.replace('.pdf', '')))).toHaveLength(10);
  });

  for (const name of files) {
    const docId = name.replace('.pdf', '');
    it(`reads ${docId}`, { timeout: 30_000 }, async () => {
      const { text, filing } = await read(docId);
      expect(filing.filingId).toBe(docId);
      if (isPaperId(docId)) {
        expect(filing.kind).toBe('paper');
        expect(filing.transactions).toEqual([]);
        return;
      }
      expect(filing.kind).toBe('electronic');
      // Agrees with the Clerk's index on who filed, where from and when.
      const row = index.get(docId);
      expect(row).toBeDefined();
      expect(filing.stateDistrict).toBe(row?.stateDistrict);
      expect(filing.filerName).toContain(row?.last);
      expect(filing.filedDate).toBe(row?.filingDate);
      expect(implausibilities(filing)).toEqual([]);
      // Every row has one "MM/DD/YYYY MM/DD/YYYY" pair; rows marked Deleted are kept as deleted rows.
      const datePairs = (text.match(/\d{2}\/\d{2}\/\d{4} ?\d{2}\/\d{2}\/\d{4}/g) ?? []).length;
      const deleted = (text.match(/^F S: Deleted$/gm) ?? []).length;
      expect(filing.transactions.length).toBe(datePairs);
      expect(filing.transactions.filter((t) => t.filingStatus === 'deleted')).toHaveLength(deleted);
      expect(filing.transactions.length).toBeGreaterThanOrEqual(1);
      const streamText = await contentStreamText(new Uint8Array(readFileSync(join(dir, name))));
      expect(parseHousePtr(streamText, docId)).toEqual(filing);
    });
  }

  // Rows checked by hand against the documents' text.
  it('reads the rows picked out by hand', () => {
    const find = (docId: string, test: (assetName: string) => boolean) =>
      parsed.get(docId)?.transactions.filter((t) => test(t.assetName));

    // Both rows deleted: an amendment that withdraws two earlier rows, each restated as first reported.
    const withdrawn = {
      owner: 'spouse',
      assetName: 'Echo Street GoodCo Select, LP',
      ticker: null,
      assetType: 'HN',
      transactionType: 'sale',
      notificationDate: '2024-02-02',
      filingStatus: 'deleted',
      description: 'Hedge Fund. Fund manager letter on file with the Committee on Ethics.',
      comment: null,
      subholdingOf: 'The 2011 Randall R. Kaplan Living Trust',
    } as const;
    expect(parsed.get('20029046')).toEqual({
      chamber: 'house',
      filingId: '20029046',
      kind: 'electronic',
      filerName: 'Kathy Manning',
      stateDistrict: 'NC06',
      filedDate: '2025-04-21',
      amendment: true,
      transactions: [
        { ...withdrawn, transactionDate: '2024-01-05', amountMin: 500001, amountMax: 1000000 },
        { ...withdrawn, transactionDate: '2024-01-16', amountMin: 15001, amountMax: 50000 },
      ],
    });
    // One amended row among new ones: not an amendment as a whole.
    expect(parsed.get('20031022')?.amendment).toBe(false);
    expect(find('20031022', (n) => n.startsWith('Ralliant'))).toEqual([
      {
        owner: 'self',
        assetName: 'Ralliant Corporation Common Stock',
        ticker: 'RAL',
        assetType: 'ST',
        transactionType: 'sale',
        transactionDate: '2025-07-08',
        notificationDate: '2025-08-13',
        amountMin: 15001,
        amountMax: 50000,
        filingStatus: 'amended',
        description: null,
        comment: null,
        subholdingOf: '150 Main Street Trust > Bank of America',
      },
    ]);
    // The $25,000,001 - $50,000,000 bracket, with a description over three lines.
    expect(find('20030181', () => true)).toEqual([
      {
        owner: 'self',
        assetName: 'Interest Rate Cap Transaction UBS',
        ticker: null,
        assetType: 'OT',
        transactionType: 'sale',
        transactionDate: '2025-04-10',
        notificationDate: '2025-04-11',
        amountMin: 25000001,
        amountMax: 50000000,
        filingStatus: 'new',
        description:
          'Sale of two interest rate cap investments reported as purchases in 2023 and two interest rate cap investments that were purchased in 2024 and will be reported in the 2024 annual report. All four were sold prior to their maturity date thus triggering this report. The total of the 4 sales was $30 million.',
        comment: null,
        subholdingOf: null,
      },
    ]);
    // A preferred share written T$A, whose name holds a dollar figure.
    expect(
      find('20026516', (n) => n.startsWith('AT&T'))?.map((t) => [
        t.assetName,
        t.ticker,
        t.amountMin,
        t.amountMax,
      ]),
    ).toEqual([
      [
        'AT&T Inc. Depositary Shares, each representing a 1/1,000th interest in a share of 5.000% Perpetual Preferred Stock, Series A',
        'T-PA',
        50001,
        100000,
      ],
    ]);
    // A ticker that is also a word ("ETN"), after an asset name wrapped mid-phrase.
    expect(find('20032066', (n) => n.startsWith('Eaton'))?.[0]).toMatchObject({
      owner: 'joint',
      assetName: 'Eaton Corporation, PLC Ordinary Shares',
      ticker: 'ETN',
      transactionType: 'sale_partial',
      subholdingOf: 'Chase Brokerage Account (3935)',
    });
    // A ticker given as "(Symbol: OGVXX)".
    expect(
      find('20030611', (n) => n.startsWith('JPMORGAN U.S.'))?.map((t) => [t.ticker, t.subholdingOf]),
    ).toEqual([['OGVXX', 'Raymond James Brokerage Account']]);
  });
});
