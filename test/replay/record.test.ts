import { readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { historyToJSON } from '@temporalio/common/lib/proto-utils';
import { afterAll, beforeAll, describe, it } from 'vitest';
import { fixturePath } from '../support/fixtures';
import { TASK_QUEUES } from '../../domain/taskQueues';
import { seedFiling, seedUser } from '../support/seed';
import { trade } from '../support/trades';
import {
  houseIndexXml,
  senateListing,
  serveHouseIndex,
  startTestSystem,
  usDate,
  FIXTURE_FILINGS,
  type TestSystem,
} from '../support/system';

/**
 * Records real histories for the replay test. Runs only with RECORD_HISTORIES=1, after a deliberate,
 * versioned change to a workflow; the recorded files are committed.
 */
const record = process.env.RECORD_HISTORIES === '1';
const DIR = fileURLToPath(new URL('./histories/', import.meta.url));
let sys: TestSystem;

async function saveHistory(system: TestSystem, name: string, workflowId: string) {
  const history = await system.client.workflow.getHandle(workflowId).fetchHistory();
  // The workflow id is part of what a run computes (child ids derive from it), so it is kept too.
  const recorded = { workflowId, history: JSON.parse(historyToJSON(history)) };
  await writeFile(`${DIR}${name}.json`, JSON.stringify(recorded, null, 1) + '\n');
}

describe.runIf(record)('record workflow histories', () => {
  beforeAll(async () => {
    sys = await startTestSystem({ CONGRESS_API_KEY: 'record-key' });
  });
  afterAll(async () => sys?.stop());

  const save = (name: string, workflowId: string) => saveHistory(sys, name, workflowId);

  it('records a trade sync with alerts, its notification batch, notification processing and a member sync', async () => {
    serveHouseIndex(sys.sites, houseIndexXml({ without: [FIXTURE_FILINGS.pelosi, FIXTURE_FILINGS.cohen] }));
    sys.senate.setRows([senateListing(FIXTURE_FILINGS.whitehouse, 'Sheldon', 'Whitehouse', usDate(2))]);
    await sys.sync();
    await seedUser(sys.db, 'replay@example.com', [{ member: 'Pelosi' }, { ticker: 'HST' }]);
    serveHouseIndex(sys.sites, houseIndexXml());
    sys.senate.addRow(senateListing(FIXTURE_FILINGS.rosenExchange, 'Jacklyn S', 'Rosen', usDate(0)));
    const summary = await sys.sync();
    await save('trade-sync', summary.syncId);
    const events = (await sys.client.workflow.getHandle(summary.syncId).fetchHistory()).events ?? [];
    const ingestBatch = events
      .map((e) => e.childWorkflowExecutionStartedEventAttributes?.workflowExecution?.workflowId)
      .find((id) => id?.includes('/ingest-'));
    await save('ingest-batch', ingestBatch!);
    const { rows } = await sys.db.query(`SELECT DISTINCT user_id FROM notifications`);
    const userId = rows[0].user_id as number;
    // notify-batch.json is a batch from before claims (one activity per user), kept to prove that such
    // runs still replay; batches since send with claims, as local activities.
    await save('notify-batch-claims', `${summary.syncId}/notify-${userId}-${userId}`);
    const example = JSON.parse(readFileSync(fixturePath('congress-gov/member-list.limit1.json'), 'utf8'));
    sys.sites.override('/congress/v3/member', {
      body: JSON.stringify({ members: example.members, pagination: {} }),
    });
    for (const [type, queue] of [
      ['NotificationProcessingWorkflow', TASK_QUEUES.notifications],
      ['MemberSyncWorkflow', TASK_QUEUES.dataIngestion],
    ] as const) {
      const handle = await sys.client.workflow.start(type, {
        taskQueue: queue,
        workflowId: `replay-${type}`,
      });
      await handle.result();
      await save(
        type.replace('Workflow', '').replace(/[A-Z]/g, (c, i) => (i ? '-' : '') + c.toLowerCase()),
        handle.workflowId,
      );
    }
  }, 180_000);

  it('records the system and upstream health checks', async () => {
    sys.sites.override('/prices/v8/finance/chart/SPY', {
      file: 'yahoo/chart-AAPL-2020-01-01-to-2020-01-03.body.json',
    });
    for (const [type, name] of [
      ['SystemHealthWorkflow', 'system-health'],
      ['UpstreamHealthWorkflow', 'upstream-health'],
    ] as const) {
      const handle = await sys.client.workflow.start(type, {
        taskQueue: TASK_QUEUES.healthChecks,
        workflowId: `replay-${type}`,
      });
      await handle.result();
      await save(name, handle.workflowId);
    }
  }, 180_000);

  it('records a price update: history loads, an unknown symbol, trade moves', async () => {
    sys.prices.unknown('ZZZQ');
    // Within the tracked window (PRICE_TRACK_DAYS) of today.
    const traded = new Date(Date.now() - 20 * 86_400_000).toISOString().slice(0, 10);
    await seedFiling(sys.db, {
      transactions: ['AAPL', 'NVDA', 'BRK.B', 'ZZZQ'].map((ticker) =>
        trade({ ticker, transactionDate: traded }),
      ),
    });
    const handle = await sys.client.workflow.start('PriceUpdateWorkflow', {
      taskQueue: TASK_QUEUES.priceUpdates,
      workflowId: 'replay-PriceUpdateWorkflow',
      args: [{ force: true }],
    });
    await handle.result();
    await save('price-update', handle.workflowId);
  }, 180_000);
});

describe.runIf(record)('record maintenance workflow histories', () => {
  let m: TestSystem;
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'capitolscope-record-'));
    m = await startTestSystem({ BACKUP_DIR: join(dir, 'backups'), ADMIN_EMAILS: 'ops@capitolscope.test' });
  });
  afterAll(async () => {
    await m?.stop();
    await rm(dir, { recursive: true, force: true });
  });

  it('records a daily maintenance, a weekly clean-up and an analytics report', async () => {
    await seedFiling(m.db, { transactions: [trade()] });
    for (const [type, name, args] of [
      ['DailyMaintenanceWorkflow', 'daily-maintenance', []],
      ['WeeklyCleanupWorkflow', 'weekly-cleanup', []],
      ['AnalyticsReportWorkflow', 'analytics-report', [{ period: 'week' }]],
    ] as const) {
      const handle = await m.client.workflow.start(type, {
        taskQueue: TASK_QUEUES.maintenance,
        workflowId: `replay-${type}`,
        args: [...args],
      });
      await handle.result();
      await saveHistory(m, name, handle.workflowId);
    }
  }, 180_000);
});
