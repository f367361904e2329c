import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { sharedDir } from '../devstack/sharedDir';
import type { Chamber, ParsedFiling, ParsedTransaction, TransactionType } from '../domain/filing';
import type { Party } from '../domain/rules';
import { parseHouseIndexXml, isPtr } from '../sources/house/parseIndex';
import type { DiscoveredFiling } from '../domain/sync';
import { random } from '../test/support/random';
import { zipfPicker } from './syntheticUsers';

/** A member of Congress of the synthetic roster: a real name, a made-up seat, party and bioguide id. */
export interface RosterMember {
  bioguideId: string;
  first: string;
  last: string;
  /** As a filing names its filer: "Nancy Pelosi", "Donald S. Beyer Jr.". */
  fullName: string;
  party: Party;
  state: string;
  district: string | null;
  chamber: Chamber;
}

/** A filing as discovery records it and as the parser returns it. */
export interface SyntheticFiling {
  discovered: DiscoveredFiling;
  parsed: ParsedFiling;
}

/**
 * 535 members (435 House, 100 Senate) named after real filers of the House's 2025 index (PTR filers
 * first, so the people who trade are the most followed), with shared surnames as in Congress
 * (several Johnsons, Davises, Williamses). Seats, parties and bioguide ids are made up, deterministically.
 */
export async function syntheticRoster(size = 535, seed = 535): Promise<RosterMember[]> {
  const xml = await readFile(
    join(sharedDir(), 'fixtures/house-clerk/snapshots/2025FD.xml.2025-11-snapshot.xml'),
    'utf8',
  );
  const { rows } = parseHouseIndexXml(xml);
  const byName = new Map<string, { row: (typeof rows)[number]; ptr: boolean }>();
  for (const row of rows) {
    const key = `${row.first}|${row.last}|${row.suffix}`.toLowerCase();
    const seen = byName.get(key);
    byName.set(key, { row: seen?.row ?? row, ptr: (seen?.ptr ?? false) || isPtr(row) });
  }
  const people = [...byName.values()]
    .filter(({ row }) => /[a-z]/i.test(row.last) && /^[A-Z]{2}/.test(row.stateDistrict))
    .sort((a, b) => Number(b.ptr) - Number(a.ptr) || a.row.last.localeCompare(b.row.last))
    .slice(0, size);
  if (people.length < size) throw new Error(`the House index names ${people.length} people, not ${size}`);
  const r = random(seed);
  const senators = new Set<number>();
  while (senators.size < Math.round((size * 100) / 535)) senators.add(Math.floor(r() * size));
  return people.map(({ row }, i) => {
    const chamber: Chamber = senators.has(i) ? 'senate' : 'house';
    const x = r();
    const party: Party = x < 0.48 ? 'D' : x < 0.98 ? 'R' : 'I';
    const first = row.first.trim();
    const last = row.last.trim();
    return {
      bioguideId: `${(/[a-z]/i.exec(last)?.[0] ?? 'X').toUpperCase()}${String(100_001 + i).padStart(6, '0')}`,
      first,
      last,
      fullName: [first, last, row.suffix.trim()].filter(Boolean).join(' '),
      party,
      state: row.stateDistrict.slice(0, 2),
      district: chamber === 'house' ? row.stateDistrict.slice(2) || null : null,
      chamber,
    };
  });
}

const POPULAR = [
  'NVDA', 'MSFT', 'AAPL', 'AMZN', 'GOOGL', 'META', 'TSLA', 'AVGO', 'JPM', 'LLY',
  'UNH', 'XOM', 'V', 'MA', 'COST', 'HD', 'PG', 'NFLX', 'AMD', 'CRM',
  'PANW', 'CRWD', 'DIS', 'BAC', 'WMT', 'KO', 'PEP', 'INTC', 'ORCL', 'ADBE',
]; // prettier-ignore

/** `count` distinct ticker symbols, the most traded real ones first, then made-up ones of 3–4 letters. */
export function syntheticTickers(count = 2000, seed = 2000): string[] {
  const r = random(seed);
  const tickers = new Set(POPULAR.slice(0, count));
  while (tickers.size < count) {
    const length = 3 + Math.floor(r() * 2);
    let t = '';
    for (let i = 0; i < length; i++) t += String.fromCharCode(65 + Math.floor(r() * 26));
    tickers.add(t);
  }
  return [...tickers];
}

/** House amount brackets and how often filers use them (most trades are small). */
const BRACKETS: (readonly [[min: number, max: number | null], number])[] = [
  [[1001, 15000], 60],
  [[15001, 50000], 20],
  [[50001, 100000], 8],
  [[100001, 250000], 5],
  [[250001, 500000], 3],
  [[500001, 1000000], 2],
  [[1000001, 5000000], 1.5],
  [[5000001, 25000000], 0.4],
  [[50000001, null], 0.1],
];
const TYPES: (readonly [TransactionType, number])[] = [
  ['purchase', 50],
  ['sale', 33],
  ['sale_partial', 12],
  ['exchange', 5],
];
const OWNERS = ['self', 'spouse', 'joint', 'dependent'] as const;

/** One value of `table`, drawn in proportion to its weight. */
function weighted<T>(r: () => number, table: readonly (readonly [T, number])[]): T {
  let x = r() * table.reduce((n, [, w]) => n + w, 0);
  for (const [value, w] of table) {
    x -= w;
    if (x < 0) return value;
  }
  return table[table.length - 1]![0];
}

/**
 * `filings` new PTRs holding `transactions` trades in all, by distinct members drawn from `filers`,
 * of unequal length (a few long reports, many short ones), trading tickers of Zipf popularity (a few
 * percent without a ticker: bonds, funds). Deterministic for a given seed and `idBase`.
 */
export function syntheticFilings(opts: {
  filings: number;
  transactions: number;
  filers: readonly RosterMember[];
  tickers: readonly string[];
  idBase: number;
  seed: number;
}): SyntheticFiling[] {
  const r = random(opts.seed);
  const ticker = zipfPicker(opts.tickers, 0.4, r);
  const filers = [...opts.filers];
  // Lengths: weights of 1–10 scaled to the total, each filing at least one trade.
  const weights = Array.from({ length: opts.filings }, () => 1 + Math.floor(r() ** 3 * 10));
  const sum = weights.reduce((a, b) => a + b, 0);
  const lengths = weights.map((w) => Math.max(1, Math.floor((w / sum) * opts.transactions)));
  for (let i = 0; lengths.reduce((a, b) => a + b, 0) < opts.transactions; i++) lengths[i % opts.filings]!++;
  while (lengths.reduce((a, b) => a + b, 0) > opts.transactions)
    lengths[lengths.indexOf(Math.max(...lengths))]!--;
  return lengths.map((length, f) => {
    const who = filers.splice(Math.floor(r() * filers.length), 1)[0]!;
    const sourceId = `${opts.idBase + f}`;
    const filedDate = '2025-11-20';
    const transactions: ParsedTransaction[] = Array.from({ length }, (_, i) => {
      const t = r() < 0.05 ? null : ticker();
      const [amountMin, amountMax] = weighted(r, BRACKETS);
      const type = weighted(r, TYPES);
      const exchange = type === 'exchange' && who.chamber === 'senate' && t !== null;
      return {
        owner: OWNERS[Math.floor(r() * r() * OWNERS.length)]!,
        assetName: t ? `${t} Holdings Inc. - Common Stock` : `US Treasury Note ${i + 1}`,
        ticker: t,
        receivedTicker: exchange ? ticker() : null,
        assetType: who.chamber === 'house' ? (t ? 'ST' : 'GS') : t ? 'Stock' : 'Government Security',
        transactionType: type,
        transactionDate: `2025-11-${String(1 + Math.floor(r() * 14)).padStart(2, '0')}`,
        notificationDate: who.chamber === 'house' ? '2025-11-17' : null,
        amountMin,
        amountMax,
        filingStatus: who.chamber === 'house' ? 'new' : null,
        description: null,
        comment: null,
        subholdingOf: null,
      };
    });
    return filing(who, sourceId, filedDate, false, transactions);
  });
}

/**
 * An amendment of `original`: the first `restated` rows again, every other one with a new amount, and
 * (House) the next row marked deleted, withdrawn by the filer.
 */
export function amendmentOf(original: SyntheticFiling, sourceId: string, restated: number): SyntheticFiling {
  const rows = original.parsed.transactions;
  const house = original.parsed.chamber === 'house';
  const transactions: ParsedTransaction[] = rows.slice(0, restated).map((t, i) => ({
    ...t,
    ...(i % 2 === 0 ? { amountMin: 50001, amountMax: 100000 } : {}),
    filingStatus: house ? 'amended' : null,
  }));
  if (house && rows[restated]) transactions.push({ ...rows[restated]!, filingStatus: 'deleted' });
  const who = {
    fullName: original.parsed.filerName,
    chamber: original.parsed.chamber,
    state: original.discovered.stateDistrict?.slice(0, 2) ?? '',
    district: original.discovered.stateDistrict?.slice(2) || null,
  };
  return filing(who, sourceId, '2025-11-21', true, transactions);
}

function filing(
  who: Pick<RosterMember, 'fullName' | 'chamber' | 'state' | 'district'>,
  sourceId: string,
  filedDate: string,
  amendment: boolean,
  transactions: ParsedTransaction[],
): SyntheticFiling {
  const stateDistrict = who.chamber === 'house' ? `${who.state}${who.district ?? ''}` : null;
  return {
    discovered: {
      chamber: who.chamber,
      sourceId,
      filerName: who.fullName,
      stateDistrict,
      year: 2025,
      filedDate,
      rawUrl: `https://example.invalid/bench/${sourceId}`,
      amendment,
      kind: null,
    },
    parsed: {
      chamber: who.chamber,
      filingId: sourceId,
      kind: 'electronic',
      filerName: who.fullName,
      stateDistrict,
      filedDate,
      amendment,
      transactions,
    },
  };
}
