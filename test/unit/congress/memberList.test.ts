import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { fixturePath } from '../../support/fixtures';
import { ParseError } from '../../../domain/filing';
import { memberListUrl, nextPageUrl } from '../../../sources/congress/congressApi';
import { parseMemberList } from '../../../sources/congress/memberList';

const fixture = () => JSON.parse(readFileSync(fixturePath('congress-gov/member-list.limit1.json'), 'utf8'));

describe('Congress.gov member list', () => {
  it('reads the official example: name order, party letter, state code, chamber of the latest term', () => {
    expect(parseMemberList(fixture())).toEqual({
      members: [
        {
          bioguideId: 'Y000064',
          fullName: 'Todd Young',
          lastName: 'Young',
          party: 'R',
          state: 'IN',
          district: null,
          chamber: 'senate',
        },
      ],
      next: 'https://api.congress.gov/v3/member?offset=1&limit=1&format=json',
    });
  });

  it('keeps the configured base (a mirror) when following next links, and no API key in any URL', () => {
    expect(
      nextPageUrl(
        'https://api.congress.gov/v3/member?offset=250&limit=250&format=json',
        'http://mirror.local/congress',
      ),
    ).toBe('http://mirror.local/congress/v3/member?offset=250&limit=250&format=json');
    // A next link that echoes a key (as some API gateways do) loses it: the key travels in a header.
    expect(
      nextPageUrl(
        'https://api.congress.gov/v3/member?offset=250&api_key=KEY&limit=250',
        'https://api.congress.gov',
      ),
    ).toBe('https://api.congress.gov/v3/member?offset=250&limit=250');
    expect(memberListUrl('https://api.congress.gov')).toBe(
      'https://api.congress.gov/v3/member?currentMember=true&limit=250&offset=0&format=json',
    );
  });

  it('reads a member whose terms are of unexpected types as one without a known chamber', () => {
    const base = fixture().members[0];
    for (const terms of [
      { item: [{ chamber: 7, startYear: 2021 }] },
      { item: [null, 'x', { chamber: 'Senate', startYear: 'soon' }] },
      { item: 'not a list' },
      { item: { chamber: 'Senate' } },
      'terms',
      null,
    ]) {
      const [member] = parseMemberList({ members: [{ ...base, terms }] }).members;
      expect(member, JSON.stringify(terms)).toMatchObject({ bioguideId: 'Y000064' });
      expect(['senate', null], JSON.stringify(terms)).toContain(member!.chamber);
    }
  });

  it('refuses a response that is not a member list', () => {
    expect(() => parseMemberList({ error: 'API_KEY_INVALID' })).toThrow(ParseError);
    expect(() => parseMemberList({ members: [{ name: 'No Id' }] })).toThrow(/without bioguideId/);
  });
});
