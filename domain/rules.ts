import type { Chamber } from './filing';

export type Party = 'D' | 'R' | 'I';
export type RuleTransactionType = 'purchase' | 'sale';
export type DigestMode = 'instant' | 'daily' | 'weekly';

/** What a user follows; every condition given must hold for a trade to match. */
export interface RuleInput {
  member?: string | null;
  ticker?: string | null;
  party?: string | null;
  chamber?: string | null;
  type?: string | null;
  minAmount?: number | string | null;
}

export interface Rule {
  member: string | null;
  ticker: string | null;
  party: Party | null;
  chamber: Chamber | null;
  transactionType: RuleTransactionType | null;
  minAmount: number | null;
}

export class RuleError extends Error {
  override readonly name = 'RuleError';
}

const TICKER = /^[A-Z][A-Z0-9.-]{0,9}$/;

/** Validate and normalise a rule; a rule with no condition would match every trade, so it is refused. */
export function normaliseRule(input: RuleInput): Rule {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    throw new RuleError('a rule must be an object like {"ticker": "NVDA"}');
  }
  const text = (v: unknown) => (typeof v === 'string' && v.trim() ? v.trim() : null);
  const member = text(input.member)?.replace(/\s+/g, ' ') ?? null;
  const ticker = text(input.ticker)?.toUpperCase() ?? null;
  if (ticker && !TICKER.test(ticker)) throw new RuleError(`ticker "${input.ticker}" is not a ticker symbol`);
  const party = text(input.party)?.toUpperCase() ?? null;
  if (party && !['D', 'R', 'I'].includes(party))
    throw new RuleError(`party must be D, R or I, not "${input.party}"`);
  const chamber = text(input.chamber)?.toLowerCase() ?? null;
  if (chamber && chamber !== 'house' && chamber !== 'senate') {
    throw new RuleError(`chamber must be house or senate, not "${input.chamber}"`);
  }
  const type = text(input.type)?.toLowerCase() ?? null;
  if (type && type !== 'purchase' && type !== 'sale') {
    throw new RuleError(`type must be purchase or sale, not "${input.type}"`);
  }
  let minAmount: number | null = null;
  if (input.minAmount !== undefined && input.minAmount !== null && input.minAmount !== '') {
    minAmount = Number(String(input.minAmount).replace(/[$,_]/g, ''));
    if (!Number.isSafeInteger(minAmount) || minAmount < 0) {
      throw new RuleError(`minimum amount must be a whole number of dollars, not "${input.minAmount}"`);
    }
  }
  const rule: Rule = {
    member,
    ticker,
    party: party as Party | null,
    chamber: chamber as Chamber | null,
    transactionType: type as RuleTransactionType | null,
    minAmount,
  };
  if (Object.values(rule).every((v) => v === null)) {
    throw new RuleError(
      'a rule needs at least one condition (member, ticker, party, chamber, type or minimum amount)',
    );
  }
  return rule;
}

/** Identity of a rule for one user: adding or importing the same rule twice keeps one. */
export function ruleKey(r: Rule): string {
  return [
    r.member?.toLowerCase() ?? '',
    r.ticker ?? '',
    r.party ?? '',
    r.chamber ?? '',
    r.transactionType ?? '',
    r.minAmount ?? '',
  ].join('|');
}

/** How a rule reads to its user ("member Pelosi, purchases, $15,001 or more"). */
export function describeRule(r: Rule): string {
  const parts: string[] = [];
  if (r.member) parts.push(`member ${r.member}`);
  if (r.ticker) parts.push(`ticker ${r.ticker}`);
  if (r.party) parts.push({ D: 'Democrats', R: 'Republicans', I: 'independents' }[r.party]);
  if (r.chamber) parts.push(r.chamber === 'house' ? 'the House' : 'the Senate');
  if (r.transactionType) parts.push(r.transactionType === 'purchase' ? 'purchases' : 'sales');
  if (r.minAmount !== null) parts.push(`$${r.minAmount.toLocaleString('en-US')} or more`);
  return parts.join(', ');
}

export function isDigestMode(v: string): v is DigestMode {
  return v === 'instant' || v === 'daily' || v === 'weekly';
}

/** An IANA time zone the runtime knows. */
export function isTimeZone(tz: string): boolean {
  let known = KNOWN_ZONES.get(tz);
  if (known === undefined) {
    try {
      new Intl.DateTimeFormat('en-US', { timeZone: tz });
      known = true;
    } catch {
      known = false;
    }
    // Building a formatter costs ~50 µs; a bulk import asks about the same few zones 100,000 times.
    if (KNOWN_ZONES.size < 1000) KNOWN_ZONES.set(tz, known);
  }
  return known;
}

const KNOWN_ZONES = new Map<string, boolean>();
