import { HOUSE_ASSET_TYPES } from '../domain/assetTypes';
import { STOCK_ACT_DEADLINE_DAYS, type Chamber, type Owner, type TransactionType } from '../domain/filing';

/** The STOCK Act's outer limit: a PTR is due within 45 days of the transaction. */
export { STOCK_ACT_DEADLINE_DAYS };

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/**
 * Collapses whitespace and control characters to single spaces. Filing text is untrusted: a newline
 * in an asset name must not be able to forge extra lines in the plain-text part or the subject.
 */
export function oneLine(value: string): string {
  // eslint-disable-next-line no-control-regex
  return value.replace(/[\s\u0000-\u001f\u007f-\u009f\u2028\u2029]+/g, ' ').trim();
}

/** Cuts text to `max` characters at a word boundary where possible, with an ellipsis. */
export function truncate(value: string, max: number): string {
  if (value.length <= max) return value;
  const cut = value.slice(0, max - 1);
  const space = cut.lastIndexOf(' ');
  return (space > max / 2 ? cut.slice(0, space) : cut).trimEnd() + '…';
}

/**
 * The ticker as an email shows it: `NVDA`, or `VFC → KTB` for an exchange that names the ticker given up
 * and the one received; null when there is no ticker to show (the asset name stands in).
 */
export function tickerLabel(ticker: string | null, receivedTicker?: string | null): string | null {
  const given = ticker ? oneLine(ticker) : '';
  const received = receivedTicker ? oneLine(receivedTicker) : '';
  if (given && received) return `${given} → ${received}`;
  return given || null;
}

/** `1234567` → `$1,234,567` (grouping done by hand so output never depends on the ICU build). */
export function formatDollars(amount: number): string {
  return '$' + String(Math.round(amount)).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

function usable(n: number | null): n is number {
  return n !== null && Number.isFinite(n) && n >= 0;
}

/**
 * The disclosed value range, worded as the forms word it: `$1,001 – $15,000`, `Over $50,000,000`
 * (stored as min 50000001, max null).
 */
export function formatAmountBracket(amountMin: number | null, amountMax: number | null): string {
  const min = usable(amountMin) ? amountMin : null;
  const max = usable(amountMax) ? amountMax : null;
  if (min === null && max === null) return 'Amount not disclosed';
  if (max === null) {
    // "Over $X" brackets are stored as X + 1; anything else open-ended reads as "or more".
    return min! > 1 && (min! - 1) % 1000 === 0
      ? `Over ${formatDollars(min! - 1)}`
      : `${formatDollars(min!)} or more`;
  }
  if (min === null) return `Up to ${formatDollars(max)}`;
  if (min === max) return formatDollars(min);
  return `${formatDollars(min)} – ${formatDollars(max)}`;
}

/** Days since the Unix epoch of an ISO calendar date (`YYYY-MM-DD`, time part ignored), or null. */
export function isoDayNumber(iso: string | null): number | null {
  const m = iso ? /^(\d{4})-(\d{2})-(\d{2})(?:$|T)/.exec(iso.trim()) : null;
  if (!m) return null;
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const ms = Date.UTC(year, month - 1, day);
  const check = new Date(ms);
  // Reject dates Date.UTC would silently roll over (2025-02-30 → March 2).
  if (check.getUTCMonth() !== month - 1 || check.getUTCDate() !== day) return null;
  return ms / 86_400_000;
}

/** `2025-01-14` → `Jan 14, 2025`; an unreadable value is returned cleaned but unchanged; null stays null. */
export function formatIsoDate(iso: string | null): string | null {
  if (iso === null || oneLine(iso) === '') return null;
  const day = isoDayNumber(iso);
  if (day === null) return oneLine(iso);
  const d = new Date(day * 86_400_000);
  return `${MONTHS[d.getUTCMonth()]} ${d.getUTCDate()}, ${d.getUTCFullYear()}`;
}

/**
 * Whole days from the transaction to the filing. Null when either date is missing or unreadable, or
 * when the filing predates the trade (a data error; there is no delay to report).
 */
export function filingDelayDays(transactionDate: string | null, filedDate: string | null): number | null {
  const traded = isoDayNumber(transactionDate);
  const filed = isoDayNumber(filedDate);
  if (traded === null || filed === null || filed < traded) return null;
  return filed - traded;
}

export function isLateFiling(delayDays: number | null): boolean {
  return delayDays !== null && delayDays > STOCK_ACT_DEADLINE_DAYS;
}

/** Past-tense verb for a headline: "Nancy Pelosi bought NVDA". */
export function tradeVerb(type: TransactionType | null): string {
  switch (type) {
    case null: // a row read from a scan whose type boxes could not be read
      return 'traded';
    case 'purchase':
      return 'bought';
    case 'sale':
      return 'sold';
    case 'sale_partial':
      return 'sold part of';
    case 'exchange':
      return 'exchanged';
  }
}

/** Label for the body: "Purchase", "Sale", ... */
export function tradeLabel(type: TransactionType | null): string {
  switch (type) {
    case null:
      return 'Trade';
    case 'purchase':
      return 'Purchase';
    case 'sale':
      return 'Sale';
    case 'sale_partial':
      return 'Partial sale';
    case 'exchange':
      return 'Exchange';
  }
}

export function ownerLabel(owner: Owner): string {
  switch (owner) {
    case 'self':
      return 'The member';
    case 'spouse':
      return 'Spouse';
    case 'joint':
      return 'Joint (member and spouse)';
    case 'dependent':
      return 'Dependent child';
  }
}

export function chamberLabel(chamber: Chamber): string {
  return chamber === 'house' ? 'House' : 'Senate';
}

const PARTY_ABBREVIATIONS: Record<string, string> = {
  democrat: 'D',
  democratic: 'D',
  republican: 'R',
  independent: 'I',
};

/** "D-CA11", "R", "CA11" or null: party and seat in the usual newspaper form. */
export function affiliation(party: string | null, stateDistrict: string | null): string | null {
  const p = party ? oneLine(party) : '';
  const partyShort = PARTY_ABBREVIATIONS[p.toLowerCase()] ?? p;
  const seat = stateDistrict ? oneLine(stateDistrict) : '';
  return [partyShort, seat].filter(Boolean).join('-') || null;
}

/** A readable asset type: House codes spelled out (the Senate already gives a label); null when none. */
export function assetTypeLabel(assetType: string | null): string | null {
  const value = assetType ? oneLine(assetType) : '';
  if (!value) return null;
  const known = HOUSE_ASSET_TYPES[value.toUpperCase()];
  return known ? (known.short ?? known.label) : value;
}
