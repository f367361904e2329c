import { CONFIDENT } from '../../../domain/scanConfidence';

/** An issuer as seen in e-filed reports: the asset name a filer gave, with its ticker. */
export interface KnownIssuer {
  assetName: string;
  ticker: string;
  /** How many e-filed rows gave this name and ticker (1 when not known). */
  rows?: number;
}

/** Words that say what kind of security it is, not whose: "Tesla Common Stock" is Tesla. */
const NOISE = new Set(
  'inc incorporated corp corporation co company ltd limited plc llc lp the common stock shares share class a b c ordinary ord adr ads sponsored cl com new cmn sa nv ag se holdings holding group'.split(
    ' ',
  ),
);

/**
 * The words that name the issuer, lower case, punctuation and security-kind words dropped. The share
 * class stays (`class a` → `classa`): Alphabet's class A and class C are different tickers.
 */
export function issuerKey(name: string): string {
  return name
    .toLowerCase()
    .replace(/\([^)]*\)/g, ' ')
    .replace(/&/g, ' and ')
    .replace(/\b(?:class|cl)\s+([a-c])\b/g, ' class$1 ')
    .split(/[^a-z0-9]+/)
    .filter((w) => w && !NOISE.has(w))
    .join(' ');
}

interface IndexedName {
  key: string;
  words: string[];
  /** Tickers e-filed reports gave this name, with how many rows gave each. */
  tickers: Map<string, number>;
}

/** Known issuers by the key of their name, and every ticker e-filed reports know. */
export interface IssuerIndex {
  names: IndexedName[];
  tickers: Set<string>;
}

export function indexIssuers(issuers: KnownIssuer[]): IssuerIndex {
  const byKey = new Map<string, IndexedName>();
  const tickers = new Set<string>();
  for (const { assetName, ticker, rows = 1 } of issuers) {
    const key = issuerKey(assetName);
    const symbol = ticker.trim().toUpperCase();
    if (!key || !symbol) continue;
    tickers.add(symbol);
    const entry = byKey.get(key) ?? { key, words: key.split(' '), tickers: new Map<string, number>() };
    entry.tickers.set(symbol, (entry.tickers.get(symbol) ?? 0) + rows);
    byKey.set(key, entry);
  }
  return { names: [...byKey.values()], tickers };
}

export interface ResolvedTicker {
  /** The likeliest ticker, also when unsure (kept for operators); null when nothing fits. */
  ticker: string | null;
  /** 0..1; at or above CONFIDENT only when one known issuer clearly fits. */
  confidence: number;
}

/** A name this similar to a known one (0..1) is that issuer read with a few letters wrong. */
const CLOSE = 0.8;
/** ... when the next-best ticker is at least this much less similar. */
const CLEAR_MARGIN = 0.12;
/** A ticker the filer wrote, known from e-filed reports, agrees with a name at least this similar. */
const AGREES = 0.55;
/** What a ticker read from the scan alone (no e-filed report confirms it) is worth: never trusted. */
const WRITTEN_ONLY = 0.4;

/**
 * The ticker of an asset name read from a scan, from the issuers already seen in e-filed reports.
 * OCR gets close on printed names but rarely exact, so names are compared by similarity (of the whole
 * name and word by word, allowing for misread letters), and a ticker is trusted only when one issuer
 * is clearly best:
 *  - a ticker written beside the name (`(GEV)`, `- HACK`) that e-filed reports know, for a name close
 *    to one they gave it: confident;
 *  - otherwise the name alone: confident when its best issuer is close and well clear of the
 *    next-best ticker, and that issuer was always given one ticker.
 * Anything less gives the likeliest ticker with a confidence below CONFIDENT (kept for operators,
 * never alerted on): a wrong alert is worse than a missing one.
 */
export function resolveTicker(assetName: string, nameConfidence: number, index: IssuerIndex): ResolvedTicker {
  const written = writtenTicker(assetName);
  const key = issuerKey(written ? assetName.slice(0, written.at) : assetName);
  const none = { ticker: written?.ticker ?? null, confidence: written ? WRITTEN_ONLY : 0 };
  if (!key) return none;
  const words = key.split(' ');
  // Per ticker, the most similar name e-filed reports gave it (shared by its other tickers, if any).
  const byTicker = new Map<string, { score: number; name: IndexedName }>();
  for (const name of index.names) {
    const score = nameSimilarity(key, words, name);
    if (score < 0.4) continue;
    for (const t of name.tickers.keys()) {
      const prev = byTicker.get(t);
      if (!prev || score > prev.score) byTicker.set(t, { score, name });
    }
  }
  const ranked = [...byTicker.entries()].sort((a, b) => b[1].score - a[1].score);
  const [best, next] = ranked;
  // Unreadable handwriting that happens to look like a name is no reading: bound by the engine's own doubt.
  const cap = nameConfidence < 0.3 ? 0.5 : 1;

  if (written && index.tickers.has(written.ticker)) {
    const agreement = byTicker.get(written.ticker)?.score ?? 0;
    if (agreement >= AGREES) {
      return { ticker: written.ticker, confidence: round2(Math.min(cap, 0.75 + 0.25 * agreement)) };
    }
    // A known ticker beside a name that is not its issuer's: one of them is misread.
    return { ticker: written.ticker, confidence: WRITTEN_ONLY };
  }
  if (!best) return none;
  const [ticker, { score, name }] = best;
  const shared = name.tickers.size > 1 || otherClassKnown(words, name, index);
  const margin = score - (next?.[1].score ?? 0);
  if (written && written.ticker !== ticker) {
    // The filer wrote a ticker no e-filed report knows, and the name points elsewhere: unsure either way.
    return { ticker: score >= CLOSE ? ticker : written.ticker, confidence: WRITTEN_ONLY };
  }
  const clear = score >= CLOSE && margin >= CLEAR_MARGIN && !shared;
  const confidence = clear ? score : Math.min(score, CONFIDENT - 0.01) * Math.min(1, margin / CLEAR_MARGIN);
  return { ticker, confidence: round2(Math.min(cap, confidence)) };
}

/** A ticker written after the name: `Name (GEV)` or `Name - HACK`; where it starts in the text. */
function writtenTicker(name: string): { ticker: string; at: number } | null {
  const m = /\(\s*([A-Z]{1,5}(?:\.[A-Z])?)\s*\)\s*$|\s[-–—]\s*([A-Z]{1,5}(?:\.[A-Z])?)\s*$/.exec(name.trim());
  if (!m) return null;
  return { ticker: (m[1] ?? m[2])!, at: m.index };
}

/**
 * How alike a name read from a scan is to a known one, 0..1: the better of the whole names compared
 * letter by letter, and word by word (each word to its closest counterpart, weighted by length, both
 * ways), so that a misread letter or a word dropped costs little and a different issuer a lot.
 */
function nameSimilarity(key: string, words: string[], known: IndexedName): number {
  if (key === known.key) return 1;
  const mine = words.find((w) => CLASS.test(w));
  const theirs = known.words.find((w) => CLASS.test(w));
  // Two different share classes are two different securities, however alike the names; a class
  // given on one side only says nothing either way.
  if (mine && theirs && mine !== theirs) return similar(words, known.words) / 2;
  if (!mine !== !theirs) {
    const unclassed = (ws: string[]) => ws.filter((w) => !CLASS.test(w));
    return similar(unclassed(words), unclassed(known.words));
  }
  return similar(words, known.words);
}

function similar(a: string[], b: string[]): number {
  if (a.length === 0 || b.length === 0) return 0;
  return Math.max(similarity(a.join(' '), b.join(' ')), wordSimilarity(a, b));
}

const CLASS = /^class[a-c]$/;

/**
 * The scan names no share class, the issuer it matched is one class, and e-filed reports know another
 * class of the same issuer: which one was traded is not known.
 */
function otherClassKnown(words: string[], matched: IndexedName, index: IssuerIndex): boolean {
  const mine = matched.words.find((w) => CLASS.test(w));
  if (!mine || words.some((w) => CLASS.test(w))) return false;
  const base = matched.words.filter((w) => w !== mine);
  return index.names.some((other) => {
    const cls = other.words.find((w) => CLASS.test(w));
    if (!cls || cls === mine) return false;
    const otherBase = other.words.filter((w) => w !== cls);
    // The same issuer: its first (most distinctive) word, and most of the rest.
    return otherBase[0] === base[0] && similar(base, otherBase) >= 0.6;
  });
}

function wordSimilarity(a: string[], b: string[]): number {
  const side = (from: string[], to: string[]) =>
    from.reduce((sum, w) => sum + w.length * Math.max(...to.map((t) => similarity(w, t))), 0);
  const length = (ws: string[]) => ws.reduce((n, w) => n + w.length, 0);
  return (side(a, b) + side(b, a)) / (length(a) + length(b));
}

/** 1 − edit distance / longer length. */
export function similarity(a: string, b: string): number {
  if (a === b) return 1;
  const m = a.length;
  const n = b.length;
  if (m === 0 || n === 0) return 0;
  // Far apart in length: far apart in letters too; not worth the table.
  if (Math.abs(m - n) > Math.max(m, n) * 0.6) return 1 - Math.abs(m - n) / Math.max(m, n);
  return 1 - editDistance(a, b) / Math.max(m, n);
}

/** Levenshtein distance: letters inserted, dropped or changed to turn `a` into `b`. */
export function editDistance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) {
      cur[j] = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    prev = cur;
  }
  return prev[b.length]!;
}

function round2(v: number): number {
  return Math.round(v * 100) / 100;
}
