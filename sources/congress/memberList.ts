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

/** One page of `GET /v3/member` as the API sends it (JSON text). Pure. */
export function parseMemberListText(text: string): MemberPage {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new ParseError(`Congress.gov member list is not JSON (${text.length} characters)`);
  }
  return parseMemberList(json);
}

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

/** The chamber of the member's latest term, from `terms.item` (a list of `{chamber, startYear}`). */
function latestChamber(items: unknown): string {
  const terms = (Array.isArray(items) ? items : [])
    .filter((t): t is { chamber?: unknown; startYear?: unknown } => typeof t === 'object' && t !== null)
    .map((t) => ({
      chamber: typeof t.chamber === 'string' ? t.chamber : '',
      startYear: typeof t.startYear === 'number' ? t.startYear : 0,
    }));
  terms.sort((a, b) => a.startYear - b.startYear);
  return terms.at(-1)?.chamber ?? '';
}

function parseMember(raw: unknown): MemberRecord {
  const m = raw as {
    bioguideId?: unknown;
    name?: unknown;
    partyName?: unknown;
    state?: unknown;
    district?: unknown;
    terms?: { item?: unknown };
  };
  if (typeof m?.bioguideId !== 'string' || typeof m.name !== 'string') {
    throw new ParseError(
      `Congress.gov member without bioguideId or name: ${JSON.stringify(raw).slice(0, 200)}`,
    );
  }
  // "Young, Todd" → "Todd Young"; "Pelosi, Nancy" → "Nancy Pelosi".
  const [last = m.name, first = ''] = m.name.split(',').map((s) => s.trim());
  const latest = latestChamber(m.terms?.item);
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
