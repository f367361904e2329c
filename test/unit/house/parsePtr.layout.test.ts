import { describe, expect, it } from 'vitest';
import { ParseError } from '../../../domain/filing';
import { parseAmountBracket } from '../../../domain/amount';
import { isAmountIncomplete } from '../../../sources/house/amount';
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
    expect(parseAmountBracket('$1,001 - $15,000')).toEqual({ amountMin: 1001, amountMax: 15000 });
    expect(parseAmountBracket('$25,000,001 - $50,000,000')).toEqual({
      amountMin: 25000001,
      amountMax: 50000000,
    });
    expect(parseAmountBracket('Over $50,000,000')).toEqual({ amountMin: 50000001, amountMax: null });
    expect(parseAmountBracket('Spouse/DC Over $1,000,000')).toEqual({ amountMin: 1000001, amountMax: null });
    expect(parseAmountBracket('$15,001 -')).toEqual({ amountMin: 15001, amountMax: null });
    expect(parseAmountBracket('')).toEqual({ amountMin: null, amountMax: null });
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

  it('keeps rows marked Deleted as deleted rows and calls a report of amended or deleted rows an amendment', () => {
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
    expect(filing.transactions).toEqual([
      {
        owner: 'spouse',
        assetName: 'Echo Street GoodCo Select, LP',
        ticker: null,
        assetType: 'HN',
        transactionType: 'sale',
        transactionDate: '2024-01-05',
        notificationDate: '2024-02-02',
        amountMin: 500001,
        amountMax: 1000000,
        filingStatus: 'deleted',
        description: null,
        comment: null,
        subholdingOf: null,
      },
      {
        owner: 'spouse',
        assetName: 'Warner Bros. Discovery, Inc. - Series A Common Stock',
        ticker: 'WBD',
        assetType: 'ST',
        transactionType: 'sale',
        transactionDate: '2024-11-29',
        notificationDate: '2025-01-05',
        amountMin: 1001,
        amountMax: 15000,
        filingStatus: 'amended',
        description: null,
        comment: null,
        subholdingOf: null,
      },
    ]);
  });

  it('reads a report whose every row is deleted as an amendment of deleted rows, in the spelled-out labels too', () => {
    const filing = parse(
      '2000115358 SP Echo Street GoodCo Select, LP S 01/16/2024 02/02/2024 $15,001 -',
      '[HN] $50,000',
      'FILINg STATuS: Deleted',
    );
    expect(filing.amendment).toBe(true);
    expect(filing.transactions.map((t) => [t.owner, t.transactionDate, t.amountMax, t.filingStatus])).toEqual(
      [['spouse', '2024-01-16', 50000, 'deleted']],
    );
  });

  it('keeps a deleted row among new ones: the report is not an amendment, the row still says deleted', () => {
    const filing = parse(
      'Public Storage Common Stock S (partial) 08/05/2025 09/08/2025 $1,001 - $15,000',
      '(PSA) [ST]',
      'F S: New',
      '2000142794 Ralliant Corporation Common S 07/08/2025 08/13/2025 $15,001 -',
      'Stock (RAL) [ST] $50,000',
      'F S: Deleted',
    );
    expect(filing.amendment).toBe(false);
    expect(filing.transactions.map((t) => [t.ticker, t.filingStatus])).toEqual([
      ['PSA', 'new'],
      ['RAL', 'deleted'],
    ]);
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

/**
 * Reports of about 2014-2022, whose text layer (the same with every extractor) differs from today's:
 * a font that mixes the case of letters in the header, labels, types, codes, owners and tickers
 * (`iD owner asset`, `FILINg STATuS:`, `s (partial)`, `[sT]`, `sP`, `(aPD)`); the Cap. Gains > $200?
 * checkbox drawn with a symbol font that reads `gfedc` (`gfedcb` when ticked), also before the
 * certification; in 2014 no asset-type footnote (the table runs into `commentS`), and no
 * `Digitally Signed:` label before the signer and date. Lines written after those of real reports.
 */
const OLD_HEAD = [
  'Filing ID #20016985',
  'P T R',
  'Clerk of the House of Representatives • Legislative Resource Center • B81 Cannon Building • Washington, DC 20515',
  'filer information',
  'name: Hon. Jane Q. Member',
  'Status: Member',
  'State/District: NY12',
  'tranSactionS',
  'iD owner asset transaction Date notification amount cap.',
  'type Date gains >',
  '$200?',
];
const OLD_PAGE_HEADER = [
  '\f',
  'Filing ID #20016985',
  'iD owner asset transaction Date notification amount cap.',
  'type Date gains >',
  '$200?',
];
const OLD_TAIL = [
  '* For the complete list of asset type abbreviations, please visit https://fd.house.gov/reference/asset-type-codes.aspx.',
  'initial Public offeringS',
  'nmlkj Yes nmlkji No',
  'certification anD Signature',
  'gfedcb I CERTIFY that the statements I have made on the attached Periodic Transaction Report are true, complete, and correct to the best of',
  'my knowledge and belief. Further, I CERTIFY that I have disclosed all transactions as required by the STOCK Act.',
  'Digitally Signed: Hon. Jane Q. Member , 03/4/2020',
];
const oldReport = (...rows: string[]) => [...OLD_HEAD, ...rows, ...OLD_TAIL].join('\n');

describe('parseHousePtr: reports with a mixed-case text layer and checkbox glyphs (about 2014-2022)', () => {
  it('reads lower-case types and codes, spelled-out labels, owners and tickers in any case', () => {
    const filing = parseHousePtr(
      oldReport(
        'sP Air Products and Chemicals, Inc. s (partial) 06/04/2019 06/12/2019 $1,001 - $15,000 gfedc',
        '(aPD) [sT]',
        'FILINg STATuS: New',
        'SubHOlDINg OF: Charles Schwab IRA',
        'DESCRIPTIoN: Sale of 230 shares of Air Products at $250.12/share.',
        'JT american Express Company (aXP) s 01/27/2020 02/16/2020 $1,001 - $15,000 gfedcb',
        '[sT]',
        'FIlINg sTATus: New',
        'LoCaTIoN: US',
        'Alphabet Inc. - Class A (gOOgl) P 02/28/2020 03/20/2020 $1,001 - $15,000 gfedc',
        '[ST]',
        'FILINg STATUS: Amended',
        'COMMENTS: Amends the date reported on 03/01/2020.',
      ),
      '20016985',
    );
    expect(filing).toMatchObject({
      kind: 'electronic',
      filerName: 'Jane Q. Member',
      filedDate: '2020-03-04',
    });
    expect(filing.transactions).toEqual([
      {
        owner: 'spouse',
        assetName: 'Air Products and Chemicals, Inc.',
        ticker: 'APD',
        assetType: 'ST',
        transactionType: 'sale_partial',
        transactionDate: '2019-06-04',
        notificationDate: '2019-06-12',
        amountMin: 1001,
        amountMax: 15000,
        filingStatus: 'new',
        description: 'Sale of 230 shares of Air Products at $250.12/share.',
        comment: null,
        subholdingOf: 'Charles Schwab IRA',
      },
      {
        owner: 'joint',
        assetName: 'american Express Company',
        ticker: 'AXP',
        assetType: 'ST',
        transactionType: 'sale',
        transactionDate: '2020-01-27',
        notificationDate: '2020-02-16',
        amountMin: 1001,
        amountMax: 15000,
        filingStatus: 'new',
        description: null,
        comment: null,
        subholdingOf: null,
      },
      {
        owner: 'self',
        assetName: 'Alphabet Inc. - Class A',
        ticker: 'GOOGL',
        assetType: 'ST',
        transactionType: 'purchase',
        transactionDate: '2020-02-28',
        notificationDate: '2020-03-20',
        amountMin: 1001,
        amountMax: 15000,
        filingStatus: 'amended',
        description: null,
        comment: 'Amends the date reported on 03/01/2020.',
        subholdingOf: null,
      },
    ]);
  });

  it('joins an amount wrapped after a checkbox glyph, also across a page break with the header repeated', () => {
    const [first, second] = parseHousePtr(
      oldReport(
        'JT Albertsons Companies, Inc. Class A s 12/16/2019 01/01/2020 $15,001 - gfedc',
        '(aCI) [sT] $50,000',
        'FILINg STATUS: New',
        'Chicago IL Met Wtr R 5% 12/01/23 [gS] S 02/27/2020 03/10/2020 $50,001 - gfedcb',
        ...OLD_PAGE_HEADER,
        '$100,000',
        'FILINg STATUS: New',
      ),
      '20016985',
    ).transactions;
    expect(first).toMatchObject({
      owner: 'joint',
      assetName: 'Albertsons Companies, Inc. Class A',
      ticker: 'ACI',
      amountMin: 15001,
      amountMax: 50000,
    });
    expect(second).toMatchObject({
      assetName: 'Chicago IL Met Wtr R 5% 12/01/23',
      ticker: null,
      assetType: 'GS',
      transactionType: 'sale',
      amountMin: 50001,
      amountMax: 100000,
    });
  });

  it('reads a type that touches the asset name before it', () => {
    // Rows of 2021 reports (Filing IDs #20018539, #20018346) whose asset name runs up to the type
    // column, as an extractor that does not space the two gives them.
    const filing = parseHousePtr(
      oldReport(
        '2000074389 SP AllianceBernstein Holding L.P.P 12/22/2020 12/22/2020 $500,001 -',
        'gfedc',
        'Units (AB) [OL] $1,000,000',
        'FILINg STATUS: Amended',
        'LOCATION: New York, NY, US',
        'SP Microsoft Corporation (MSFT)P 03/19/2021 03/19/2021 $1,000,001 -',
        'gfedc',
        '[ST] $5,000,000',
        'FILINg STATUS: New',
        'DESCRIPTION: Exercised 150 call options (15,000 shares) expiring 3/19/2021 at a strike price of $130.',
        'SP Dublin San Ramon, CA Wtr utilS (partial) 02/01/2021 02/28/2021 $50,001 -',
        'gfedc',
        '[gS] $100,000',
        'FIlINg STATuS: New',
      ),
      '20018539',
    );
    expect(
      filing.transactions.map((t) => [
        t.owner,
        t.assetName,
        t.ticker,
        t.assetType,
        t.transactionType,
        t.transactionDate,
        t.amountMin,
        t.amountMax,
        t.filingStatus,
      ]),
    ).toEqual([
      [
        'spouse',
        'AllianceBernstein Holding L.P. Units',
        'AB',
        'OL',
        'purchase',
        '2020-12-22',
        500001,
        1000000,
        'amended',
      ],
      ['spouse', 'Microsoft Corporation', 'MSFT', 'ST', 'purchase', '2021-03-19', 1000001, 5000000, 'new'],
      [
        'spouse',
        'Dublin San Ramon, CA Wtr util',
        null,
        'GS',
        'sale_partial',
        '2021-02-01',
        50001,
        100000,
        'new',
      ],
    ]);
    expect(filing.transactions[1]?.description).toBe(
      'Exercised 150 call options (15,000 shares) expiring 3/19/2021 at a strike price of $130.',
    );
  });

  it('reads a 2014 report without footnote or "Digitally Signed:" label as an e-filed report', () => {
    const text = [
      'Filing ID #20001674',
      'P T R',
      'filer information',
      'name: Vern Buchanan',
      'Status: Member',
      'State/District: FL16',
      'tranSactionS',
      'iD owner asset transaction Date notification amount',
      'type Date',
      'Apple Inc. (AAPL) s 10/1/2014 10/2/2014 $1,001 - $15,000',
      'FILINg sTATus: New',
      'DESCRIPTIoN: Sale of 230 shares of Apple, Inc. (AAPL) at $99.6401/share. Total proceeds of',
      '$22,916.71.',
      'commentS',
      'A comment on the whole report, not on the row.',
      'initial Public offeringS',
      'nmlkj Yes nmlkji No',
      'certification anD Signature',
      'Filing ID #20001674',
      '/ I CERTIFY that the statements I have made on the attached Periodic Transaction Report are true, complete, and correct to the',
      'best of my knowledge and belief.',
      'Mr. Vern Buchanan , 10/15/2014',
    ].join('\n');
    expect(parseHousePtr(text, '20001674')).toEqual({
      chamber: 'house',
      filingId: '20001674',
      kind: 'electronic',
      filerName: 'Vern Buchanan',
      stateDistrict: 'FL16',
      filedDate: '2014-10-15',
      amendment: false,
      transactions: [
        {
          owner: 'self',
          assetName: 'Apple Inc.',
          ticker: 'AAPL',
          assetType: null,
          transactionType: 'sale',
          transactionDate: '2014-10-01',
          notificationDate: '2014-10-02',
          amountMin: 1001,
          amountMax: 15000,
          filingStatus: 'new',
          description:
            'Sale of 230 shares of Apple, Inc. (AAPL) at $99.6401/share. Total proceeds of $22,916.71.',
          comment: null,
          subholdingOf: null,
        },
      ],
    });
  });

  it('reads the mixed-case report in content-stream order the same', () => {
    const baseline = oldReport(
      'sP Air Products and Chemicals, Inc. s (partial) 06/04/2019 06/12/2019 $1,001 - $15,000 gfedc',
      '(aPD) [sT]',
      'FILINg STATuS: New',
      'DESCRIPTIoN: Sold all of the shares held in the account, in two lots on the same day, as the broker',
      'advised.',
      'sP Albertsons Companies, Inc. Class A s 12/16/2019 01/01/2020 $15,001 -',
      '(aCI) [sT] $50,000',
      'FILINg STATUS: New',
    );
    const stream = oldReport(
      'sP Air Products and Chemicals, Inc.',
      '(aPD) [sT]',
      's (partial) 06/04/2019 06/12/2019 $1,001 - $15,000 gfedc',
      'FILINg STATuS: New',
      'DESCRIPTIoN: Sold all of the shares held in the account, in two lots on the same day, as the broker',
      'advised.',
      'sP Albertsons Companies, Inc. Class A',
      '(aCI) [sT]',
      's 12/16/2019 01/01/2020 $15,001 -',
      '$50,000',
      'FILINg STATUS: New',
    );
    const filing = parseHousePtr(baseline, '1');
    expect(filing.transactions.map((t) => [t.owner, t.ticker, t.description])).toEqual([
      [
        'spouse',
        'APD',
        'Sold all of the shares held in the account, in two lots on the same day, as the broker advised.',
      ],
      ['spouse', 'ACI', null],
    ]);
    expect(parseHousePtr(stream, '1')).toEqual(filing);
  });

  it('keeps to upper-case tickers and owners in a report whose text layer does not mix case', () => {
    const [tx] = parse(
      'Sp Holdings (Tiny) [OI] P 01/14/2025 01/15/2025 $1,001 - $15,000',
      'F S: New',
    ).transactions;
    expect(tx).toMatchObject({ owner: 'self', assetName: 'Sp Holdings (Tiny)', ticker: null });
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
