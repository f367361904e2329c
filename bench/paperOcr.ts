import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { sharedDir } from '../devstack/sharedDir';
import type { ParsedFiling } from '../domain/filing';
import { trustedFields } from '../domain/scanConfidence';
import { FieldReader } from '../sources/house/paper/fieldOcr';
import { readPaperPtr } from '../sources/house/paper/readPaperPtr';
import { readScannedPtr, withTickers } from '../sources/house/paper/readScannedPtr';
import type { KnownIssuer } from '../sources/house/paper/resolveTicker';
import { readHousePtrPdf } from '../sources/house/readPtr';
import {
  answerPdf,
  emptyScore,
  loadAnswers,
  percent,
  score,
  SCORE_KINDS,
  type Answer,
  type Score,
} from '../test/support/paperAnswers';
import { mib, type Measurement } from './measurement';

const SECTION = 'Paper filings (OCR)';

/**
 * Reads every transcribed scanned filing as ingestion does (tickers resolved against the issuers of
 * the e-filed PTRs of the corpus) and scores it against its answer: accuracy per kind of field,
 * seconds per page, and memory.
 */
export async function benchPaperOcr(): Promise<Measurement[]> {
  const rows: Measurement[] = [];
  const add = (name: string, value: number | string, unit: string) =>
    rows.push({ section: SECTION, name, value, unit });
  const issuers = await corpusIssuers();
  const tickers = new Set(issuers.map((i) => i.ticker));
  add('issuers known (e-filed corpus PTRs): names / tickers', `${issuers.length} / ${tickers.size}`, '');

  const answers = loadAnswers();
  const all = emptyScore();
  const typed = emptyScore();
  const handwritten = emptyScore();
  const known = { right: 0, total: 0 };
  let pages = 0;
  let rssPeak = process.memoryUsage().rss;
  const sampler = setInterval(() => (rssPeak = Math.max(rssPeak, process.memoryUsage().rss)), 50);
  const rssBefore = process.memoryUsage().rss;
  const reader = await FieldReader.create();
  const started = performance.now();
  try {
    for (const answer of answers) {
      const read = await readPaperPtr(
        answerPdf(answer),
        answer.docId,
        { filedDate: answer.filedDate },
        reader,
      );
      const filing = withTickers(read, issuers);
      pages += filing.scan?.pages ?? 0;
      score(filing, answer, all);
      score(filing, answer, answer.handwritten ? handwritten : typed);
      tickersKnown(filing, answer, tickers, known);
    }
  } finally {
    await reader.close();
    clearInterval(sampler);
  }
  const seconds = (performance.now() - started) / 1000;

  const rowsTotal = answers.reduce((n, a) => n + a.rows.length, 0);
  add('filings / pages / rows transcribed', `${answers.length} / ${pages} / ${rowsTotal}`, '');
  add('seconds per page (one OCR engine, sequential, every page)', seconds / pages, 's/page');
  add('RSS: before / peak while reading', `${mib(rssBefore).toFixed(0)} / ${mib(rssPeak).toFixed(0)}`, 'MiB');
  for (const kind of SCORE_KINDS) add(`accuracy: ${kind}`, percent(all[kind]), '');
  for (const [label, s] of [
    ['typed', typed],
    ['handwritten', handwritten],
  ] as [string, Score][]) {
    for (const kind of ['dates', 'owners', 'names', 'nameLetters'] as const) {
      add(`accuracy (${label} filings): ${kind}`, percent(s[kind]), '');
    }
  }
  add('tickers e-filed reports know: resolved right, with confidence', percent(known), '');

  // The same first filing as ingestion runs it: a new process of its own (start-up included).
  const first = answers[0]!;
  const t0 = performance.now();
  await readScannedPtr(answerPdf(first), first.docId, {
    filedDate: first.filedDate,
    limits: { timeoutMs: 10 * 60_000, memoryMb: 512 },
    issuers,
  });
  add(
    `one filing in a process of its own (${first.docId}, ${first.pages} pages, start-up included)`,
    (performance.now() - t0) / 1000,
    's',
  );
  return rows;
}

/** Rows whose ticker e-filed reports know: how many got it, trusted. */
function tickersKnown(
  filing: ParsedFiling,
  answer: Answer,
  tickers: Set<string>,
  into: { right: number; total: number },
): void {
  answer.rows.forEach((want, i) => {
    if (!want.ticker || !tickers.has(want.ticker)) return;
    into.total++;
    const got = filing.transactions[i];
    if (got && trustedFields(got).ticker === want.ticker) into.right++;
  });
}

/** Asset names and tickers of the e-filed PTRs of the corpus (the scanned ones left out). */
async function corpusIssuers(): Promise<KnownIssuer[]> {
  const dir = join(sharedDir(), 'corpus/house-ptr/2025');
  const counts = new Map<string, KnownIssuer>();
  for (const file of readdirSync(dir).sort()) {
    const parsed = await readHousePtrPdf(new Uint8Array(readFileSync(join(dir, file))), file).catch(
      () => null,
    );
    if (!parsed || parsed.kind !== 'electronic') continue;
    for (const t of parsed.transactions) {
      if (!t.ticker) continue;
      const key = `${t.assetName}\u0000${t.ticker}`;
      const known = counts.get(key) ?? { assetName: t.assetName, ticker: t.ticker.toUpperCase(), rows: 0 };
      known.rows! += 1;
      counts.set(key, known);
    }
  }
  return [...counts.values()];
}
