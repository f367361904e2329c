import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { sharedDir } from '../../devstack/sharedDir';
import type { ParsedFiling } from '../../domain/filing';
import { trustedFields } from '../../domain/scanConfidence';
import { similarity } from '../../sources/house/paper/resolveTicker';

/** A scanned filing transcribed by hand from its page images. */
export interface Answer {
  docId: string;
  /** Under the shared folder. */
  file: string;
  filedDate: string;
  pages: number;
  /** Only these pages were transcribed (all when absent). */
  transcribedPages?: number[];
  /** The rows are written by hand (else typed or printed). */
  handwritten: boolean;
  amendment: boolean | null;
  ipo: 'yes' | 'no' | null;
  rows: {
    page: number;
    owner: string;
    assetName: string;
    /** The issuer's ticker (written beside the name or known from the name); null when it has none. */
    ticker: string | null;
    transactionType: string;
    transactionDate: string;
    notificationDate: string;
    amountMin: number;
    amountMax: number | null;
  }[];
}

/** The scanned filings transcribed by hand (in `paperAnswers/`), by DocID. */
export function loadAnswers(): Answer[] {
  const dir = new URL('./paperAnswers/', import.meta.url);
  return readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((f) => JSON.parse(readFileSync(join(dir.pathname, f), 'utf8')) as Answer);
}

/** The PDF an answer transcribes, as stored under `../shared`. */
export function answerPdf(answer: Answer): Uint8Array {
  return new Uint8Array(readFileSync(join(sharedDir(), answer.file)));
}

/** Right / total per kind of field. */
export type Score = Record<ScoreKind, { right: number; total: number }>;

export const SCORE_KINDS = [
  'rows',
  'checkboxes',
  'header',
  'stamp',
  'dates',
  'owners',
  'names',
  'nameLetters',
  'tickers',
  'wrongTickers',
] as const;
export type ScoreKind = (typeof SCORE_KINDS)[number];

export function emptyScore(): Score {
  return Object.fromEntries(SCORE_KINDS.map((k) => [k, { right: 0, total: 0 }])) as Score;
}

/**
 * Scores a reading against its answer, row by row in order. Checkboxes: type and amount of each row;
 * header: the initial/amendment and IPO boxes (where the form has them answered); stamp: the clerk's
 * receipt stamp read as the filed date (month and day; its year is rarely legible); dates: both dates;
 * owners; names: the asset name exactly (letters and digits, case-blind), and nameLetters the share of
 * its letters right (1 − edit distance / length, summed); tickers: the ticker an alert may use (read
 * with high confidence) is the answer's, or none when it has none; wrongTickers: rows given a
 * confident ticker that is not theirs (the one mistake that sends a wrong alert). A row missing or
 * extra counts every field of it as wrong.
 */
export function score(read: ParsedFiling, answer: Answer, into: Score = emptyScore()): Score {
  const key = (s: string) => s.toLowerCase().replace(/[^a-z0-9]/g, '');
  const pages = answer.transcribedPages;
  const txs = read.transactions.filter((t) => !pages || pages.includes(t.scanPosition?.page ?? 0));
  const n = Math.max(txs.length, answer.rows.length);
  into.rows.total += n;
  const header = (ok: boolean) => {
    into.header.total++;
    if (ok) into.header.right++;
  };
  if (answer.amendment !== null) {
    header(read.amendment === answer.amendment && (read.scan?.amendmentConfidence ?? 0) > 0);
  }
  if (answer.ipo !== null) header(read.scan?.ipo === answer.ipo);
  // Every transcribed filing bears the clerk's stamp of the day the index says it was filed.
  into.stamp.total++;
  if (read.scan?.stamp?.date === answer.filedDate) into.stamp.right++;
  for (let i = 0; i < n; i++) {
    const got = txs[i];
    const want = answer.rows[i];
    const count = (kind: keyof Score, ok: boolean) => {
      into[kind].total++;
      if (ok) into[kind].right++;
    };
    if (got && want) into.rows.right++;
    count('checkboxes', !!got && !!want && got.transactionType === want.transactionType);
    count(
      'checkboxes',
      !!got && !!want && got.amountMin === want.amountMin && got.amountMax === want.amountMax,
    );
    count('dates', !!got && !!want && got.transactionDate === want.transactionDate);
    count('dates', !!got && !!want && got.notificationDate === want.notificationDate);
    count('names', !!got && !!want && key(got.assetName) === key(want.assetName));
    into.nameLetters.total++;
    if (got && want) into.nameLetters.right += similarity(key(got.assetName), key(want.assetName));
    count('owners', !!got && !!want && got.owner === want.owner);
    const ticker = got ? trustedFields(got).ticker : null;
    count('tickers', !!got && !!want && ticker === want.ticker);
    count('wrongTickers', !!got && ticker !== null && ticker !== (want?.ticker ?? null));
  }
  return into;
}

export function percent(s: { right: number; total: number }): string {
  const right = Number.isInteger(s.right) ? String(s.right) : s.right.toFixed(1);
  return s.total ? `${((100 * s.right) / s.total).toFixed(1)} % (${right}/${s.total})` : 'n/a';
}
