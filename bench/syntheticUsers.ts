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

/** A small, fast, seeded PRNG (mulberry32): the same seed gives the same users on every machine. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
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
