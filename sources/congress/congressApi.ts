import { ParseError } from '../../domain/filing';
import { fetchBytes, siteUrl } from '../http';
import { parseMemberList, type MemberPage } from './memberList';

export const MEMBER_PAGE_SIZE = 250;

/** First page of the current members of Congress. */
export function memberListUrl(base: string, apiKey: string, offset = 0): string {
  const query = new URLSearchParams({
    currentMember: 'true',
    limit: String(MEMBER_PAGE_SIZE),
    offset: String(offset),
    format: 'json',
    api_key: apiKey,
  });
  return `${siteUrl(base, '/v3/member')}?${query}`;
}

/**
 * Congress.gov's `next` links name api.congress.gov and drop the API key: keep the configured base
 * (a mirror, path prefix included) and put the key back.
 */
export function nextPageUrl(next: string, base: string, apiKey: string): string {
  const url = new URL(next);
  const path = url.pathname.replace(/^.*?(\/v3\/)/, '$1');
  url.searchParams.set('api_key', apiKey);
  return `${siteUrl(base, path)}?${url.searchParams}`;
}

export async function fetchMemberPage(url: string): Promise<MemberPage> {
  const res = await fetchBytes(url, { maxBytes: 16 * 1024 * 1024, headers: { accept: 'application/json' } });
  let json: unknown;
  try {
    json = JSON.parse(res.body.toString('utf8'));
  } catch {
    throw new ParseError(`Congress.gov member list is not JSON (${res.body.length} bytes)`);
  }
  return parseMemberList(json);
}
