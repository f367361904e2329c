import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fixturePath } from '../../support/fixtures';
import { ParseError, type Owner, type TransactionType } from '../../../domain/filing';
import { paperFiling, parseSenatePtr } from '../../../sources/senate/parsePtr';
import { SENATE_ROW, trade } from '../../support/trades';
import { parseSearchRow } from '../../../sources/senate/searchRows';

const efdDir = fixturePath('senate-efd');
const page = (id: string) => readFileSync(join(efdDir, 'search', 'view', 'ptr', `${id}.html`), 'utf8');

const INHERITED = 'Acquired as a result of a 9/21/16 inheritance.';

describe('parseSenatePtr on the real eFD pages', () => {
  it('reads the 17-row Whitehouse report in filing order (# 1..17), every owner kind', () => {
    const id = 'aad1827a-05d8-4b8f-96ed-f3e5f8c925ab';
    expect(parseSenatePtr(page(id), id)).toEqual({
      chamber: 'senate',
      filingId: id,
      kind: 'electronic',
      filerName: 'Sheldon Whitehouse',
      stateDistrict: null,
      filedDate: '2016-10-07',
      amendment: false,
      transactions: [
        trade({
          ...SENATE_ROW,
          owner: 'self',
          transactionDate: '2016-09-06',
          ticker: 'REGN',
          assetName: 'Regeneron Pharmaceuticals, Inc.',
          assetType: 'Stock',
          transactionType: 'purchase',
          amountMin: 1001,
          amountMax: 15000,
        }),
        trade({
          ...SENATE_ROW,
          owner: 'self',
          transactionDate: '2016-09-06',
          ticker: 'GILD',
          assetName: 'Gilead Sciences Inc.',
          assetType: 'Stock',
          transactionType: 'sale_partial',
          amountMin: 1001,
          amountMax: 15000,
        }),
        trade({
          ...SENATE_ROW,
          owner: 'self',
          transactionDate: '2016-09-28',
          ticker: 'WM',
          assetName: 'Waste Management, Inc.',
          assetType: 'Stock',
          transactionType: 'purchase',
          amountMin: 1001,
          amountMax: 15000,
        }),
        trade({
          ...SENATE_ROW,
          owner: 'self',
          transactionDate: '2016-09-28',
          ticker: 'AXP',
          assetName: 'American Express Company',
          assetType: 'Stock',
          transactionType: 'sale_partial',
          amountMin: 15001,
          amountMax: 50000,
        }),
        trade({
          ...SENATE_ROW,
          owner: 'joint',
          transactionDate: '2016-09-28',
          ticker: 'BA',
          assetName: 'The Boeing Company',
          assetType: 'Stock',
          transactionType: 'purchase',
          amountMin: 1001,
          amountMax: 15000,
        }),
        trade({
          ...SENATE_ROW,
          owner: 'joint',
          transactionDate: '2016-09-28',
          ticker: 'VOD',
          assetName: 'VOD-VOD-Vodafone Group Plc',
          assetType: 'Stock',
          transactionType: 'sale',
          amountMin: 1001,
          amountMax: 15000,
          comment: INHERITED,
        }),
        trade({
          ...SENATE_ROW,
          owner: 'joint',
          transactionDate: '2016-09-28',
          ticker: 'MCK',
          assetName: 'McKesson Corporation',
          assetType: 'Stock',
          transactionType: 'purchase',
          amountMin: 1001,
          amountMax: 15000,
        }),
        trade({
          ...SENATE_ROW,
          owner: 'joint',
          transactionDate: '2016-09-28',
          ticker: 'EL',
          assetName: 'The Estée Lauder Companies Inc.',
          assetType: 'Stock',
          transactionType: 'purchase',
          amountMin: 1001,
          amountMax: 15000,
        }),
        trade({
          ...SENATE_ROW,
          owner: 'joint',
          transactionDate: '2016-09-22',
          ticker: 'SO',
          assetName: 'SO-SO-Southern Company',
          assetType: 'Stock',
          transactionType: 'sale',
          amountMin: 1001,
          amountMax: 15000,
          comment: INHERITED,
        }),
        trade({
          ...SENATE_ROW,
          owner: 'joint',
          transactionDate: '2016-09-22',
          ticker: 'DIS',
          assetName: 'The Walt Disney Company',
          assetType: 'Stock',
          transactionType: 'purchase',
          amountMin: 1001,
          amountMax: 15000,
        }),
        trade({
          ...SENATE_ROW,
          owner: 'joint',
          transactionDate: '2016-09-22',
          ticker: 'WEC',
          assetName: 'WEC-WEC-WEC Energy Group, Inc.',
          assetType: 'Stock',
          transactionType: 'sale',
          amountMin: 1001,
          amountMax: 15000,
          comment: INHERITED,
        }),
        trade({
          ...SENATE_ROW,
          owner: 'joint',
          transactionDate: '2016-09-22',
          ticker: null,
          assetName: 'CHL CHINA MOBILE LTD',
          assetType: 'Stock',
          transactionType: 'sale',
          amountMin: 1001,
          amountMax: 15000,
          comment: INHERITED,
        }),
        trade({
          ...SENATE_ROW,
          owner: 'joint',
          transactionDate: '2016-09-06',
          ticker: 'NSRGY',
          assetName: 'Nestlé S.A.',
          assetType: 'Stock',
          transactionType: 'sale_partial',
          amountMin: 15001,
          amountMax: 50000,
        }),
        trade({
          ...SENATE_ROW,
          owner: 'joint',
          transactionDate: '2016-09-06',
          ticker: 'NFLX',
          assetName: 'Netflix, Inc.',
          assetType: 'Stock',
          transactionType: 'sale',
          amountMin: 15001,
          amountMax: 50000,
        }),
        trade({
          ...SENATE_ROW,
          owner: 'spouse',
          transactionDate: '2016-09-28',
          ticker: 'FB',
          assetName: 'Facebook, Inc.',
          assetType: 'Stock',
          transactionType: 'purchase',
          amountMin: 1001,
          amountMax: 15000,
        }),
        trade({
          ...SENATE_ROW,
          owner: 'dependent',
          transactionDate: '2016-09-26',
          ticker: 'MAR',
          assetName: 'MAR - Marriott International, Inc.',
          assetType: 'Stock',
          transactionType: 'exchange',
          amountMin: 1001,
          amountMax: 15000,
          comment: 'Shares received in exchange for Starwood Hotels (HOT) shares as a result of merger.',
        }),
        trade({
          ...SENATE_ROW,
          owner: 'dependent',
          transactionDate: '2016-09-06',
          ticker: 'GILD',
          assetName: 'Gilead Sciences Inc.',
          assetType: 'Stock',
          transactionType: 'sale_partial',
          amountMin: 1001,
          amountMax: 15000,
        }),
      ],
    });
  });

  it('reads an exchange of two holdings as one row: the holding given up, the ticker received, the pair in the description', () => {
    const id = 'f9713429-c28a-4e22-bdb8-f5e182c364ed';
    expect(parseSenatePtr(page(id), id)).toEqual({
      chamber: 'senate',
      filingId: id,
      kind: 'electronic',
      filerName: 'Jacklyn S Rosen',
      stateDistrict: null,
      filedDate: '2019-06-20',
      amendment: false,
      transactions: [
        {
          ...trade({
            ...SENATE_ROW,
            owner: 'joint',
            transactionDate: '2019-05-23',
            ticker: 'VFC',
            assetName: 'V.F. Corporation',
            assetType: 'Stock',
            transactionType: 'exchange',
            amountMin: 1001,
            amountMax: 15000,
            comment: null,
            description: 'V.F. Corporation (VFC) → Kontoor Brands, Inc. (KTB)',
          }),
          receivedTicker: 'KTB',
        },
      ],
    });
  });

  it('keeps a corporate bond’s coupon and maturity as the description', () => {
    const id = '1b7e3f54-6b1e-45f5-a7b4-a05d6fbe62d6';
    expect(parseSenatePtr(page(id), id)).toEqual({
      chamber: 'senate',
      filingId: id,
      kind: 'electronic',
      filerName: 'Gary C Peters',
      stateDistrict: null,
      filedDate: '2016-08-29',
      amendment: false,
      transactions: [
        trade({
          ...SENATE_ROW,
          owner: 'self',
          transactionDate: '2016-08-01',
          ticker: null,
          assetName: 'Sunoco Logistics NTS B/E',
          assetType: 'Corporate Bond',
          transactionType: 'purchase',
          amountMin: 1001,
          amountMax: 15000,
          comment: null,
          description: 'Rate/Coupon: 3.450%; Matures: 01/15/2023',
        }),
      ],
    });
  });

  it('marks an amendment from "(Amendment 2)" in the title', () => {
    const id = '1179b764-b4af-4732-9948-81a32fbf2a54';
    expect(parseSenatePtr(page(id), id)).toEqual({
      chamber: 'senate',
      filingId: id,
      kind: 'electronic',
      filerName: 'Patrick J Toomey',
      stateDistrict: null,
      filedDate: '2017-12-19',
      amendment: true,
      // The filer typed the fund's symbol as the asset name and left the ticker blank.
      transactions: [
        trade({
          ...SENATE_ROW,
          owner: 'joint',
          transactionDate: '2016-01-05',
          ticker: null,
          assetName: 'GLD',
          assetType: 'Stock',
          transactionType: 'purchase',
          amountMin: 1001,
          amountMax: 15000,
        }),
      ],
    });
  });

  it('reads a single-row report filed "@ 3 PM" (no minutes)', () => {
    const id = '47763e88-79c4-477e-af8d-5d5b3bc5ede4';
    expect(parseSenatePtr(page(id), id)).toEqual({
      chamber: 'senate',
      filingId: id,
      kind: 'electronic',
      filerName: 'Patrick J Toomey',
      stateDistrict: null,
      filedDate: '2020-03-06',
      amendment: false,
      transactions: [
        trade({
          ...SENATE_ROW,
          owner: 'self',
          transactionDate: '2020-02-28',
          ticker: null,
          assetName: 'PPL',
          assetType: 'Stock',
          transactionType: 'purchase',
          amountMin: 15001,
          amountMax: 50000,
        }),
      ],
    });
  });

  it('agrees with jeremiak’s independent parse on dates, owners, types and amounts of every row', () => {
    const owners: Record<string, Owner> = {
      Self: 'self',
      Spouse: 'spouse',
      Joint: 'joint',
      Child: 'dependent',
    };
    const types: Record<string, TransactionType> = {
      Purchase: 'purchase',
      'Sale (Full)': 'sale',
      'Sale (Partial)': 'sale_partial',
      Exchange: 'exchange',
    };
    for (const id of [
      'aad1827a-05d8-4b8f-96ed-f3e5f8c925ab',
      'f9713429-c28a-4e22-bdb8-f5e182c364ed',
      '1b7e3f54-6b1e-45f5-a7b4-a05d6fbe62d6',
      '1179b764-b4af-4732-9948-81a32fbf2a54',
      '47763e88-79c4-477e-af8d-5d5b3bc5ede4',
    ]) {
      const theirs = JSON.parse(readFileSync(join(efdDir, 'parsed-by-jeremiak', `${id}.json`), 'utf8')) as {
        data: { rows: Record<string, string>[] }[];
      };
      const key = (date: string, owner: string, type: string, amount: string) =>
        `${date}|${owner}|${type}|${amount}`;
      const expected = theirs.data
        .flatMap((d) => d.rows)
        .map((r) => {
          const [m, d, y] = r['transaction-date']!.split('/');
          return key(`${y}-${m}-${d}`, owners[r.owner!]!, types[r.type!]!, r.amount!.replace(/[$,\s]/g, ''));
        })
        .sort();
      const ours = parseSenatePtr(page(id), id)
        .transactions.map((t) =>
          key(t.transactionDate!, t.owner, t.transactionType ?? '', `${t.amountMin}-${t.amountMax}`),
        )
        .sort();
      expect(ours, id).toEqual(expected);
    }
  });
});

/**
 * A real page with its transactions table body swapped for the given rows; the page's own count
 * ("(1 transaction total)") is set to the number of rows unless `declared` says otherwise.
 */
function withRows(
  rowsHtml: string,
  heading = 'Periodic Transaction Report for 03/06/2020',
  declared = (rowsHtml.match(/<tr[\s>]/g) ?? []).length,
): string {
  return page('47763e88-79c4-477e-af8d-5d5b3bc5ede4')
    .replace(/<tbody>[\s\S]*<\/tbody>/, `<tbody>${rowsHtml}</tbody>`)
    .replace(/<h1 class="mb-2">[\s\S]*?<\/h1>/, `<h1 class="mb-2">${heading}</h1>`)
    .replace(/\(\d+ transactions? total\)/, `(${declared} transaction${declared === 1 ? '' : 's'} total)`);
}

/** The same page with another filer heading (the `<h2 class="filedReport">` contents). */
function withFiler(h2Text: string): string {
  return page('47763e88-79c4-477e-af8d-5d5b3bc5ede4').replace(
    /<h2 class="filedReport">[\s\S]*?<\/h2>/,
    `<h2 class="filedReport">${h2Text}</h2>`,
  );
}

function row(cells: string[]): string {
  return `<tr>${cells.map((c) => `<td>${c}</td>`).join('')}</tr>`;
}

describe('parseSenatePtr beyond the fixture pages', () => {
  it('reads option details, open and large brackets, Dependent Child, a plain "Sale" and page order', () => {
    const html = withRows(
      [
        row([
          '2',
          '03/02/2020',
          'Dependent Child',
          '<a href="https://finance.yahoo.com/q?s=AAPL">AAPL</a>',
          `Apple Inc.
           <div class="text-muted"><em>Option Type:</em> Call<br><em>Strike price:</em> $150.00<br><em>Expires:</em> 01/21/2022</div>`,
          'Stock Option',
          'Sale',
          'Over $50,000,000',
          'Closed position',
        ]),
        row([
          '1',
          '3/1/2020',
          'Spouse',
          '--',
          'Blackstone Real Estate Fund',
          'Other Securities',
          'Purchase',
          '$1,000,001 - $5,000,000',
          '--',
        ]),
        row([
          '3',
          '--',
          'Self',
          '--',
          'Bitcoin',
          'Cryptocurrency',
          'Sale (Full)',
          '$5,000,001 - $25,000,000',
          '',
        ]),
      ].join(''),
      'Periodic Transaction Report for 03/06/2020 (Amendment 1)',
    );
    const filing = parseSenatePtr(html, 'x');
    expect(filing.amendment).toBe(true);
    expect(filing.transactions).toEqual([
      trade({
        ...SENATE_ROW,
        owner: 'spouse',
        transactionDate: '2020-03-01',
        ticker: null,
        assetName: 'Blackstone Real Estate Fund',
        assetType: 'Other Securities',
        transactionType: 'purchase',
        amountMin: 1000001,
        amountMax: 5000000,
      }),
      trade({
        ...SENATE_ROW,
        owner: 'dependent',
        transactionDate: '2020-03-02',
        ticker: 'AAPL',
        assetName: 'Apple Inc.',
        assetType: 'Stock Option',
        transactionType: 'sale',
        amountMin: 50000001,
        amountMax: null,
        comment: 'Closed position',
        description: 'Option Type: Call; Strike price: $150.00; Expires: 01/21/2022',
      }),
      {
        ...trade({
          ...SENATE_ROW,
          owner: 'self',
          transactionDate: '',
          ticker: null,
          assetName: 'Bitcoin',
          assetType: 'Cryptocurrency',
          transactionType: 'sale',
          amountMin: 5000001,
          amountMax: 25000000,
        }),
        transactionDate: null,
      },
    ]);
  });

  it('gives an exchange pair without a second ticker a null ticker received, and other rows none', () => {
    const html = withRows(
      [
        row([
          '1',
          '03/02/2020',
          'Self',
          'VFC<br>--',
          'V.F. Corporation (Exchanged)<br>Kontoor Brands, Inc. (Received)',
          'Stock',
          'Exchange',
          '$1,001 - $15,000',
          '--',
        ]),
        row([
          '2',
          '03/02/2020',
          'Self',
          'KTB',
          'Kontoor Brands, Inc.',
          'Stock',
          'Purchase',
          '$1,001 - $15,000',
          '--',
        ]),
      ].join(''),
    );
    const [exchange, purchase] = parseSenatePtr(html, 'x').transactions;
    expect(exchange).toMatchObject({
      ticker: 'VFC',
      receivedTicker: null,
      description: 'V.F. Corporation (VFC) → Kontoor Brands, Inc.',
    });
    expect(purchase).not.toHaveProperty('receivedTicker');
  });

  it('accepts a report with an empty transactions table', () => {
    expect(parseSenatePtr(withRows(''), 'x').transactions).toEqual([]);
  });

  it('refuses a table whose rows disagree with the page’s own "(N transactions total)"', () => {
    const one = row(['1', '03/02/2020', 'Self', '--', 'X', 'Stock', 'Purchase', '$1,001 - $15,000', '--']);
    const cases: [string, number, RegExp][] = [
      ['', 1, /declares 1 transaction but its table has 0 rows/],
      [one, 17, /declares 17 transactions but its table has 1 row /],
      [one + one.replace('<td>1</td>', '<td>2</td>'), 1, /declares 1 transaction but its table has 2 rows/],
    ];
    for (const [rows, declared, reason] of cases) {
      const html = withRows(rows, undefined, declared);
      expect(() => parseSenatePtr(html, 'x')).toThrow(ParseError);
      expect(() => parseSenatePtr(html, 'x')).toThrow(reason);
    }
  });

  it.each([
    // As printed on real reports: some senators chose a courtesy title instead of "The Honorable".
    [
      'Mr. David\n                A Perdue Jr\n                \n                (Perdue, David)',
      'David A Perdue Jr',
    ],
    ['Ms. Tina\n                Smith\n                \n                (Smith, Tina)', 'Tina Smith'],
    ['Mrs. Joni\n                K Ernst\n                ', 'Joni K Ernst'],
    [
      'Mr. Angus\n                S King Jr.\n                \n                (King, Angus)',
      'Angus S King Jr.',
    ],
    [
      'The Honorable A. Mitchell\n                McConnell Jr.\n                \n                (McConnell, A. Mitchell Jr.)',
      'A. Mitchell McConnell Jr.',
    ],
    [
      'The Honorable Joseph\n                Manchin III\n                \n                (Manchin, Joe)',
      'Joseph Manchin III',
    ],
    [
      'Ms. Catherine\n                Cortez Masto\n                \n                (Cortez Masto, Catherine )',
      'Catherine Cortez Masto',
    ],
  ])('names the filer of the heading %j as %j', (h2, name) => {
    expect(parseSenatePtr(withFiler(h2), 'x').filerName).toBe(name);
  });

  it('keeps a private company’s location with its name, and decodes the entities of newer pages', () => {
    // The structure of a 2025 report of a non-public stock sale (header "&#35;", the location on its
    // own source line after "&nbsp;", an apostrophe as "&#x27;").
    const html = withRows(`
                                <tr>
                                    <td>1</td>
                                    <td>
                                        06/28/2025
                                    </td>
                                    <td>Self</td>
                                    <td>
                                        
                                            --
                                        
                                        
                                    </td>
                                    <td>
                                        
                                            Ansett Aerospace Holdings LLC - Regaero Holdings Pty Ltd &amp; Co
                                        
                                        
                                        
                                            
                                                <div class="text-muted">
                                                    <em>Company:</em> Regaero Holdings Pty Ltd
                                                    
                                                        &nbsp;(Melbourne, Australia)
                                                    
                                                </div>
                                            

                                            
                                                <div class="text-muted"><em>Description:</em>&nbsp;Aviation Training Facilities</div>
                                            
                                        
                                    </td>
                                    <td>Non-Public Stock</td>
                                    <td>Sale (Full)</td>

                                    <td>$500,001 - $1,000,000</td>
                                    <td>Sale made at the direction of the filer&#x27;s fund.</td>
                                </tr>`).replace('<th scope="col">#</th>', '<th scope="col">&#35;</th>');
    expect(parseSenatePtr(html, 'x').transactions).toEqual([
      trade({
        ...SENATE_ROW,
        owner: 'self',
        transactionDate: '2025-06-28',
        ticker: null,
        assetName: 'Ansett Aerospace Holdings LLC - Regaero Holdings Pty Ltd & Co',
        assetType: 'Non-Public Stock',
        transactionType: 'sale',
        amountMin: 500001,
        amountMax: 1000000,
        comment: "Sale made at the direction of the filer's fund.",
        description:
          'Company: Regaero Holdings Pty Ltd (Melbourne, Australia); Description: Aviation Training Facilities',
      }),
    ]);
  });

  it('reads the eFD’s other transactions-table layout: a blank first column, no Asset Type, the date after the type', () => {
    // The column order of the eFD transactions table in annual reports (Part 4a/4b), with a plain-text
    // ticker and a `div.muted` detail block.
    const html = withRows(
      `<tr class="nowrap">
                            <td>
                            </td>
                            <td>
                                2</td>
                            <td>Self</td>
                            <td>

                                    --


                            </td>
                            <td>

                                    Poughkeepsie Town NY Build America - CUSIP 738663Y72


                                    <div class="muted">
                                        <em>Rate/Coupon:</em> 3<br/>
                                        <em>Matures:</em> 12/15/19
                                    </div>

                            </td>
                            <td>Sale (Full)</td>
                            <td>08/21/2015</td>
                            <td>$50,001 - $100,000</td>
                            <td>
                                --</td>
                        </tr>
                        <tr class="nowrap">
                            <td>
                            </td>
                            <td>
                                1</td>
                            <td>Joint</td>
                            <td>

                                    MAC


                            </td>
                            <td>

                                    The Macerich Company (NYSE)


                            </td>
                            <td>Purchase</td>
                            <td>07/15/2015</td>
                            <td>$1,000,001 - $5,000,000</td>
                            <td>
                                --</td>
                        </tr>`,
    ).replace(
      /<thead>[\s\S]*<\/thead>/,
      `<thead>
                    <tr class="header">
                        <th scope="col"></th>
                        <th scope="col">#</th>
                        <th scope="col">Owner</th>
                        <th scope="col">Ticker</th>
                        <th scope="col">Asset Name</th>
                        <th scope="col">Transaction Type</th>
                        <th scope="col">Transaction Date</th>
                        <th scope="col">Amount</th>
                        <th scope="col">Comment</th>
                    </tr>
                    </thead>`,
    );
    expect(parseSenatePtr(html, 'x').transactions).toEqual([
      trade({
        ...SENATE_ROW,
        owner: 'joint',
        transactionDate: '2015-07-15',
        ticker: 'MAC',
        assetName: 'The Macerich Company (NYSE)',
        assetType: null,
        transactionType: 'purchase',
        amountMin: 1000001,
        amountMax: 5000000,
      }),
      trade({
        ...SENATE_ROW,
        owner: 'self',
        transactionDate: '2015-08-21',
        ticker: null,
        assetName: 'Poughkeepsie Town NY Build America - CUSIP 738663Y72',
        assetType: null,
        transactionType: 'sale',
        amountMin: 50001,
        amountMax: 100000,
        comment: null,
        description: 'Rate/Coupon: 3; Matures: 12/15/19',
      }),
    ]);
  });

  it('reads type labels with odd spacing and the qualified top amount bracket', () => {
    const html = withRows(
      [
        row(['1', '03/02/2020', 'Spouse', '--', 'X', 'Stock', 'Sale(Partial)', '$1,001 -$15,000', '--']),
        row([
          '2',
          '03/02/2020',
          'Spouse',
          '--',
          'Y',
          'Stock',
          'sale ( full )',
          'Over $1,000,000 and held independently by spouse or dependent child',
          '--',
        ]),
      ].join(''),
    );
    expect(
      parseSenatePtr(html, 'x').transactions.map((t) => [t.transactionType, t.amountMin, t.amountMax]),
    ).toEqual([
      ['sale_partial', 1001, 15000],
      ['sale', 1000001, null],
    ]);
  });

  it.each([
    [
      'an unknown owner',
      ['1', '03/02/2020', 'Trust', '--', 'X', 'Stock', 'Purchase', '$1,001 - $15,000', '--'],
      /owner "Trust"/,
    ],
    [
      'an unknown type',
      ['1', '03/02/2020', 'Self', '--', 'X', 'Stock', 'Gift', '$1,001 - $15,000', '--'],
      /transaction type "Gift"/,
    ],
    [
      'an unreadable amount',
      ['1', '03/02/2020', 'Self', '--', 'X', 'Stock', 'Purchase', 'a lot', '--'],
      /amount "a lot"/,
    ],
    [
      'an impossible date',
      ['1', '02/30/2020', 'Self', '--', 'X', 'Stock', 'Purchase', '$1,001 - $15,000', '--'],
      /02\/30\/2020/,
    ],
    ['a short row', ['1', '03/02/2020', 'Self'], /3 cells, expected 9/],
  ])('names the row and the problem for %s', (_, cells, reason) => {
    expect(() => parseSenatePtr(withRows(row(cells)), 'x')).toThrow(ParseError);
    expect(() => parseSenatePtr(withRows(row(cells)), 'x')).toThrow(reason);
  });

  it.each([
    ['an empty body', '  ', /empty document/],
    [
      'the agreement page',
      '<html><body><h1>Financial Disclosure Reports</h1><form><input type="hidden" name="csrfmiddlewaretoken" value="t"><input type="checkbox" name="prohibition_agreement" value="1"></form></body></html>',
      /agreement \(home\) page/,
    ],
    [
      'a maintenance page',
      '<html><head><title>eFD: Site Maintenance</title></head><body><h1>Site Under Maintenance</h1></body></html>',
      /maintenance page/,
    ],
    [
      'a paper report’s images',
      '<html><body><h1>Periodic Transaction Report</h1><img class="filingImage" src="p1.gif"></body></html>',
      /paper filing/,
    ],
    [
      'some other page',
      '<html><head><title>eFD: Annual Report</title></head><body><h1>Annual Report for CY 2019</h1></body></html>',
      /not a Periodic Transaction Report page/,
    ],
    [
      'a PTR heading without the table',
      '<html><body><h1>Periodic Transaction Report for 01/01/2020</h1><p>nothing</p></body></html>',
      /no transactions table/,
    ],
  ])('refuses %s with a ParseError', (_, html, reason) => {
    expect(() => parseSenatePtr(html, 'abc')).toThrow(ParseError);
    expect(() => parseSenatePtr(html, 'abc')).toThrow(reason);
  });
});

describe('paperFiling', () => {
  it('makes an empty paper filing from a search row, with the capitalised name made readable', () => {
    const ref = parseSearchRow([
      'ANGUS S',
      'KING',
      'Senator',
      '<a href="/search/view/paper/00181DE2-0AC3-4373-9C2C-27A9C8D5DB59/" target="_blank">Periodic Transaction Report for 07/22/2013</a>',
      '07/22/2013',
    ]);
    expect(paperFiling(ref)).toEqual({
      chamber: 'senate',
      filingId: '00181DE2-0AC3-4373-9C2C-27A9C8D5DB59',
      kind: 'paper',
      filerName: 'Angus S King',
      stateDistrict: null,
      filedDate: '2013-07-22',
      amendment: false,
      transactions: [],
    });
  });
});
