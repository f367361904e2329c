import { fork } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { sharedDir } from '../devstack/sharedDir';
import { mib, type Measurement } from './measurement';
import type { ParseJob, ParseReport } from './parsePdfsWorker';

const SECTION = 'House PTR parsing';
const WORKER = fileURLToPath(new URL('./parsePdfsWorker.ts', import.meta.url));
const LARGEST = '20030891';

/** PDF text extraction + parsing over the 2025 corpus, then the largest file alone, each in a fresh process. */
export async function benchParsePdfs(): Promise<Measurement[]> {
  const rows: Measurement[] = [];
  const add = (name: string, value: number | string, unit: string) =>
    rows.push({ section: SECTION, name, value, unit });
  const corpusDir = join(sharedDir(), 'corpus/house-ptr/2025');

  const all = await inChild({ kind: 'corpus', dir: corpusDir });
  const parsed = all.files - all.failed.length;
  add('corpus files (2025)', all.files, 'files');
  add('files that failed to parse', all.failed.length, 'files');
  add('pages / transactions read', `${all.pages} / ${all.transactions}`, 'pages / rows');
  add('wall (read + extract text + parse, sequential)', all.wallMs, 'ms');
  add('throughput', all.files / (all.wallMs / 1000), 'files/s');
  add('throughput', all.pages / (all.wallMs / 1000), 'pages/s');
  add('of the wall: pdf.js text extraction (the baseline)', all.extractMs, 'ms');
  add('whole path vs pdf.js extraction alone (time ratio)', all.wallMs / all.extractMs, '×');
  add('RSS before first file', mib(all.rssBefore), 'MiB');
  add('peak RSS (memoryUsage().rss every 5 ms)', mib(all.rssPeak), 'MiB');
  add('peak RSS (kernel maxrss)', mib(all.maxRss), 'MiB');
  add('JS heap retained after all files (forced GC, vs before)', mib(all.heapAfter - all.heapBefore), 'MiB');
  if (parsed !== all.files) for (const f of all.failed) add('failed', f, '');

  const one = await inChild({
    kind: 'single',
    file: join(corpusDir, `${LARGEST}.pdf`),
    warmUp: join(sharedDir(), 'fixtures/house-clerk/public_disc/ptr-pdfs/2025/20026590.pdf'),
  });
  if (one.failed.length) throw new Error(`largest file failed: ${one.failed.join('; ')}`);
  add(`largest file ${LARGEST}: pages / transactions`, `${one.pages} / ${one.transactions}`, 'pages / rows');
  add(`largest file ${LARGEST}: wall (after a warm-up file)`, one.wallMs, 'ms');
  add(`largest file ${LARGEST}: RSS delta (peak − before)`, mib(one.rssPeak - one.rssBefore), 'MiB');
  return rows;
}

function inChild(job: ParseJob): Promise<ParseReport> {
  return new Promise((ok, fail) => {
    const child = fork(WORKER, [], {
      execArgv: ['--import', 'tsx', '--expose-gc'],
      cwd: fileURLToPath(new URL('..', import.meta.url)),
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    let settled = false;
    child.once('message', (m: { report?: ParseReport; error?: string }) => {
      settled = true;
      if (m.report) ok(m.report);
      else fail(new Error(`PDF benchmark worker failed: ${m.error}`));
    });
    child.once('error', fail);
    child.once('exit', (code) => {
      if (!settled) fail(new Error(`PDF benchmark worker exited with code ${code} before reporting`));
    });
    child.send(job);
  });
}
