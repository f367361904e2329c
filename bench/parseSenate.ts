import { readdir, readFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { load } from 'cheerio';
import { sharedDir } from '../devstack/sharedDir';
import { parseSenatePtr } from '../sources/senate/parsePtr';
import { msSince, type Measurement } from './measurement';

const SECTION = 'Senate PTR parsing';
/** Long enough for a stable rate on a loaded machine: several thousand pages. */
const MIN_MS = 3000;

/**
 * `parseSenatePtr` over the real eFD pages of the fixtures, repeated until the figure is stable, beside
 * the bare HTML parse it is built on (cheerio `load` of the same pages): the ratio is what reading the
 * report costs on top of parsing the HTML.
 */
export async function benchParseSenate(): Promise<Measurement[]> {
  const rows: Measurement[] = [];
  const add = (name: string, value: number | string, unit: string) =>
    rows.push({ section: SECTION, name, value, unit });
  const dir = join(sharedDir(), 'fixtures/senate-efd/search/view/ptr');
  const files = (await readdir(dir)).filter((f) => f.endsWith('.html')).sort();
  const pages = await Promise.all(
    files.map(async (f) => ({ id: basename(f, '.html'), html: await readFile(join(dir, f), 'utf8') })),
  );
  const bytes = pages.reduce((n, p) => n + Buffer.byteLength(p.html), 0);
  let transactions = 0;
  for (const p of pages) transactions += parseSenatePtr(p.html, p.id).transactions.length;
  add('fixture pages / transactions on them', `${pages.length} / ${transactions}`, 'pages / rows');
  add('fixture pages: total size', bytes / 1024, 'KiB');

  const parse = repeat(pages, (p) => parseSenatePtr(p.html, p.id));
  const bare = repeat(pages, (p) => load(p.html));
  add(`parseSenatePtr: pages parsed (≥ ${MIN_MS / 1000} s)`, parse.pages, 'pages');
  add('parseSenatePtr: throughput', parse.pages / (parse.ms / 1000), 'pages/s');
  add(
    'parseSenatePtr: throughput',
    ((parse.pages / pages.length) * transactions) / (parse.ms / 1000),
    'rows/s',
  );
  add('baseline: cheerio load alone, throughput', bare.pages / (bare.ms / 1000), 'pages/s');
  add(
    'parseSenatePtr vs bare HTML parse (time per page ratio)',
    parse.ms / parse.pages / (bare.ms / bare.pages),
    '×',
  );
  return rows;
}

/** Run `fn` over the pages, round after round, for at least MIN_MS after one warm-up round. */
function repeat<P>(pages: P[], fn: (p: P) => unknown): { pages: number; ms: number } {
  for (const p of pages) fn(p);
  const t = performance.now();
  let done = 0;
  while (msSince(t) < MIN_MS) {
    for (const p of pages) fn(p);
    done += pages.length;
  }
  return { pages: done, ms: msSince(t) };
}
