import { FixtureSites } from '../../devstack/fixtureSites';
import { houseIndexXml, serveHouseIndex } from '../../devstack/demoData';
import { scheduleTable } from '../../domain/schedules';
import { TASK_QUEUES } from '../../domain/taskQueues';
import { cleanUser } from '../../domain/users';
import { applySchedules } from '../../schedules/apply';
import { upsertUsers } from '../../store/users';
import type { BenchPostgres } from '../benchPostgres';
import type { Measurement } from '../measurement';
import { stopChild } from '../../ops/stopChild';
import { BenchSystem } from './system';

const SECTION = 'Latency';
const INTERVAL = '1m';
/** 2025 House PTRs in the shared fixtures whose PDFs parse: each appears in the index in turn. */
const FILINGS = ['20026489', '20026513', '20026517', '20026537', '20026548', '20026650'];
/** When each filing appears after the previous alert arrived: spread over the schedule's minute. */
const OFFSETS_S = [5, 41, 17, 53, 29, 11];

/**
 * With TRADE_SYNC_INTERVAL=1m and the trade-sync schedule applied, real worker processes and the local
 * Clerk site: a filing appears in the House index, and the clock runs until the SMTP server has accepted
 * the alert about it. Several filings, each at a different moment of the schedule's minute.
 */
export async function benchLatency(
  pg: BenchPostgres,
  opts: { progress: (what: string) => void },
): Promise<Measurement[]> {
  const rows: Measurement[] = [];
  const add = (name: string, value: number | string, unit: string) =>
    rows.push({ section: SECTION, name, value, unit });
  const sys = await BenchSystem.start(pg);
  const sites = new FixtureSites();
  await sites.start();
  const workers = [];
  try {
    const { url, db } = await pg.createDatabase('latency');
    // One user following every House trade: one email per filing that appears.
    await upsertUsers(db, [cleanUser({ email: 'latency@example.com', rules: [{ chamber: 'house' }] })]);
    serveHouseIndex(sites, houseIndexXml({ without: FILINGS }));
    const env = sys.workerEnv(url, {
      TRADE_SYNC_INTERVAL: INTERVAL,
      HOUSE_CLERK_BASE_URL: sites.url('house'),
      HOUSE_INDEX_YEARS: '2025',
    });
    workers.push(await sys.startWorker([TASK_QUEUES.dataIngestion], env));
    workers.push(await sys.startWorker([TASK_QUEUES.notifications], env));
    const defs = scheduleTable({ tradeSyncInterval: INTERVAL }).filter((d) => d.id === 'trade-sync');
    await applySchedules(sys.client, defs, {
      timezone: 'America/New_York',
      implementedWorkflows: ['TradeSyncWorkflow'],
    });
    opts.progress(`latency: waiting for the baseline sync (schedule every ${INTERVAL})`);
    await waitForSyncs(sys, 1);
    await sys.smtp.reset();
    const latencies: number[] = [];
    for (const [i, docId] of FILINGS.entries()) {
      await new Promise((ok) => setTimeout(ok, OFFSETS_S[i]! * 1000));
      serveHouseIndex(sites, houseIndexXml({ without: FILINGS.slice(i + 1) }));
      const appeared = Date.now();
      const stats = await sys.smtp.waitFor(i + 1);
      latencies.push((stats.lastAt! - appeared) / 1000);
      opts.progress(`latency: filing ${docId} alerted ${latencies.at(-1)!.toFixed(1)} s after it appeared`);
    }
    const sorted = [...latencies].sort((a, b) => a - b);
    const median = (sorted[(sorted.length - 1) >> 1]! + sorted[sorted.length >> 1]!) / 2;
    add('TRADE_SYNC_INTERVAL', INTERVAL, '');
    add('filings that appeared (one at a time)', FILINGS.length, 'filings');
    add('each: appeared → alert accepted by SMTP', latencies.map((l) => l.toFixed(1)).join(', '), 's');
    add('median', median, 's');
    add('worst (target: within one interval + 30 s = 90 s)', sorted.at(-1)!, 's');
    await db.end();
  } finally {
    await sys.client.schedule
      .getHandle('trade-sync')
      .delete()
      .catch(() => undefined);
    for (const w of workers) await stopChild(w, 15_000);
    await sites.stop();
    await sys.stop();
  }
  return rows;
}

/** Until `count` TradeSyncWorkflow runs have completed. */
async function waitForSyncs(sys: BenchSystem, count: number): Promise<void> {
  for (;;) {
    let done = 0;
    for await (const w of sys.client.workflow.list({ query: 'WorkflowType = "TradeSyncWorkflow"' })) {
      if (w.status.name === 'COMPLETED') done++;
    }
    if (done >= count) return;
    await new Promise((ok) => setTimeout(ok, 2000));
  }
}
