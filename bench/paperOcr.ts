import { FieldReader } from '../sources/house/paper/fieldOcr';
import { readPaperPtr } from '../sources/house/paper/readPaperPtr';
import { answerPdf, emptyScore, loadAnswers, percent, score } from '../test/support/paperAnswers';
import type { Measurement } from './measurement';

const SECTION = 'Paper filings (OCR)';

/** Reads every transcribed scanned filing: seconds per page, and accuracy per kind of field. */
export async function benchPaperOcr(): Promise<Measurement[]> {
  const rows: Measurement[] = [];
  const add = (name: string, value: number | string, unit: string) =>
    rows.push({ section: SECTION, name, value, unit });
  const reader = await FieldReader.create();
  const total = emptyScore();
  let pages = 0;
  const started = performance.now();
  try {
    for (const answer of loadAnswers()) {
      const bytes = answerPdf(answer);
      const filing = await readPaperPtr(bytes, answer.docId, { filedDate: answer.filedDate }, reader);
      pages += filing.scan?.pages ?? 0;
      score(filing, answer, total);
    }
  } finally {
    await reader.close();
  }
  const seconds = (performance.now() - started) / 1000;
  add('filings / pages read', `${loadAnswers().length} / ${pages}`, 'filings / pages');
  add('seconds per page (one OCR engine, sequential)', Number((seconds / pages).toFixed(2)), 's/page');
  for (const kind of ['rows', 'checkboxes', 'dates', 'names', 'owners'] as const) {
    add(`accuracy: ${kind}`, percent(total[kind]), '');
  }
  return rows;
}
