import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CONFIDENT } from '../../../../domain/scanConfidence';
import { rotateQuarter, type Bitmap } from '../../../../sources/house/paper/bitmap';
import { markShare, readChoice } from '../../../../sources/house/paper/checkboxes';
import { FieldReader } from '../../../../sources/house/paper/fieldOcr';
import { orientPage } from '../../../../sources/house/paper/orientPage';
import { pageBitmaps } from '../../../../sources/house/paper/pageImages';
import { readPaperPtr, readScanPage } from '../../../../sources/house/paper/readPaperPtr';
import { answerPdf, loadAnswers, score } from '../../../support/paperAnswers';

const answers = new Map(loadAnswers().map((a) => [a.docId, a]));
const pdf = (docId: string) => answerPdf(answers.get(docId)!);

async function pages(docId: string): Promise<Bitmap[]> {
  const out: Bitmap[] = [];
  for await (const b of pageBitmaps(pdf(docId))) out.push(b);
  return out;
}

/** What the boxes of each filled row say, read from the grid without OCR. */
function boxes(scan: Bitmap): (number | null)[][] {
  const page = orientPage(scan);
  const g = page.grid!;
  return g.rows.map((r) => {
    const cell = (c: { from: number; to: number }) => ({ x0: c.from, x1: c.to, y0: r.from, y1: r.to });
    return [
      readChoice(g.types.map((c) => markShare(page.image, cell(c)))).index,
      readChoice(g.amounts.slice(0, 10).map((c) => markShare(page.image, cell(c)))).index,
    ];
  });
}

let reader: FieldReader;
beforeAll(async () => {
  reader = await FieldReader.create();
}, 60_000);
afterAll(async () => {
  await reader?.close();
});

describe('scanned paper House PTRs', () => {
  it('finds the form upright on every page of the transcribed filings, whichever way it was scanned', async () => {
    for (const docId of ['8220747', '8220753', '8220768', '8220828']) {
      for (const scan of await pages(docId)) {
        const page = orientPage(scan);
        expect(page.grid, docId).not.toBeNull();
        expect(page.image.width).toBeGreaterThan(page.image.height);
      }
    }
  }, 60_000);

  it('reads every checkbox of a 4-page filing on the older form (no printed boxes)', async () => {
    const answer = answers.get('8220753')!;
    const read: (number | null)[][] = [];
    for (const scan of (await pages('8220753')).slice(0, 2))
      read.push(...boxes(scan).filter((r) => r[0] !== null));
    // Drop the printed example row (x in Sale and B) of page 1.
    const rows = read.filter((_, i) => i !== 0);
    const types = ['purchase', 'sale', 'exchange'];
    expect(rows.map(([t, a]) => [types[t!], a])).toEqual(
      answer.rows.filter((r) => r.page <= 2).map((r) => [r.transactionType, r.amountMin === 1001 ? 0 : -1]),
    );
  }, 60_000);

  it('reads a page turned upside down the same as upright', async () => {
    const [scan] = await pages('8220768');
    const upright = boxes(scan!);
    const turned = orientPage(rotateQuarter(scan!, 2));
    expect(turned.grid).not.toBeNull();
    expect(boxes(rotateQuarter(scan!, 2))).toEqual(upright);
    expect(boxes(rotateQuarter(scan!, 1))).toEqual(upright);
  }, 60_000);

  it('reads a filing: its header boxes, its one row, checkboxes sure, and nothing from its blank continuation sheet', async () => {
    const answer = answers.get('8220747')!;
    const filing = await readPaperPtr(pdf('8220747'), '8220747', { filedDate: answer.filedDate }, reader);
    expect(filing.kind).toBe('paper');
    // The header's boxes: `Initial report` and the IPO question's `No` are ticked.
    expect(filing.scan).toMatchObject({ pages: 2, formPages: 2, ipo: 'no', ipoConfidence: 1 });
    expect(filing.amendment).toBe(false);
    expect(filing.scan!.amendmentConfidence).toBeGreaterThanOrEqual(CONFIDENT);
    expect(filing.transactions).toHaveLength(1);
    const [row] = filing.transactions;
    expect(row).toMatchObject({
      readFromScan: true,
      owner: 'dependent',
      transactionType: 'sale',
      amountMin: 1001,
      amountMax: 15000,
      transactionDate: '2025-01-27',
      scanPosition: { page: 1, row: 1 },
    });
    expect(row!.confidence!.transactionType).toBeGreaterThanOrEqual(CONFIDENT);
    expect(row!.confidence!.amount).toBeGreaterThanOrEqual(CONFIDENT);
    expect(row!.assetName).toMatch(/GE Ver/);
    const s = score(filing, answer);
    expect(s.checkboxes).toEqual({ right: 2, total: 2 });
  }, 120_000);

  it('gives a blank continuation sheet no rows', async () => {
    const [, blank] = await pages('8220747');
    const read = await readScanPage(blank!, 2, reader, '2025-02-06');
    expect(read.turns).not.toBeNull();
    expect(read.rows).toEqual([]);
  }, 60_000);

  it('gives unreadable handwriting a low-confidence row, not an invented one', async () => {
    const [scan] = await pages('8220768');
    const page = orientPage(scan!);
    const g = page.grid!;
    // Scribble over the filled row's handwriting: a seeded scatter of ink where the words were.
    const row = g.rows.find((r) => r.to - r.from > 50 && r.from > g.rows[1]!.from)!;
    let seed = 7;
    const rand = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    const degraded = { ...page.image, data: page.image.data.slice() };
    for (const col of [g.asset, g.transactionDate, g.notificationDate]) {
      for (let y = Math.round(row.from + 4); y < row.to - 4; y++) {
        for (let x = Math.round(col.from + 4); x < col.to - 4; x++)
          degraded.data[y * degraded.width + x] = rand() < 0.3 ? 1 : 0;
      }
    }
    const read = await readScanPage(degraded, 1, reader, '2025-02-20');
    expect(read.rows.length).toBeLessThanOrEqual(1);
    for (const r of read.rows) {
      expect(r.confidence!.assetName).toBeLessThan(CONFIDENT);
      expect(r.transactionDate === null || r.confidence!.transactionDate < CONFIDENT).toBe(true);
      // The ticked boxes were left alone and still read.
      expect(r.transactionType).toBe('purchase');
    }
  }, 60_000);
});
