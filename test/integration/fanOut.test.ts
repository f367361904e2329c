import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TASK_QUEUES } from '../../domain/taskQueues';
import { cleanUser } from '../../domain/users';
import { upsertUsers } from '../../store/users';
import { BATCH_SIZE } from '../../workflows/fanOut';
import { seedFiling } from '../support/seed';
import { trade } from '../support/trades';
import { startTestSystem, type TestSystem } from '../support/system';

const USERS = 1000;
let sys: TestSystem;

beforeAll(async () => {
  sys = await startTestSystem({ NOTIFICATION_RATE_PER_SECOND: '2000' });
});
afterAll(async () => sys?.stop());

describe('fan-out', () => {
  it(`alerts ${USERS} users once each through child workflows of at most ${BATCH_SIZE}`, async () => {
    await upsertUsers(
      sys.db,
      Array.from({ length: USERS }, (_, i) =>
        cleanUser({ email: `user${i}@example.com`, rules: [{ ticker: 'NVDA' }] }),
      ),
    );
    await seedFiling(sys.db, { chamber: 'senate', filerName: 'Jacklyn S Rosen', transactions: [trade()] });
    const handle = await sys.client.workflow.start('TradeSyncWorkflow', {
      taskQueue: TASK_QUEUES.dataIngestion,
      workflowId: `fan-out-${Date.now()}`,
      // The Senate site lists nothing new: the seeded filing is matched and delivered like any new one.
      args: [{ sources: ['senate'] }],
    });
    const summary = await handle.result();
    expect(summary).toMatchObject({ notifications: USERS, usersNotified: USERS, emailsSent: USERS });
    const recipients = (await sys.smtp.waitFor(USERS, 10_000)).map((m) => m.to[0]);
    expect(new Set(recipients).size).toBe(USERS);
    expect(recipients).toHaveLength(USERS);

    // The parent's history grows with the number of batches, not of users.
    const parentEvents = (await handle.fetchHistory()).events ?? [];
    const children = parentEvents.filter((e) => e.startChildWorkflowExecutionInitiatedEventAttributes);
    expect(children).toHaveLength(Math.ceil(USERS / BATCH_SIZE));
    expect(parentEvents.length).toBeLessThan(100);
    const { rows } = await sys.db.query(
      `SELECT status, count(*)::int AS n FROM notifications GROUP BY status`,
    );
    expect(rows).toEqual([{ status: 'sent', n: USERS }]);
  }, 180_000);
});
