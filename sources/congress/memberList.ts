import { ParseError } from '../../domain/filing';
import type { MemberRecord } from '../../domain/member';
import type { Party } from '../../domain/rules';
import { US_STATE_CODES } from '../../domain/usStates';

export interface MemberPage {
  members: MemberRecord[];
  /** The next page's URL as Congress.gov gives it, or null on the last page. */
  next: string | null;
}

const PARTIES: Record<string, Party> = { Democratic: 'D', Democrat: 'D', Republican: 'R', Independent: 'I' };

/** One page of `GET /v3/member` (JSON). Pure. */
export function parseMemberList(json: unknown): MemberPage {
  const doc = json as { members?: unknown; pagination?: { next?: unknown } };
  if (typeof doc !== 'object' || doc === null || !Array.isArray(doc.members)) {
    throw new ParseError('Congress.gov member list: no "members" array in the response');
  }
  return {
    members: doc.members.map(parseMember),
    next: typeof doc.pagination?.next === 'string' ? doc.pagination.next : null,
  };
}

function parseMember(raw: unknown): MemberRecord {
  const m = raw as {
    bioguideId?: unknown;
    name?: unknown;
    partyName?: unknown;
    state?: unknown;
    district?: unknown;
    terms?: { item?: { chamber?: string; startYear?: number }[] };
  };
  if (typeof m?.bioguideId !== 'string' || typeof m.name !== 'string') {
    throw new ParseError(
      `Congress.gov member without bioguideId or name: ${JSON.stringify(raw).slice(0, 200)}`,
    );
  }
  // "Young, Todd" → "Todd Young"; "Pelosi, Nancy" → "Nancy Pelosi".
  const [last = m.name, first = ''] = m.name.split(',').map((s) => s.trim());
  const terms = [...(m.terms?.item ?? [])].sort((a, b) => (a.startYear ?? 0) - (b.startYear ?? 0));
  const latest = terms.at(-1)?.chamber ?? '';
  return {
    bioguideId: m.bioguideId,
    fullName: first ? `${first} ${last}` : last,
    lastName: last,
    party: PARTIES[String(m.partyName)] ?? null,
    state: US_STATE_CODES[String(m.state)] ?? null,
    district: typeof m.district === 'number' || typeof m.district === 'string' ? String(m.district) : null,
    chamber: latest.startsWith('House') ? 'house' : latest === 'Senate' ? 'senate' : null,
  };
}
