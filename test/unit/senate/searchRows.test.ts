import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { fixturePath } from '../../support/fixtures';
import { ParseError } from '../../../domain/filing';
import { parseSearchRow } from '../../../sources/senate/searchRows';

const envelope = JSON.parse(
  readFileSync(fixturePath('senate-efd', 'search-report-data.RECONSTRUCTED.json'), 'utf8'),
) as { data: string[][] };

describe('parseSearchRow', () => {
  it('reads every row of the search answer, electronic and paper', () => {
    const refs = envelope.data.map(parseSearchRow);
    expect(refs).toHaveLength(13);
    expect(refs.filter((r) => r.kind === 'ptr')).toHaveLength(10);
    expect(refs.filter((r) => r.kind === 'paper')).toHaveLength(3);
    expect(refs.map((r) => r.path)).toEqual(envelope.data.map((row) => /href="([^"]+)"/.exec(row[3]!)![1]));
  });

  it('reads an amended electronic PTR', () => {
    expect(parseSearchRow(envelope.data[1]!)).toEqual({
      reportId: '1179b764-b4af-4732-9948-81a32fbf2a54',
      kind: 'ptr',
      path: '/search/view/ptr/1179b764-b4af-4732-9948-81a32fbf2a54/',
      firstName: 'Patrick J',
      lastName: 'Toomey',
      office: 'Toomey, Pat (Senator)',
      title: 'Periodic Transaction Report for 01/12/2016 (Amendment 2)',
      filedDate: '2017-12-19',
      amendment: true,
    });
  });

  it('reads an original PTR with a suffix in the last name', () => {
    expect(parseSearchRow(envelope.data[3]!)).toEqual({
      reportId: '1dae4e2c-0fe3-46d5-9ab3-78454252da12',
      kind: 'ptr',
      path: '/search/view/ptr/1dae4e2c-0fe3-46d5-9ab3-78454252da12/',
      firstName: 'Robert P',
      lastName: 'Casey, Jr.',
      office: 'Casey, Robert P. Jr. (Senator)',
      title: 'Periodic Transaction Report for 05/15/2018',
      filedDate: '2018-05-15',
      amendment: false,
    });
  });

  it('reads a paper PTR, keeping the upper-case UUID the link uses', () => {
    expect(parseSearchRow(envelope.data[10]!)).toEqual({
      reportId: '00181DE2-0AC3-4373-9C2C-27A9C8D5DB59',
      kind: 'paper',
      path: '/search/view/paper/00181DE2-0AC3-4373-9C2C-27A9C8D5DB59/',
      firstName: 'ANGUS S',
      lastName: 'KING',
      office: 'Senator',
      title: 'Periodic Transaction Report for 07/22/2013',
      filedDate: '2013-07-22',
      amendment: false,
    });
  });

  const link =
    '<a href="/search/view/ptr/47763e88-79c4-477e-af8d-5d5b3bc5ede4/" target="_blank">Periodic Transaction Report for 03/06/2020</a>';
  it.each([
    ['not an array', { first: 'x' }, /not five strings/],
    ['four cells', ['Patrick J', 'Toomey', 'Toomey, Pat (Senator)', link], /not five strings/],
    ['a number cell', ['Patrick J', 'Toomey', 'Toomey, Pat (Senator)', link, 20200306], /not five strings/],
    [
      'no link',
      ['Patrick J', 'Toomey', 'Toomey, Pat (Senator)', 'Periodic Transaction Report', '03/06/2020'],
      /no report link/,
    ],
    [
      'an annual report',
      [
        'Patrick J',
        'Toomey',
        'x',
        '<a href="/search/view/annual/47763e88-79c4-477e-af8d-5d5b3bc5ede4/">Annual Report for CY 2019</a>',
        '05/15/2020',
      ],
      /"annual" report/,
    ],
    [
      'a link that is not a report',
      ['Patrick J', 'Toomey', 'x', '<a href="/search/home/">home</a>', '03/06/2020'],
      /not a \/search\/view/,
    ],
    [
      'a bad date',
      ['Patrick J', 'Toomey', 'Toomey, Pat (Senator)', link, '2020-03-06'],
      /no MM\/DD\/YYYY filed date/,
    ],
    ['no last name', ['Patrick J', ' ', 'Toomey, Pat (Senator)', link, '03/06/2020'], /no last name/],
  ])('refuses %s with a ParseError', (_, row, reason) => {
    expect(() => parseSearchRow(row)).toThrow(ParseError);
    expect(() => parseSearchRow(row)).toThrow(reason);
  });
});
