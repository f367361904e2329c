// Runs in a child process of its own, so its memory figures are not those of the benchmark's other work.
import { readdir, readFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { PAGE_BREAK, extractPdfText } from '../sources/house/pdfText';
import { parseHousePtr } from '../sources/house/parsePtr';

export type ParseJob = { kind: 'corpus'; dir: string } | { kind: 'single'; file: string; warmUp: string };

export interface ParseReport {
  files: number;
  failed: string[];
  pages: number;
  transactions: number;
  wallMs: number;
  /** Of the wall, the time in pdf.js text extraction (the rest: reading the file and our parser). */
  extractMs: number;
  rssBefore: number;
  rssPeak: number;
  /** Heap in use before the first file and after the last, each right after a forced GC: growth is what stays. */
  heapBefore: number;
  heapAfter: number;
  /** Kernel high-water mark of the process (resourceUsage().maxRSS), in bytes. */
  maxRss: number;
}

/** `readHousePtrPdf`, in its two steps, so the page count of the text comes along. */
async function parseFile(file: string): Promise<{ pages: number; transactions: number; extractMs: number }> {
  const bytes = await readFile(file);
  const started = performance.now();
  const text = await extractPdfText(bytes);
  const extractMs = performance.now() - started;
  const parsed = parseHousePtr(text, basename(file, '.pdf'));
  return {
    pages: text.split(`\n${PAGE_BREAK}\n`).length,
    transactions: parsed.transactions.length,
    extractMs,
  };
}

function heapAfterGc(): number {
  // Started with --expose-gc by parsePdfs.ts.
  (globalThis as { gc?: () => void }).gc?.();
  return process.memoryUsage().heapUsed;
}

async function run(job: ParseJob): Promise<ParseReport> {
  const files =
    job.kind === 'corpus'
      ? (await readdir(job.dir))
          .filter((f) => f.endsWith('.pdf'))
          .sort()
          .map((f) => join(job.dir, f))
      : [job.file];
  if (job.kind === 'single') await parseFile(job.warmUp);
  const heapBefore = heapAfterGc();
  const rssBefore = process.memoryUsage().rss;
  let rssPeak = rssBefore;
  const sample = () => (rssPeak = Math.max(rssPeak, process.memoryUsage().rss));
  const sampler = setInterval(sample, 5);
  const report = { files: files.length, failed: [] as string[], pages: 0, transactions: 0, extractMs: 0 };
  const started = performance.now();
  for (const file of files) {
    try {
      const r = await parseFile(file);
      report.pages += r.pages;
      report.transactions += r.transactions;
      report.extractMs += r.extractMs;
    } catch (err) {
      report.failed.push(`${basename(file)}: ${(err as Error).message}`);
    }
    sample();
  }
  const wallMs = performance.now() - started;
  clearInterval(sampler);
  const maxRss = process.resourceUsage().maxRSS * 1024;
  return { ...report, wallMs, rssBefore, rssPeak, maxRss, heapBefore, heapAfter: heapAfterGc() };
}

// The benchmark was interrupted: stop too.
process.once('disconnect', () => process.exit(1));
process.once('message', (job: ParseJob) => {
  run(job).then(
    (report) => process.send!({ report }, () => process.exit(0)),
    (err: Error) => process.send!({ error: err.stack ?? err.message }, () => process.exit(1)),
  );
});
