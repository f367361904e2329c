import { readFileSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { historyToJSON } from '@temporalio/common/lib/proto-utils';
import { afterAll, beforeAll, describe, it } from 'vitest';
import { fixturePath } from '../support/fixtures';
import { TASK_QUEUES } from '../../domain/taskQueues';
import { seedUser } from '../support/seed';
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

describe.runIf(record)('record workflow histories', () => {
  beforeAll(async () => {
    sys = await startTestSystem({ CONGRESS_API_KEY: 'record-key' });
  });
  afterAll(async () => sys?.stop());

  async function save(name: string, workflowId: string) {
    const history = await sys.client.workflow.getHandle(workflowId).fetchHistory();
    // The workflow id is part of what a run computes (child ids derive from it), so it is kept too.
    const recorded = { workflowId, history: JSON.parse(historyToJSON(history)) };
    await writeFile(`${DIR}${name}.json`, JSON.stringify(recorded, null, 1) + '\n');
  }

  it('records a trade sync with alerts, its notification batch, notification processing and a health check', async () => {
    serveHouseIndex(sys.sites, houseIndexXml({ without: [FIXTURE_FILINGS.pelosi, FIXTURE_FILINGS.cohen] }));
    sys.senate.setRows([senateListing(FIXTURE_FILINGS.whitehouse, 'Sheldon', 'Whitehouse', usDate(2))]);
    await sys.sync();
    await seedUser(sys.db, 'replay@example.com', [{ member: 'Pelosi' }, { ticker: 'HST' }]);
    serveHouseIndex(sys.sites, houseIndexXml());
    sys.senate.addRow(senateListing(FIXTURE_FILINGS.rosenExchange, 'Jacklyn S', 'Rosen', usDate(0)));
    const summary = await sys.sync();
    await save('trade-sync', summary.syncId);
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
      ['SystemHealthWorkflow', TASK_QUEUES.healthChecks],
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
});
