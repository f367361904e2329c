import { fetchBytes, siteUrl } from '../http';
import { parseMemberListText, type MemberPage } from './memberList';

export const MEMBER_PAGE_SIZE = 250;

/**
 * First page of the current members of Congress. The API key is not part of it: it travels in the
 * `X-Api-Key` header (`fetchMemberPage`), because URLs end up in logs and failure messages.
 */
export function memberListUrl(base: string, offset = 0): string {
  const query = new URLSearchParams({
    currentMember: 'true',
    limit: String(MEMBER_PAGE_SIZE),
    offset: String(offset),
    format: 'json',
  });
  return `${siteUrl(base, '/v3/member')}?${query}`;
}

/**
 * Congress.gov's `next` links name api.congress.gov: keep the configured base (a mirror, path prefix
 * included), and drop any `api_key` a gateway may have echoed into the link.
 */
export function nextPageUrl(next: string, base: string): string {
  const url = new URL(next);
  const path = url.pathname.replace(/^.*?(\/v3\/)/, '$1');
  url.searchParams.delete('api_key');
  const query = url.searchParams.toString();
  return siteUrl(base, path) + (query ? `?${query}` : '');
}

export async function fetchMemberPage(url: string, apiKey: string): Promise<MemberPage> {
  const res = await fetchBytes(url, {
    maxBytes: 16 * 1024 * 1024,
    headers: { accept: 'application/json', 'x-api-key': apiKey },
  });
  return parseMemberListText(res.body.toString('utf8'));
}
