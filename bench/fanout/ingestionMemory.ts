import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { FixtureSites } from '../../devstack/fixtureSites';
import { serveHouseIndex } from '../../devstack/demoData';
import { sharedDir } from '../../devstack/sharedDir';
import type { TradeSyncSummary } from '../../domain/sync';
import { TASK_QUEUES } from '../../domain/taskQueues';
import type { BenchPostgres } from '../benchPostgres';
import { mib, type Measurement } from '../measurement';
import { stopChild } from '../../ops/stopChild';
import { ProcessMeter, processTree } from './processStats';
import { BenchSystem } from './system';

const SECTION = 'Worker memory';

/**
 * The ingestion worker (its own process, as deployed) ingesting the whole 2025 PTR corpus in one sync:
 * the Clerk's index reduced to the corpus's filings, every PDF served from the corpus. Its peak
 * resident memory while parsing, sampled every 250 ms, and the kernel's high-water mark.
 */
export async function benchIngestionMemory(
  pg: BenchPostgres,
  opts: { progress: (what: string) => void },
): Promise<Measurement[]> {
  const rows: Measurement[] = [];
  const corpus = join(sharedDir(), 'corpus/house-ptr/2025');
  const docIds = new Set(readdirSync(corpus).map((f) => f.replace(/\.pdf$/, '')));
  const index = readFileSync(join(sharedDir(), 'corpus/index/2025FD.xml'), 'utf8').replace(
    /<Member>(?:(?!<\/Member>)[\s\S])*?<DocID>(\d+)<\/DocID>[\s\S]*?<\/Member>\s*/g,
    (member, id: string) => (docIds.has(id) ? member : ''),
  );
  const sys = await BenchSystem.start(pg);
  const sites = new FixtureSites();
  await sites.start();
  for (const id of docIds) {
    sites.override(`/house/public_disc/ptr-pdfs/2025/${id}.pdf`, {
      body: readFileSync(join(corpus, `${id}.pdf`)),
      headers: { 'content-type': 'application/pdf' },
    });
  }
  serveHouseIndex(sites, index);
  try {
    const add = (name: string, value: number | string, unit: string) =>
      rows.push({ section: SECTION, name, value, unit });
    // As deployed (twice: the figure varies with the machine's load and the order of parses).
    for (const [label, nodeOptions] of [
      ['run 1', ''],
      ['run 2', ''],
    ] as const) {
      const { url, db } = await pg.createDatabase(`ingestion_memory_${rows.length}`);
      const env = sys.workerEnv(url, { HOUSE_CLERK_BASE_URL: sites.url('house'), HOUSE_INDEX_YEARS: '2025' });
      const worker = await sys.startWorker([TASK_QUEUES.dataIngestion], {
        ...env,
        NODE_OPTIONS: nodeOptions,
      });
      // The sync ends with its fan-out (to nobody here), which needs a notifications worker.
      const notifications = await sys.startWorker([TASK_QUEUES.notifications], env);
      // PDFs are read in child processes of the worker (kept warm between documents): counted apart.
      const meter = new ProcessMeter({
        'ingestion worker': () => [worker.pid!],
        'PDF parse processes': () => processTree(worker.pid!).slice(1),
        'worker and parse processes': () => processTree(worker.pid!),
      });
      meter.start();
      opts.progress(`ingesting the ${docIds.size} PDFs of the 2025 corpus in one sync (${label})`);
      const started = Date.now();
      const summary = (await (
        await sys.client.workflow.start('TradeSyncWorkflow', {
          taskQueue: TASK_QUEUES.dataIngestion,
          workflowId: `bench-ingest-corpus-${rows.length}`,
          args: [{ sources: ['house'] }],
        })
      ).result()) as TradeSyncSummary;
      const seconds = (Date.now() - started) / 1000;
      const usage = meter.stop();
      const hwm = Number(
        /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${worker.pid}/status`, 'utf8'))?.[1] ?? 0,
      );
      // A filing the corpus should give and did not is named with its reason, not only counted.
      const failed = await db.query<{ sourceId: string; reason: string | null }>(
        `SELECT source_id AS "sourceId", failure_reason AS reason FROM filings
          WHERE status = 'failed' ORDER BY source_id`,
      );
      await stopChild(worker, 15_000);
      await stopChild(notifications, 15_000);
      await db.end();
      add(
        `${label}: corpus PDFs listed / parsed / paper / failed`,
        `${docIds.size} / ${summary.filings.parsed} / ${summary.filings.paper} / ${summary.filings.failed}`,
        'filings',
      );
      for (const f of failed.rows) add(`${label}: failed ${f.sourceId}`, f.reason ?? '(no reason)', '');
      add(`${label}: one sync ingesting them`, seconds, 's');
      add(
        `${label}: ingestion worker peak RSS (every 250 ms)`,
        mib(usage.peakRssBytes['ingestion worker']!),
        'MiB',
      );
      add(`${label}: ingestion worker RSS high-water mark (kernel)`, hwm / 1024, 'MiB');
      add(
        `${label}: PDF parse processes, largest / all together (peak RSS)`,
        `${mib(usage.peakRssBytes['PDF parse processes']!).toFixed(0)} / ${mib(usage.peakTotalRssBytes['PDF parse processes']!).toFixed(0)}`,
        'MiB',
      );
      add(
        `${label}: worker and its parse processes together (peak RSS)`,
        mib(usage.peakTotalRssBytes['worker and parse processes']!),
        'MiB',
      );
    }
  } finally {
    await sites.stop();
    await sys.stop();
  }
  return rows;
}
