/** An issuer as seen in e-filed reports: the asset name a filer gave, with its ticker. */
export interface KnownIssuer {
  assetName: string;
  ticker: string;
}

/** Words that say what kind of security it is, not whose: "Tesla Common Stock" is Tesla. */
const NOISE = new Set(
  'inc incorporated corp corporation co company ltd limited plc llc lp the common stock shares share class a b c ordinary ord adr ads sponsored cl com new cmn sa nv ag se holdings holding group'.split(
    ' ',
  ),
);

/** The words that name the issuer, lower case, punctuation and security-kind words dropped. */
export function issuerKey(name: string): string {
  return name
    .toLowerCase()
    .replace(/\([^)]*\)/g, ' ')
    .replace(/&/g, ' and ')
    .split(/[^a-z0-9]+/)
    .filter((w) => w && !NOISE.has(w))
    .join(' ');
}

/** Known issuers by the key of their name, each with every ticker it was given. */
export type IssuerIndex = Map<string, Set<string>>;

export function indexIssuers(issuers: KnownIssuer[]): IssuerIndex {
  const index: IssuerIndex = new Map();
  for (const { assetName, ticker } of issuers) {
    const key = issuerKey(assetName);
    if (!key) continue;
    const set = index.get(key) ?? new Set<string>();
    set.add(ticker.toUpperCase());
    index.set(key, set);
  }
  return index;
}

export interface ResolvedTicker {
  ticker: string | null;
  confidence: number;
}

/**
 * The ticker of an asset name read from a scan, from issuers already seen in e-filed reports, only
 * when exactly one ticker fits: the same issuer words, or (allowing for a misread letter or two) one
 * name far closer than any other. A ticker the filer wrote beside the name (`(GEV)`, `- HACK`) counts
 * when e-filed reports know that ticker for a matching name. Ambiguity gives no ticker: a wrong alert
 * is worse than a missing one. Confidence never exceeds the confidence in the name read.
 */
export function resolveTicker(assetName: string, nameConfidence: number, index: IssuerIndex): ResolvedTicker {
  const none = { ticker: null, confidence: 0 };
  const key = issuerKey(assetName);
  if (!key) return none;
  const written = /\(([A-Z]{1,5})\)|\s[-–]\s*([A-Z]{1,5})\s*$/.exec(assetName);
  const writtenTicker = written ? (written[1] ?? written[2])! : null;
  const exact = index.get(key);
  if (exact) {
    if (exact.size !== 1) return none;
    const [ticker] = [...exact];
    const agrees = writtenTicker === null || writtenTicker === ticker;
    return agrees ? { ticker: ticker!, confidence: round2(nameConfidence) } : none;
  }
  // Close names: misread letters. The best must be close and well clear of the next.
  let best: { key: string; score: number } | null = null;
  let second = 0;
  for (const k of index.keys()) {
    const score = similarity(key, k);
    if (!best || score > best.score) {
      second = best?.score ?? 0;
      best = { key: k, score };
    } else if (score > second) second = score;
  }
  if (best && best.score >= 0.85 && best.score - second >= 0.1) {
    const tickers = index.get(best.key)!;
    if (tickers.size === 1) {
      const [ticker] = [...tickers];
      if (writtenTicker === null || writtenTicker === ticker) {
        // A written ticker that agrees makes up for a misread letter in the name.
        const boost = writtenTicker ? 1 : best.score;
        return {
          ticker: ticker!,
          confidence: round2(Math.min(nameConfidence + (writtenTicker ? 0.2 : 0), 1) * boost),
        };
      }
    }
  }
  return none;
}

/** 1 − edit distance / longer length. */
export function similarity(a: string, b: string): number {
  if (a === b) return 1;
  const m = a.length;
  const n = b.length;
  if (Math.abs(m - n) > Math.max(m, n) * 0.3) return 0;
  let prev = Array.from({ length: n + 1 }, (_, j) => j);
  for (let i = 1; i <= m; i++) {
    const cur = [i];
    for (let j = 1; j <= n; j++) {
      cur[j] = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    prev = cur;
  }
  return 1 - prev[n]! / Math.max(m, n);
}

function round2(v: number): number {
  return Math.round(v * 100) / 100;
}
