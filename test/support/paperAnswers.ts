import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { sharedDir } from '../../devstack/sharedDir';
import type { ParsedFiling } from '../../domain/filing';

/** A scanned filing transcribed by hand from its page images. */
export interface Answer {
  docId: string;
  /** Under the shared folder. */
  file: string;
  filedDate: string;
  pages: number;
  /** Only these pages were transcribed (all when absent). */
  transcribedPages?: number[];
  amendment: boolean | null;
  ipo: 'yes' | 'no' | null;
  rows: {
    page: number;
    owner: string;
    assetName: string;
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
export type Score = Record<
  'rows' | 'checkboxes' | 'dates' | 'names' | 'owners',
  { right: number; total: number }
>;

export function emptyScore(): Score {
  const z = () => ({ right: 0, total: 0 });
  return { rows: z(), checkboxes: z(), dates: z(), names: z(), owners: z() };
}

/**
 * Scores a reading against its answer, row by row in order. Checkboxes: type and amount of each row;
 * dates: both dates; names: the asset name, letters and digits compared case-blind; owners. A row
 * missing or extra counts every field of it as wrong.
 */
export function score(read: ParsedFiling, answer: Answer, into: Score = emptyScore()): Score {
  const key = (s: string) => s.toLowerCase().replace(/[^a-z0-9]/g, '');
  const pages = answer.transcribedPages;
  const txs = read.transactions.filter((t) => !pages || pages.includes(t.scanPosition?.page ?? 0));
  const n = Math.max(txs.length, answer.rows.length);
  into.rows.total += n;
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
    count('owners', !!got && !!want && got.owner === want.owner);
  }
  return into;
}

export function percent(s: { right: number; total: number }): string {
  return s.total ? `${((100 * s.right) / s.total).toFixed(1)} % (${s.right}/${s.total})` : 'n/a';
}
