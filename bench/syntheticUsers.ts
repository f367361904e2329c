import { random } from '../test/support/random';
import { normaliseRule, ruleKey, type RuleInput } from '../domain/rules';
import type { UserInput } from '../domain/users';

// Names and tickers that appear in 2025 House PTRs, so rules match real filings at a plausible rate.
const MEMBERS = [
  'Pelosi',
  'Nancy Pelosi',
  'Greene',
  'Khanna',
  'Gottheimer',
  'McCaul',
  'Bresnahan',
  'DelBene',
  'Cisneros',
  'Franklin',
  'Kean',
  'Morrison',
  'Allen',
  'Collins',
  'Moore',
];
const TICKERS = [
  'NVDA',
  'AAPL',
  'GOOGL',
  'AMZN',
  'MSFT',
  'TSLA',
  'META',
  'AVGO',
  'PANW',
  'CRWD',
  'VST',
  'TEM',
  'JPM',
  'XOM',
  'LLY',
  'NFLX',
  'AMD',
  'COST',
  'UNH',
  'DIS',
];
const TIME_ZONES = [
  'America/New_York',
  'America/Chicago',
  'America/Denver',
  'America/Los_Angeles',
  'America/Phoenix',
  'Pacific/Honolulu',
  'Europe/London',
];
const DIGESTS = ['instant', 'daily', 'weekly'];
const AMOUNTS = [1001, 15001, 50001, 100001, 250001, 1000001];

/** Sampling by rank with Zipf weights (rank k weighs 1/k^s): a few names or tickers draw most interest. */
export function zipfPicker<T>(items: readonly T[], s: number, r: () => number): () => T {
  const cumulative: number[] = [];
  let total = 0;
  for (let k = 1; k <= items.length; k++) cumulative.push((total += 1 / k ** s));
  return () => {
    const x = r() * total;
    let lo = 0;
    let hi = cumulative.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (cumulative[mid]! < x) lo = mid + 1;
      else hi = mid;
    }
    return items[lo]!;
  };
}

const CONDITIONS: ((r: () => number, pick: <T>(xs: readonly T[]) => T) => RuleInput)[] = [
  (_r, pick) => ({ member: pick(MEMBERS) }),
  (_r, pick) => ({ member: pick(MEMBERS) }),
  (_r, pick) => ({ ticker: pick(TICKERS) }),
  (_r, pick) => ({ ticker: pick(TICKERS) }),
  (_r, pick) => ({ party: pick(['D', 'R']) }),
  (_r, pick) => ({ chamber: pick(['house', 'senate']) }),
  (_r, pick) => ({ type: pick(['purchase', 'sale']) }),
  (_r, pick) => ({ minAmount: pick(AMOUNTS) }),
];

/**
 * `count` users, each with 1–3 distinct rules of 1–3 conditions, generated deterministically from `seed`.
 * Also returns how many rules that is, for checking what an import stored.
 */
export function syntheticUsers(count: number, seed = 20250117): { users: UserInput[]; rules: number } {
  const r = random(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!;
  const users: UserInput[] = [];
  let rules = 0;
  for (let i = 0; i < count; i++) {
    const wanted = 1 + Math.floor(r() * 3);
    const keys = new Set<string>();
    const userRules: RuleInput[] = [];
    while (userRules.length < wanted) {
      const conditions = 1 + Math.floor(r() * 3);
      let rule: RuleInput = {};
      for (let c = 0; c < conditions; c++) rule = { ...rule, ...pick(CONDITIONS)(r, pick) };
      const key = ruleKey(normaliseRule(rule));
      if (keys.has(key)) continue;
      keys.add(key);
      userRules.push(rule);
    }
    rules += userRules.length;
    const user: UserInput = { email: `bench.user${i}@example.com`, rules: userRules };
    if (r() < 0.8) user.timezone = pick(TIME_ZONES);
    if (r() < 0.5) user.digest = pick(DIGESTS);
    users.push(user);
  }
  return { users, rules };
}

/** What the rules of `followerUsers` can name. */
export interface FollowTargets {
  /** Members by popularity, most followed first: surname, full name and bioguide id of each. */
  members: readonly { last: string; fullName: string; bioguideId: string }[];
  /** Ticker symbols by popularity, most followed first. */
  tickers: readonly string[];
}

/**
 * `count` users with exactly `rulesPerUser` distinct rules each, in the mix of a real audience: most
 * follow a ticker (Zipf over `tickers`) or a member (Zipf over `members`: by surname, full name or
 * bioguide id), some narrowed by type or size; about one rule in a hundred is broad (party, chamber,
 * type and size only, two or three of them).
 */
export function followerUsers(
  count: number,
  targets: FollowTargets,
  opts: { rulesPerUser?: number; seed?: number } = {},
): { users: UserInput[]; rules: number } {
  const r = random(opts.seed ?? 20251120);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!;
  const ticker = zipfPicker(targets.tickers, 0.5, r);
  const member = zipfPicker(targets.members, 0.2, r);
  const perUser = opts.rulesPerUser ?? 3;
  const narrow = (rule: RuleInput): RuleInput => {
    const x = r();
    if (x < 0.2) return { ...rule, type: pick(['purchase', 'sale']) };
    if (x < 0.3) return { ...rule, minAmount: pick([15001, 50001, 100001]) };
    return rule;
  };
  const kinds: (() => RuleInput)[] = [
    () => narrow({ ticker: ticker() }),
    () => {
      const m = member();
      const x = r();
      return narrow({ member: x < 0.5 ? m.last : x < 0.85 ? m.fullName : m.bioguideId });
    },
    () => {
      const x = r();
      if (x < 0.4) return { party: pick(['D', 'R']), minAmount: pick([250001, 1000001]) };
      if (x < 0.7)
        return { chamber: pick(['house', 'senate']), type: 'purchase', minAmount: pick([100001, 500001]) };
      return {
        party: pick(['D', 'R']),
        chamber: pick(['house', 'senate']),
        type: pick(['purchase', 'sale']),
      };
    },
  ];
  const users: UserInput[] = [];
  for (let i = 0; i < count; i++) {
    const keys = new Set<string>();
    const userRules: RuleInput[] = [];
    while (userRules.length < perUser) {
      const x = r();
      const rule = (x < 0.8 ? kinds[0]! : x < 0.997 ? kinds[1]! : kinds[2]!)();
      const key = ruleKey(normaliseRule(rule));
      if (keys.has(key)) continue;
      keys.add(key);
      userRules.push(rule);
    }
    users.push({ email: `follower${i}@example.com`, rules: userRules });
  }
  return { users, rules: count * perUser };
}
