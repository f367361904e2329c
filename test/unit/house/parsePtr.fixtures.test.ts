import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fixturePath } from '../../support/fixtures';
import { ParseError, type ParsedFiling } from '../../../domain/filing';
import { parseHousePtr } from '../../../sources/house/parsePtr';
import { readHousePtrPdf } from '../../../sources/house/readPtr';

/**
 * Every House PTR fixture, read from the real PDF bytes, against values copied by hand from the
 * documents (their text is in fixtures/house-clerk/ptr-text/). The same expectations hold for the
 * text another extractor (pypdf) made of the same PDFs, whose lines come in a different order.
 */

const clerk = fixturePath('house-clerk');
const pdf = (docId: string) =>
  new Uint8Array(readFileSync(join(clerk, 'public_disc/ptr-pdfs/2025', `${docId}.pdf`)));
const pypdfText = (docId: string) => readFileSync(join(clerk, 'ptr-text', `${docId}.pypdf.txt`), 'utf8');

const EXPECTED: Record<string, ParsedFiling> = {
  // Spouse options [OP] with descriptions, S (partial), a page break between a row's F S and D lines.
  '20026590': {
    chamber: 'house',
    filingId: '20026590',
    kind: 'electronic',
    filerName: 'Nancy Pelosi',
    stateDistrict: 'CA11',
    filedDate: '2025-01-17',
    amendment: false,
    transactions: [
      {
        owner: 'spouse',
        assetName: 'Alphabet Inc. - Class A Common Stock',
        ticker: 'GOOGL',
        assetType: 'OP',
        transactionType: 'purchase',
        transactionDate: '2025-01-14',
        notificationDate: '2025-01-14',
        amountMin: 250001,
        amountMax: 500000,
        filingStatus: 'new',
        description:
          'Purchased 50 call options with a strike price of $150 and an expiration date of 1/16/26.',
        comment: null,
        subholdingOf: null,
      },
      {
        owner: 'spouse',
        assetName: 'Amazon.com, Inc. - Common Stock',
        ticker: 'AMZN',
        assetType: 'OP',
        transactionType: 'purchase',
        transactionDate: '2025-01-14',
        notificationDate: '2025-01-14',
        amountMin: 250001,
        amountMax: 500000,
        filingStatus: 'new',
        description:
          'Purchased 50 call options with a strike price of $150 and an expiration date of 1/16/26.',
        comment: null,
        subholdingOf: null,
      },
      {
        owner: 'spouse',
        assetName: 'Apple Inc. - Common Stock',
        ticker: 'AAPL',
        assetType: 'ST',
        transactionType: 'sale_partial',
        transactionDate: '2024-12-31',
        notificationDate: '2024-12-31',
        amountMin: 5000001,
        amountMax: 25000000,
        filingStatus: 'new',
        description: 'Sold 31,600 shares.',
        comment: null,
        subholdingOf: null,
      },
      {
        owner: 'spouse',
        assetName: 'NVIDIA Corporation - Common Stock',
        ticker: 'NVDA',
        assetType: 'ST',
        transactionType: 'sale_partial',
        transactionDate: '2024-12-31',
        notificationDate: '2024-12-31',
        amountMin: 1000001,
        amountMax: 5000000,
        filingStatus: 'new',
        description: 'Sold 10,000 shares.',
        comment: null,
        subholdingOf: null,
      },
      {
        owner: 'spouse',
        assetName: 'NVIDIA Corporation - Common Stock',
        ticker: 'NVDA',
        assetType: 'ST',
        transactionType: 'purchase',
        transactionDate: '2024-12-20',
        notificationDate: '2024-12-20',
        amountMin: 500001,
        amountMax: 1000000,
        filingStatus: 'new',
        description:
          'Exercised 500 call options purchased 11/22/23 (50,000 shares) at a strike price of $12 with an expiration date of 12/20/24.',
        comment: null,
        subholdingOf: null,
      },
      {
        owner: 'spouse',
        assetName: 'NVIDIA Corporation - Common Stock',
        ticker: 'NVDA',
        assetType: 'OP',
        transactionType: 'purchase',
        transactionDate: '2025-01-14',
        notificationDate: '2025-01-14',
        amountMin: 250001,
        amountMax: 500000,
        filingStatus: 'new',
        description:
          'Purchased 50 call options with a strike price of $80 and an expiration date of 1/16/26.',
        comment: null,
        subholdingOf: null,
      },
      {
        owner: 'spouse',
        assetName: 'Palo Alto Networks, Inc.',
        ticker: 'PANW',
        assetType: 'ST',
        transactionType: 'purchase',
        transactionDate: '2024-12-20',
        notificationDate: '2024-12-20',
        amountMin: 1000001,
        amountMax: 5000000,
        filingStatus: 'new',
        description:
          'Exercised 140 call options purchased 2/12/24 & 2/21/24 (14,000 shares) at a strike price of $100 with an expiration date of 12/20/24.',
        comment: null,
        subholdingOf: null,
      },
      {
        owner: 'spouse',
        assetName: 'Tempus AI, Inc. - Class A Common Stock',
        ticker: 'TEM',
        assetType: 'OP',
        transactionType: 'purchase',
        transactionDate: '2025-01-14',
        notificationDate: '2025-01-14',
        amountMin: 50001,
        amountMax: 100000,
        filingStatus: 'new',
        description:
          'Purchased 50 call options with a strike price of $20 and an expiration date of 1/16/26.',
        comment: null,
        subholdingOf: null,
      },
      {
        owner: 'spouse',
        assetName: 'Vistra Corp. Common Stock',
        ticker: 'VST',
        assetType: 'OP',
        transactionType: 'purchase',
        transactionDate: '2025-01-14',
        notificationDate: '2025-01-14',
        amountMin: 500001,
        amountMax: 1000000,
        filingStatus: 'new',
        description:
          'Purchased 50 call options with a strike price of $50 and an expiration date of 1/16/26.',
        comment: null,
        subholdingOf: null,
      },
    ],
  },

  // Treasuries with a CUSIP in parentheses, S O lines, a notification date typed as 2024.
  '20026537': {
    chamber: 'house',
    filingId: '20026537',
    kind: 'electronic',
    filerName: 'Richard W. Allen',
    stateDistrict: 'GA12',
    filedDate: '2025-01-16',
    amendment: false,
    transactions: [
      {
        owner: 'spouse',
        assetName: 'Rollins, Inc. Common Stock',
        ticker: 'ROL',
        assetType: 'ST',
        transactionType: 'purchase',
        transactionDate: '2024-12-12',
        notificationDate: '2025-01-08',
        amountMin: 15001,
        amountMax: 50000,
        filingStatus: 'new',
        description: null,
        comment: null,
        subholdingOf: 'R.W. Allen & Associates, Inc. > RWA&A - Securities',
      },
      {
        owner: 'spouse',
        assetName: 'US TREASU NOTE 4.375% DUE 12/15/26 (91282CJP7)',
        ticker: null,
        assetType: 'GS',
        transactionType: 'purchase',
        transactionDate: '2024-12-03',
        notificationDate: '2025-01-08',
        amountMin: 100001,
        amountMax: 250000,
        filingStatus: 'new',
        description: null,
        comment: null,
        subholdingOf: 'R.W. Allen & Associates, Inc. > RWA&A - Securities',
      },
      {
        owner: 'self',
        assetName: 'US TREASURY BILL DUE 03/20/25 (912797KJ5)',
        ticker: null,
        assetType: 'GS',
        transactionType: 'purchase',
        transactionDate: '2024-12-03',
        notificationDate: '2024-01-08',
        amountMin: 15001,
        amountMax: 50000,
        filingStatus: 'new',
        description: null,
        comment: null,
        subholdingOf: 'SCH1',
      },
      {
        owner: 'self',
        assetName: 'US TREASURY NOTE 4.25% DUE 12/31/25 (91282CJS1)',
        ticker: null,
        assetType: 'GS',
        transactionType: 'purchase',
        transactionDate: '2024-12-03',
        notificationDate: '2024-01-08',
        amountMin: 50001,
        amountMax: 100000,
        filingStatus: 'new',
        description: null,
        comment: null,
        subholdingOf: 'SCH1',
      },
    ],
  },

  // Blank owner (the member), full sales.
  '20026548': {
    chamber: 'house',
    filingId: '20026548',
    kind: 'electronic',
    filerName: 'Steve Cohen',
    stateDistrict: 'TN09',
    filedDate: '2025-01-10',
    amendment: false,
    transactions: [
      {
        owner: 'self',
        assetName: 'Emergent BioSolutions Inc. Common Stock',
        ticker: 'EBS',
        assetType: 'ST',
        transactionType: 'sale',
        transactionDate: '2024-12-11',
        notificationDate: '2024-12-11',
        amountMin: 1001,
        amountMax: 15000,
        filingStatus: 'new',
        description: null,
        comment: null,
        subholdingOf: 'Stephens SEP IRA',
      },
      {
        owner: 'self',
        assetName: 'Host Hotels & Resorts, Inc. - Common Stock',
        ticker: 'HST',
        assetType: 'ST',
        transactionType: 'sale',
        transactionDate: '2024-12-11',
        notificationDate: '2024-12-11',
        amountMin: 15001,
        amountMax: 50000,
        filingStatus: 'new',
        description: null,
        comment: null,
        subholdingOf: 'Stephens SEP IRA',
      },
    ],
  },

  // Crypto without a ticker, the whole row on one line.
  '20026489': {
    chamber: 'house',
    filingId: '20026489',
    kind: 'electronic',
    filerName: 'Michael A. Collins',
    stateDistrict: 'GA10',
    filedDate: '2025-01-01',
    amendment: false,
    transactions: [
      {
        owner: 'self',
        assetName: 'Ski Mask Dog',
        ticker: null,
        assetType: 'CT',
        transactionType: 'purchase',
        transactionDate: '2024-12-03',
        notificationDate: '2024-12-03',
        amountMin: 1001,
        amountMax: 15000,
        filingStatus: 'new',
        description: null,
        comment: null,
        subholdingOf: null,
      },
    ],
  },

  // An amendment: the ID column holds the amended row's number, Filing Status says Amended.
  '20030336': {
    chamber: 'house',
    filingId: '20030336',
    kind: 'electronic',
    filerName: 'Rob Bresnahan',
    stateDistrict: 'PA08',
    filedDate: '2025-05-12',
    amendment: true,
    transactions: [
      {
        owner: 'self',
        assetName: 'Netflix, Inc. - Common Stock',
        ticker: 'NFLX',
        assetType: 'ST',
        transactionType: 'sale',
        transactionDate: '2025-04-17',
        notificationDate: '2025-04-17',
        amountMin: 1001,
        amountMax: 15000,
        filingStatus: 'amended',
        description: null,
        comment: null,
        subholdingOf: 'JP Morgan Brokerage Account #2',
      },
    ],
  },

  // Scanned paper filing: no text layer.
  '8220747': {
    chamber: 'house',
    filingId: '8220747',
    kind: 'paper',
    filerName: '',
    stateDistrict: null,
    filedDate: null,
    amendment: false,
    transactions: [],
  },

  // Joint owner, an exchange, a private holding in the $5,000,001 - $25,000,000 bracket, munis.
  '20026517': {
    chamber: 'house',
    filingId: '20026517',
    kind: 'electronic',
    filerName: 'Donald Sternoff Beyer Jr',
    stateDistrict: 'VA08',
    filedDate: '2025-01-06',
    amendment: false,
    transactions: [
      {
        owner: 'joint',
        assetName: 'Dallas Tex Area Rapid 5.00% 12/01/25',
        ticker: null,
        assetType: 'GS',
        transactionType: 'exchange',
        transactionDate: '2024-12-02',
        notificationDate: '2025-01-06',
        amountMin: 1001,
        amountMax: 15000,
        filingStatus: 'new',
        description: 'Called Security',
        comment: null,
        subholdingOf: 'Stocks, Bonds, & Mutual Funds',
      },
      {
        owner: 'joint',
        assetName: 'Duke Street LLC, 50% Interest',
        ticker: null,
        assetType: 'OI',
        transactionType: 'sale',
        transactionDate: '2024-12-23',
        notificationDate: '2024-12-26',
        amountMin: 5000001,
        amountMax: 25000000,
        filingStatus: 'new',
        description: 'sale of 2712 Duke Street, Alexandria, Virginia',
        comment: null,
        subholdingOf: 'Real estate investments',
      },
      {
        owner: 'joint',
        assetName: 'Oklahoma Cnty OK Indep 3.00% 07.01.25',
        ticker: null,
        assetType: 'GS',
        transactionType: 'purchase',
        transactionDate: '2024-12-04',
        notificationDate: '2025-01-06',
        amountMin: 1001,
        amountMax: 15000,
        filingStatus: 'new',
        description: '15,000 units Oklahoma County, OK, Indep 3.00% 07/01/25',
        comment: null,
        subholdingOf: 'Stocks, Bonds, & Mutual Funds',
      },
      {
        owner: 'joint',
        assetName: 'Oklahoma Cnty OK Indep 3.00% 07.01.25',
        ticker: null,
        assetType: 'GS',
        transactionType: 'purchase',
        transactionDate: '2024-12-04',
        notificationDate: '2025-01-06',
        amountMin: 1001,
        amountMax: 15000,
        filingStatus: 'new',
        description: '5,000 units Oklahoma County, OK, Indep 3.00% 07/01/25',
        comment: null,
        subholdingOf: 'Stocks, Bonds, & Mutual Funds',
      },
    ],
  },

  // Spouse, S (partial), an asset name wrapping mid-phrase ("- Series" / "A Common Stock").
  '20026513': {
    chamber: 'house',
    filingId: '20026513',
    kind: 'electronic',
    filerName: 'Laurel Lee',
    stateDistrict: 'FL15',
    filedDate: '2025-01-07',
    amendment: false,
    transactions: [
      {
        owner: 'spouse',
        assetName: 'TuHURA Biosciences, Inc. - Common Stock',
        ticker: 'HURA',
        assetType: 'ST',
        transactionType: 'purchase',
        transactionDate: '2024-11-25',
        notificationDate: '2025-01-05',
        amountMin: 1001,
        amountMax: 15000,
        filingStatus: 'new',
        description: null,
        comment: null,
        subholdingOf: null,
      },
      {
        owner: 'spouse',
        assetName: 'Warner Bros. Discovery, Inc. - Series A Common Stock',
        ticker: 'WBD',
        assetType: 'ST',
        transactionType: 'sale_partial',
        transactionDate: '2024-11-29',
        notificationDate: '2025-01-05',
        amountMin: 1001,
        amountMax: 15000,
        filingStatus: 'new',
        description: null,
        comment: null,
        subholdingOf: null,
      },
    ],
  },

  // A row with both a Description and a Comments line.
  '20026650': {
    chamber: 'house',
    filingId: '20026650',
    kind: 'electronic',
    filerName: 'Robert E. Latta',
    stateDistrict: 'OH05',
    filedDate: '2025-01-24',
    amendment: false,
    transactions: [
      {
        owner: 'spouse',
        assetName: 'Farmers & Merchants Bancorp, Inc.',
        ticker: 'FMAO',
        assetType: 'ST',
        transactionType: 'purchase',
        transactionDate: '2025-01-20',
        notificationDate: '2025-01-20',
        amountMin: 1001,
        amountMax: 15000,
        filingStatus: 'new',
        description: 'Dividend Reinvestment',
        comment: 'Dividend Reinvestment',
        subholdingOf: null,
      },
    ],
  },

  // Non-public stock [PS] with a Location line (not kept) between S O and D.
  '20026736': {
    chamber: 'house',
    filingId: '20026736',
    kind: 'electronic',
    filerName: 'David P. Joyce',
    stateDistrict: 'OH14',
    filedDate: '2025-02-07',
    amendment: false,
    transactions: [
      {
        owner: 'self',
        assetName: 'MAI Managed',
        ticker: null,
        assetType: 'PS',
        transactionType: 'sale_partial',
        transactionDate: '2025-01-10',
        notificationDate: '2025-02-07',
        amountMin: 50001,
        amountMax: 100000,
        filingStatus: 'new',
        description: 'MAI Managed funds',
        comment: null,
        subholdingOf: 'David P. Joyce Trust',
      },
    ],
  },

  // A dependent child (DC) owner.
  '20033416': {
    chamber: 'house',
    filingId: '20033416',
    kind: 'electronic',
    filerName: 'Michael Patrick Guest',
    stateDistrict: 'MS03',
    filedDate: '2025-11-19',
    amendment: false,
    transactions: [
      {
        owner: 'dependent',
        assetName: 'Monolithic Power Systems, Inc. - Common Stock',
        ticker: 'MPWR',
        assetType: 'ST',
        transactionType: 'purchase',
        transactionDate: '2025-10-20',
        notificationDate: '2025-11-05',
        amountMin: 1001,
        amountMax: 15000,
        filingStatus: 'new',
        description: null,
        comment: null,
        subholdingOf: 'TR - D1',
      },
    ],
  },
};

describe('House PTR fixtures', () => {
  it('has an expectation for every fixture PDF', () => {
    expect(Object.keys(EXPECTED).sort()).toEqual(
      [
        '20026489',
        '20026513',
        '20026517',
        '20026537',
        '20026548',
        '20026590',
        '20026650',
        '20026736',
        '20030336',
        '20033416',
        '8220747',
      ].sort(),
    );
  });

  for (const [docId, expected] of Object.entries(EXPECTED)) {
    it(`reads ${docId}.pdf`, async () => {
      expect(await readHousePtrPdf(pdf(docId), docId)).toEqual(expected);
    });

    it(`reads the same from pypdf's text of ${docId}`, () => {
      expect(parseHousePtr(pypdfText(docId), docId)).toEqual(expected);
    });
  }

  it('reads text whose dates run together (01/14/202501/14/2025) like the normal text', () => {
    const text = readFileSync(join(clerk, 'ptr-text', '20026590.jakeintech-extract.txt'), 'utf8');
    expect(text).toContain('P 01/14/202501/14/2025 $250,001 -');
    expect(parseHousePtr(text, '20026590')).toEqual(EXPECTED['20026590']);
  });

  it('refuses the Clerk’s 404 page with ParseError', async () => {
    const html = new Uint8Array(readFileSync(join(clerk, 'errors/404-ptr-not-yet-posted.html')));
    await expect(readHousePtrPdf(html, '20026590')).rejects.toThrow(ParseError);
  });
});
