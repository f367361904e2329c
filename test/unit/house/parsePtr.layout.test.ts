import { describe, expect, it } from 'vitest';
import { ParseError } from '../../../domain/filing';
import { isAmountIncomplete, parseAmountRange } from '../../../sources/house/amount';
import { parseHousePtr } from '../../../sources/house/parsePtr';

/**
 * Layout cases the fixture PDFs do not all show, written as the text `extractPdfText` gives for
 * e-filed reports (lines taken from real filings, with the case under test swapped in).
 */

const HEAD = [
  'Filing ID #20099999',
  'P T R',
  'Clerk of the House of Representatives • Legislative Resource Center • B81 Cannon Building • Washington, DC 20515',
  'F I',
  'Name: Hon. Jane Q. Member',
  'Status: Member',
  'State/District: ny12',
  'T',
  'ID Owner Asset Transaction Date Notification Amount Cap.',
  'Type Date Gains >',
  '$200?',
];
const PAGE_HEADER = [
  '\f',
  'ID Owner Asset Transaction Date Notification Amount Cap.',
  'Type Date Gains >',
  '$200?',
];
const TAIL = [
  '* For the complete list of asset type abbreviations, please visit https://fd.house.gov/reference/asset-type-codes.aspx.',
  'I P O',
  'Yes No',
  'C S',
  'I CERTIFY that the statements I have made on the attached Periodic Transaction Report are true, complete, and correct to the best of',
  'my knowledge and belief. Further, I CERTIFY that I have disclosed all transactions as required by the STOCK Act.',
  'Digitally Signed: Hon. Jane Q. Member , 03/04/2025',
];
const report = (...rows: string[]) => [...HEAD, ...rows, ...TAIL].join('\n');
const parse = (...rows: string[]) => parseHousePtr(report(...rows), '20099999');

describe('parseHousePtr: filing fields', () => {
  it('reads filer, district and signature date', () => {
    const filing = parse(
      'SP Apple Inc. - Common Stock (AAPL) P 01/14/2025 01/15/2025 $1,001 - $15,000',
      '[ST]',
      'F S: New',
    );
    expect(filing).toMatchObject({
      chamber: 'house',
      filingId: '20099999',
      kind: 'electronic',
      filerName: 'Jane Q. Member',
      stateDistrict: 'NY12',
      filedDate: '2025-03-04',
      amendment: false,
    });
  });

  it('reads a name printed without "Hon."', () => {
    const text = report(
      'Apple Inc. (AAPL) [ST] P 01/14/2025 01/15/2025 $1,001 - $15,000',
      'F S: New',
    ).replace('Name: Hon. Jane Q. Member', 'Name: Cleo Fields');
    expect(parseHousePtr(text, '1').filerName).toBe('Cleo Fields');
  });
});

describe('parseHousePtr: amounts', () => {
  it.each([
    [
      'wrapped after "Over"',
      ['JT Duke Street LLC, 50% Interest [OI] S 12/23/2024 12/26/2024 Over', '$50,000,000'],
    ],
    ['on one line', ['JT Duke Street LLC, 50% Interest [OI] S 12/23/2024 12/26/2024 Over $50,000,000']],
  ])('reads "Over $50,000,000" %s as 50,000,001 and up', (_, lines) => {
    const [tx] = parse(...lines, 'F S: New').transactions;
    expect(tx).toMatchObject({
      assetName: 'Duke Street LLC, 50% Interest',
      assetType: 'OI',
      amountMin: 50000001,
      amountMax: null,
    });
  });

  it.each([
    ['"Spouse/DC Over" / "$1,000,000"', 'Spouse/DC Over', '$1,000,000'],
    ['"Spouse/DC" / "Over $1,000,000"', 'Spouse/DC', 'Over $1,000,000'],
  ])('reads the spouse/dependent bracket wrapped as %s', (_, first, second) => {
    const [tx] = parse(
      `SP NVIDIA Corporation - Common S (partial) 12/31/2024 12/31/2024 ${first}`,
      `Stock (NVDA) [ST] ${second}`,
      'F S: New',
    ).transactions;
    expect(tx).toMatchObject({
      owner: 'spouse',
      assetName: 'NVIDIA Corporation - Common Stock',
      ticker: 'NVDA',
      amountMin: 1000001,
      amountMax: null,
    });
  });

  it('reads the spouse/dependent bracket in content-stream order', () => {
    const text = report(
      'SP NVIDIA Corporation - Common',
      'Stock (NVDA) [ST]',
      'S (partial) 12/31/2024 12/31/2024 Spouse/DC Over',
      '$1,000,000',
      'F S: New',
    );
    const [tx] = parseHousePtr(text, '1').transactions;
    expect(tx).toMatchObject({
      assetName: 'NVIDIA Corporation - Common Stock',
      amountMin: 1000001,
      amountMax: null,
    });
  });

  it('does not take a dollar figure of the asset name for the amount when the amount is whole', () => {
    const [tx] = parse(
      'AT&T Inc. Depositary Shares, each P 12/06/2024 01/06/2025 $1,001 - $15,000',
      'representing a 1/1,000th interest in a $100',
      'share (T$A) [ST]',
      'F S: New',
    ).transactions;
    expect(tx).toMatchObject({
      assetName: 'AT&T Inc. Depositary Shares, each representing a 1/1,000th interest in a $100 share',
      ticker: 'T-PA',
      amountMin: 1001,
      amountMax: 15000,
    });
  });

  it('parses brackets', () => {
    expect(parseAmountRange('$1,001 - $15,000')).toEqual({ min: 1001, max: 15000 });
    expect(parseAmountRange('$25,000,001 - $50,000,000')).toEqual({ min: 25000001, max: 50000000 });
    expect(parseAmountRange('Over $50,000,000')).toEqual({ min: 50000001, max: null });
    expect(parseAmountRange('Spouse/DC Over $1,000,000')).toEqual({ min: 1000001, max: null });
    expect(parseAmountRange('$15,001 -')).toEqual({ min: 15001, max: null });
    expect(parseAmountRange('')).toEqual({ min: null, max: null });
    expect(isAmountIncomplete('$15,001 -')).toBe(true);
    expect(isAmountIncomplete('Spouse/DC Over')).toBe(true);
    expect(isAmountIncomplete('Over $50,000,000')).toBe(false);
    expect(isAmountIncomplete('$1,001 - $15,000')).toBe(false);
  });
});

describe('parseHousePtr: rows', () => {
  it('follows a row across a page break inside its asset name and its comment', () => {
    const filing = parse(
      'SP Alphabet Inc. - Class C Capital Stock P 08/07/2024 05/19/2025 $15,001 -',
      ...PAGE_HEADER,
      '(GOOG) [ST] $50,000',
      'F S: New',
      'S O: Fidelity Roth IRA',
      "C: Our broker purchased shares of 29 stocks in my spouse's Roth IRA on 8/7/24 in order to rebalance the portfolio",
      ...PAGE_HEADER,
      "wasn't discovered until I was attempting to reconcile our investment holdings.",
      'JT Apple Inc. - Common Stock (AAPL) S (partial) 01/30/2024 05/19/2025 $1,001 - $15,000',
      '[ST]',
      'F S: New',
    );
    expect(filing.transactions).toEqual([
      {
        owner: 'spouse',
        assetName: 'Alphabet Inc. - Class C Capital Stock',
        ticker: 'GOOG',
        assetType: 'ST',
        transactionType: 'purchase',
        transactionDate: '2024-08-07',
        notificationDate: '2025-05-19',
        amountMin: 15001,
        amountMax: 50000,
        filingStatus: 'new',
        description: null,
        comment:
          "Our broker purchased shares of 29 stocks in my spouse's Roth IRA on 8/7/24 in order to rebalance the portfolio wasn't discovered until I was attempting to reconcile our investment holdings.",
        subholdingOf: 'Fidelity Roth IRA',
      },
      {
        owner: 'joint',
        assetName: 'Apple Inc. - Common Stock',
        ticker: 'AAPL',
        assetType: 'ST',
        transactionType: 'sale_partial',
        transactionDate: '2024-01-30',
        notificationDate: '2025-05-19',
        amountMin: 1001,
        amountMax: 15000,
        filingStatus: 'new',
        description: null,
        comment: null,
        subholdingOf: null,
      },
    ]);
  });

  it('drops rows marked Deleted and calls a report of amended or deleted rows an amendment', () => {
    const filing = parse(
      '2000115357 SP Echo Street GoodCo Select, LP S 01/05/2024 02/02/2024 $500,001 -',
      '[HN] $1,000,000',
      'F S: Deleted',
      '2000128986 SP Warner Bros. Discovery, Inc. - S 11/29/2024 01/05/2025 $1,001 - $15,000',
      'Series A Common Stock (WBD)',
      '[ST]',
      'F S: Amended',
    );
    expect(filing.amendment).toBe(true);
    expect(filing.transactions).toHaveLength(1);
    expect(filing.transactions[0]).toMatchObject({
      owner: 'spouse',
      assetName: 'Warner Bros. Discovery, Inc. - Series A Common Stock',
      ticker: 'WBD',
      filingStatus: 'amended',
    });
  });

  it('does not call a report an amendment when an amended row sits among new ones', () => {
    const filing = parse(
      'Public Storage Common Stock S (partial) 08/05/2025 09/08/2025 $1,001 - $15,000',
      '(PSA) [ST]',
      'F S: New',
      '2000142794 Ralliant Corporation Common S 07/08/2025 08/13/2025 $15,001 -',
      'Stock (RAL) [ST] $50,000',
      'F S: Amended',
    );
    expect(filing.amendment).toBe(false);
    expect(filing.transactions.map((t) => [t.owner, t.ticker, t.filingStatus])).toEqual([
      ['self', 'PSA', 'new'],
      ['self', 'RAL', 'amended'],
    ]);
  });

  it('tells tickers from other words in parentheses', () => {
    const tickers = parse(
      'SP Berkshire Hathaway Inc. New Common P 01/13/2025 01/13/2025 $1,001 - $15,000',
      'Stock (BRK.B) [ST]',
      'F S: New',
      'SOL (Solana) [CT] S 05/12/2025 05/12/2025 $1,001 - $15,000',
      'F S: New',
      'Kean Family Partnership (33% Interest) [OI] S 05/12/2025 05/12/2025 $1,001 - $15,000',
      'F S: New',
      'JPMORGAN U.S. GOVERNMENT S 06/23/2025 06/24/2025 $1,000,001 -',
      'MONEY MARKET FD CAPITAL CL $5,000,000',
      'M/M (Symbol: OGVXX) [OT]',
      'F S: New',
      'Yieldmax Smci Optn Inc Strg ETF - P 01/17/2025 02/05/2025 $15,001 -',
      'SMCY [OT] $50,000',
      'F S: New',
    ).transactions.map((t) => [t.assetName, t.ticker, t.assetType]);
    expect(tickers).toEqual([
      ['Berkshire Hathaway Inc. New Common Stock', 'BRK.B', 'ST'],
      ['SOL (Solana)', null, 'CT'],
      ['Kean Family Partnership (33% Interest)', null, 'OI'],
      ['JPMORGAN U.S. GOVERNMENT MONEY MARKET FD CAPITAL CL M/M', 'OGVXX', 'OT'],
      ['Yieldmax Smci Optn Inc Strg ETF - SMCY', null, 'OT'],
    ]);
  });

  it('keeps an unknown bracket code in the name and leaves the type null', () => {
    const [tx] = parse('Some Holding [ZZ] P 01/14/2025 01/15/2025 $1,001 - $15,000', 'F S: New').transactions;
    expect(tx).toMatchObject({ assetName: 'Some Holding [ZZ]', assetType: null });
  });
});

describe('parseHousePtr: paper and unreadable text', () => {
  it('calls text without letters or digits a paper filing', () => {
    for (const text of ['', '\n\f\n', '=== page 1 ===\n\n=== page 2 ===\n']) {
      expect(parseHousePtr(text, '8220747')).toEqual({
        chamber: 'house',
        filingId: '8220747',
        kind: 'paper',
        filerName: '',
        stateDistrict: null,
        filedDate: null,
        amendment: false,
        transactions: [],
      });
    }
  });

  it('calls a stray text layer without the e-filed form paper too', () => {
    expect(parseHousePtr('RECEIVED\n2025 FEB 10 AM 9:41\nLEGISLATIVE RESOURCE CENTER', '8220753').kind).toBe(
      'paper',
    );
  });

  it('throws ParseError for an e-filed report whose rows cannot be read', () => {
    expect(() => parseHousePtr(report(), '20099999')).toThrow(ParseError);
    expect(() => parseHousePtr(report('something unexpected'), '20099999')).toThrow(/no transaction rows/);
  });
});
