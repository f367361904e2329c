import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { strToU8, unzipSync, zipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { fixturePath } from '../../support/fixtures';
import { ParseError } from '../../../domain/filing';
import {
  isPtr,
  parseHouseIndexFile,
  parseHouseIndexTxt,
  parseHouseIndexXml,
  parseHouseIndexZip,
} from '../../../sources/house/parseIndex';

const clerk = fixturePath('house-clerk');
const bytes = (path: string) => new Uint8Array(readFileSync(join(clerk, path)));
const text = (path: string) => readFileSync(join(clerk, path), 'utf8');

/** Counts straight from the raw XML text, without the parser: rows, distinct DocIDs, PTRs. */
function rawCounts(xml: string) {
  const docIds = [...xml.matchAll(/<DocID>([^<]*)<\/DocID>/g)].map((m) => m[1]);
  return {
    members: (xml.match(/<Member>/g) ?? []).length,
    distinct: new Set(docIds).size,
    ptrs: (xml.match(/<FilingType>P<\/FilingType>/g) ?? []).length,
  };
}

function zipMemberText(zip: Uint8Array, name: string): string {
  const member = unzipSync(zip)[name];
  if (!member) throw new Error(`${name} not in zip`);
  return new TextDecoder().decode(member);
}

describe('House index ZIP', () => {
  it('reads the February 2025 ZIP: 123 filings, 56 PTRs', () => {
    const zip = bytes('public_disc/financial-pdfs/2025FD.zip');
    expect(rawCounts(zipMemberText(zip, '2025FD.xml'))).toEqual({ members: 123, distinct: 123, ptrs: 56 });
    const { rows } = parseHouseIndexZip(zip, 2025);
    expect(rows).toHaveLength(123);
    expect(rows.filter(isPtr)).toHaveLength(56);
    expect(rows.find((r) => r.docId === '20026590')).toEqual({
      docId: '20026590',
      filingType: 'P',
      prefix: 'Hon.',
      first: 'Nancy',
      last: 'Pelosi',
      suffix: '',
      stateDistrict: 'CA11',
      year: 2025,
      filingDate: '2025-01-17',
    });
  });

  it('reads the 2024 ZIP: 1,018 filings, 229 PTRs', () => {
    const zip = bytes('public_disc/financial-pdfs/2024FD.zip');
    expect(rawCounts(zipMemberText(zip, '2024FD.xml'))).toEqual({ members: 1018, distinct: 1018, ptrs: 229 });
    const { rows } = parseHouseIndexFile(zip, '2024FD.zip');
    expect(rows).toHaveLength(1018);
    expect(rows.filter(isPtr)).toHaveLength(229);
    // Tab-separated line `Hon.	Pelosi	Nancy		P	CA11	2024	7/2/2024	20025368` of 2024FD.txt.
    expect(rows.find((r) => r.docId === '20025368')).toEqual({
      docId: '20025368',
      filingType: 'P',
      prefix: 'Hon.',
      first: 'Nancy',
      last: 'Pelosi',
      suffix: '',
      stateDistrict: 'CA11',
      year: 2024,
      filingDate: '2024-07-02',
    });
    // Rows without a prefix keep an empty string.
    expect(rows.find((r) => r.docId === '10061149')).toMatchObject({
      prefix: '',
      first: 'Stacy',
      last: 'Zinn',
    });
  });

  it('falls back to the TXT member when the ZIP has no XML', () => {
    const txt = readFileSync(join(clerk, 'extracted/2025FD.txt'));
    const zip = zipSync({ '2025FD.txt': new Uint8Array(txt) });
    const { rows } = parseHouseIndexZip(zip);
    expect(rows).toHaveLength(123);
    expect(rows.filter(isPtr)).toHaveLength(56);
  });

  it('prefers the XML member even when the TXT comes first', () => {
    const xml =
      '<FinancialDisclosure><Member><FilingType>P</FilingType><Year>2025</Year><DocID>1</DocID></Member></FinancialDisclosure>';
    const txt =
      'Prefix\tLast\tFirst\tSuffix\tFilingType\tStateDst\tYear\tFilingDate\tDocID\n\tA\tB\t\tP\tXX01\t2025\t1/2/2025\t2\n';
    const { rows } = parseHouseIndexZip(
      zipSync({ '2025FD.txt': strToU8(txt), '2025FD.xml': strToU8(xml) }),
      2025,
    );
    expect(rows.map((r) => r.docId)).toEqual(['1']);
  });
});

describe('House index XML and TXT', () => {
  it('reads the November snapshot: 1,618 rows, 1,616 DocIDs, 471 PTRs, one row per DocID', () => {
    const xml = text('snapshots/2025FD.xml.2025-11-snapshot.xml');
    // BOM and LF line ends (the February XML below has CRLF).
    expect(xml.charCodeAt(0)).toBe(0xfeff);
    expect(xml).not.toContain('\r');
    expect(rawCounts(xml)).toEqual({ members: 1618, distinct: 1616, ptrs: 471 });
    const { rows } = parseHouseIndexXml(xml);
    expect(rows).toHaveLength(1616);
    expect(new Set(rows.map((r) => r.docId)).size).toBe(1616);
    expect(rows.filter(isPtr)).toHaveLength(471);
    expect(rows.filter((r) => r.docId === '10072224')).toEqual([
      {
        docId: '10072224',
        filingType: 'C',
        prefix: 'Mr.',
        first: 'David Wayne',
        last: 'Redkey',
        suffix: '',
        stateDistrict: 'AZ01',
        year: 2025,
        filingDate: '2025-08-16',
      },
    ]);
    // A PTR only in the November index (dependent-child owner fixture).
    expect(rows.find((r) => r.docId === '20033416')).toEqual({
      docId: '20033416',
      filingType: 'P',
      prefix: 'Hon.',
      first: 'Michael Patrick',
      last: 'Guest',
      suffix: '',
      stateDistrict: 'MS03',
      year: 2025,
      filingDate: '2025-11-19',
    });
  });

  it('sees the February index as a strict subset of the November one', () => {
    const feb = parseHouseIndexXml(text('extracted/2025FD.xml')).rows;
    const nov = new Map(
      parseHouseIndexXml(text('snapshots/2025FD.xml.2025-11-snapshot.xml')).rows.map((r) => [r.docId, r]),
    );
    for (const row of feb) expect(nov.get(row.docId)).toEqual(row);
    expect(nov.size).toBeGreaterThan(feb.length);
  });

  it('gets the same rows from the TXT and the XML of the February index', () => {
    expect(text('extracted/2025FD.xml')).toMatch(/^\uFEFF<\?xml[^\n]*\r\n/);
    expect(text('extracted/2025FD.txt')).toContain('\r\n');
    const fromXml = parseHouseIndexFile(bytes('extracted/2025FD.xml'), '2025FD.xml').rows;
    const fromTxt = parseHouseIndexFile(bytes('extracted/2025FD.txt'), '2025FD.txt').rows;
    expect(fromTxt).toHaveLength(123);
    expect(fromTxt).toEqual(fromXml);
    // Hand-checked lines of 2025FD.txt (UTF-8, CRLF): an accented name, a suffix.
    expect(fromTxt.find((r) => r.docId === '10063335')).toEqual({
      docId: '10063335',
      filingType: 'T',
      prefix: 'Hon.',
      first: 'Tony',
      last: 'Cárdenas',
      suffix: '',
      stateDistrict: 'CA29',
      year: 2025,
      filingDate: '2025-01-31',
    });
    expect(fromTxt.find((r) => r.docId === '20026666')).toMatchObject({
      first: 'Rudy C.',
      last: 'Yakym',
      suffix: 'III',
    });
    expect(fromTxt.find((r) => r.docId === '20026537')).toMatchObject({
      filingDate: '2025-01-16',
      stateDistrict: 'GA12',
    });
  });

  it('turns unpadded, empty and impossible dates into ISO dates or null, with LF line ends too', () => {
    const txt = [
      'Prefix\tLast\tFirst\tSuffix\tFilingType\tStateDst\tYear\tFilingDate\tDocID',
      'Hon.\tA\tB\t\tP\tXX01\t2025\t3/5/2025\t1',
      'Hon.\tA\tB\t\tP\tXX01\t2025\t\t2',
      'Hon.\tA\tB\t\tP\tXX01\t2025\t2/30/2025\t3',
      'Hon.\tA\tB\t\tP\tXX01\t2025\t12/31/2025\t4',
    ].join('\n');
    expect(parseHouseIndexTxt(txt).rows.map((r) => r.filingDate)).toEqual([
      '2025-03-05',
      null,
      null,
      '2025-12-31',
    ]);
  });

  it('keeps the last listing of a DocID listed twice', () => {
    const member = (docId: string, date: string, type: string) =>
      `<Member><Prefix /><Last>L</Last><First>F</First><Suffix /><FilingType>${type}</FilingType><StateDst>NY01</StateDst><Year>2025</Year><FilingDate>${date}</FilingDate><DocID>${docId}</DocID></Member>`;
    const xml = `\uFEFF<?xml version="1.0" encoding="utf-8"?>\r\n<FinancialDisclosure>${member('7', '1/2/2025', 'X')}${member('8', '1/3/2025', 'P')}${member('7', '2/9/2025', 'P')}</FinancialDisclosure>`;
    const { rows } = parseHouseIndexXml(xml);
    expect(rows).toHaveLength(2);
    expect(rows.find((r) => r.docId === '7')).toMatchObject({
      filingType: 'P',
      filingDate: '2025-02-09',
      prefix: '',
      suffix: '',
    });
  });

  it('reads an index with no filings yet as no rows', () => {
    expect(parseHouseIndexXml('<?xml version="1.0"?><FinancialDisclosure />')).toEqual({
      rows: [],
      rejected: [],
    });
  });
});

describe('House index: records that cannot be read', () => {
  const member = (docId: string, last = 'L') =>
    `<Member><Prefix /><Last>${last}</Last><First>F</First><Suffix /><FilingType>P</FilingType><StateDst>NY01</StateDst><Year>2025</Year><FilingDate>1/2/2025</FilingDate><DocID>${docId}</DocID></Member>`;
  const index = (...members: string[]) =>
    `\uFEFF<?xml version="1.0" encoding="utf-8"?>\r\n<FinancialDisclosure>\r\n${members.join('\r\n')}\r\n</FinancialDisclosure>`;

  it('keeps every readable record of an XML index with a damaged one, and names the damaged one', () => {
    const broken = member('3', 'Broken').replace('</Last>', '</Lst>');
    const read = parseHouseIndexXml(index(member('1'), broken, member('2')));
    expect(read.rows.map((r) => r.docId)).toEqual(['1', '2']);
    expect(read.rejected).toEqual([
      {
        reason: expect.stringMatching(/^malformed XML: .*Lst/),
        row: expect.stringContaining('<Last>Broken'),
      },
    ]);
  });

  it('rejects junk between records and a record cut short, keeping the others', () => {
    const xml = index(member('1'), 'JUNK <<>> junk', member('2'), member('4').slice(0, 60));
    const read = parseHouseIndexXml(xml);
    expect(read.rows.map((r) => r.docId)).toEqual(['1', '2']);
    expect(read.rejected.map((r) => r.reason)).toEqual([
      'malformed XML outside any complete <Member> record',
      'malformed XML outside any complete <Member> record',
    ]);
    expect(read.rejected[0]!.row).toBe('JUNK <<>> junk');
  });

  it('rejects records without a usable DocID or year, in XML and TXT alike', () => {
    const read = parseHouseIndexXml(
      index(
        member('1'),
        member(''),
        member('12a'),
        member('5').replace('2025</Year><FilingDate>1/2/2025', 'soon</Year><FilingDate>'),
      ),
    );
    expect(read.rows.map((r) => r.docId)).toEqual(['1']);
    expect(read.rejected.map((r) => r.reason)).toEqual([
      'House index XML: a record has no DocID',
      'DocID "12a" is not a number (House index XML)',
      'House index XML: DocID 5 has Year "soon"',
    ]);
    const txt = 'FilingType\tYear\tFilingDate\tDocID\nP\t2025\t1/2/2025\t1\nP\t2025\t1/2/2025\t<script>\n';
    expect(parseHouseIndexTxt(txt)).toEqual({
      rows: [expect.objectContaining({ docId: '1' })],
      rejected: [
        { reason: 'DocID "<script>" is not a number (House index TXT)', row: 'P\t2025\t1/2/2025\t<script>' },
      ],
    });
  });
});

describe('House index: bad input', () => {
  const zip = bytes('public_disc/financial-pdfs/2025FD.zip');

  it('refuses a truncated ZIP', () => {
    expect(() => parseHouseIndexZip(zip.slice(0, zip.length - 100))).toThrow(ParseError);
    expect(() => parseHouseIndexZip(zip.slice(0, 3000))).toThrow(/corrupt or truncated/);
  });

  it('refuses a ZIP whose compressed data is damaged', () => {
    // Overwrite the middle of the XML member's compressed data (its local header names it).
    const at = Buffer.from(zip).indexOf('2025FD.xml');
    const damaged = zip.slice();
    for (let i = at + 2000; i < at + 6000; i++) damaged[i] = 0x55;
    expect(() => parseHouseIndexZip(damaged)).toThrow(ParseError);
  });

  it('refuses random bytes and an empty body', () => {
    const random = new Uint8Array(4096).map((_, i) => (i * 2654435761) % 256);
    expect(() => parseHouseIndexZip(random)).toThrow(ParseError);
    expect(() => parseHouseIndexFile(random, '2025FD.zip')).toThrow(ParseError);
    expect(() => parseHouseIndexZip(new Uint8Array(0))).toThrow(/empty/);
    expect(() => parseHouseIndexXml('')).toThrow(ParseError);
    expect(() => parseHouseIndexXml('\uFEFF  \r\n')).toThrow(/empty/);
    expect(() => parseHouseIndexTxt('')).toThrow(/empty/);
    expect(() => parseHouseIndexFile(new Uint8Array(0), 'x.txt')).toThrow(ParseError);
  });

  it('refuses XML that is not the index', () => {
    expect(() => parseHouseIndexXml('<?xml version="1.0"?><rss><channel /></rss>')).toThrow(
      /no <FinancialDisclosure>/,
    );
    expect(() => parseHouseIndexXml(text('errors/404-ptr-not-yet-posted.html'))).toThrow(ParseError);
    expect(() => parseHouseIndexXml('<FinancialDisclosure><Member><DocID>1</DocID>')).toThrow(/malformed/);
  });

  it('refuses a TXT without the index header, a ZIP without an index, an unknown extension', () => {
    expect(() => parseHouseIndexTxt('hello\tworld\n1\t2\n')).toThrow(/lacks DocID, FilingType/);
    expect(() => parseHouseIndexZip(zipSync({ 'readme.md': strToU8('hi') }))).toThrow(/no .xml or .txt/);
    expect(() => parseHouseIndexFile(zip, '2025FD.pdf')).toThrow(/expected .zip, .xml or .txt/);
  });

  it('refuses a ZIP member that would unpack past the size cap', () => {
    // 65 MiB of zeros compresses to about 64 KiB.
    const bomb = zipSync({ '2025FD.xml': new Uint8Array(65 * 1024 * 1024) }, { level: 9 });
    expect(bomb.length).toBeLessThan(1024 * 1024);
    expect(() => parseHouseIndexZip(bomb, 2025)).toThrow(/would unpack to 68157440 bytes/);
  });

  it('refuses a ZIP member with an absurd compression ratio, even under the size cap', () => {
    // A real index, padded with 20 MB of blanks: well-formed, under the cap, about 1,000:1.
    const padded = text('extracted/2025FD.xml').replace(
      '<FinancialDisclosure>',
      `<FinancialDisclosure>${' '.repeat(20_000_000)}`,
    );
    const bomb = zipSync({ '2025FD.xml': strToU8(padded) }, { level: 9 });
    expect(padded.length / bomb.length).toBeGreaterThan(500);
    expect(() => parseHouseIndexZip(bomb, 2025)).toThrow(
      /^House index ZIP member 2025FD\.xml would unpack \d+ times its compressed size \(\d+ bytes to \d+\); an index compresses about 12 times/,
    );
    // The real indexes compress 8 to 13 times.
    expect(parseHouseIndexZip(zip, 2025).rows).toHaveLength(123);
    expect(parseHouseIndexZip(bytes('public_disc/financial-pdfs/2024FD.zip'), 2024).rows).toHaveLength(1018);
  });
});
