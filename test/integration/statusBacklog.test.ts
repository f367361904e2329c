import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../store/db';
import { matchUnmatchedFilings } from '../../store/matching';
import { runCli } from '../support/cli';
import { seedFiling, seedUser } from '../support/seed';
import { createTestDatabase } from '../support/services';
import { createTestNamespace } from '../support/temporal';
import { trade } from '../support/trades';

/** `capitolscope status` says how long the alert emails due now will take to go out. */

let db: Db;
let url: string;
let namespace: string;
const cleanups: (() => Promise<void>)[] = [];

beforeAll(async () => {
  const database = await createTestDatabase();
  ({ db, url } = database);
  cleanups.push(database.drop);
  const ns = await createTestNamespace('status');
  namespace = ns.namespace;
  cleanups.push(ns.close);
  for (const name of ['a', 'b', 'c']) await seedUser(db, `${name}@example.com`, [{ ticker: 'NVDA' }]);
  await seedUser(db, 'weekly@example.com', [{ ticker: 'NVDA' }], { digest: 'weekly' });
  await seedFiling(db, { transactions: [trade(), trade({ assetName: 'NVIDIA again' })] });
  await matchUnmatchedFilings(db, { syncId: 's1', maxFilingAgeDays: 0 });
});
afterAll(async () => {
  for (const c of cleanups.reverse()) await c();
});

describe('status', () => {
  it('counts the alert emails due now and says how long they take at the relay’s rate', async () => {
    const env = {
      DATABASE_URL: url,
      TEMPORAL_NAMESPACE: namespace,
      SMTP_URL: 'smtp://user:pw@email-smtp.us-east-1.amazonaws.com:587',
      NOTIFICATION_RATE_PER_SECOND: '0.5',
    };
    const [human, json] = await Promise.all([runCli(['status'], env), runCli(['status', '-o', 'json'], env)]);
    expect(human.stderr).toBe('');
    expect(human.stdout).toContain(
      'Alert backlog: 3 emails due now (6 alerts). 2 alerts wait for their digest or the end of quiet hours. ' +
        'At 0.5 emails/s per notifications worker (NOTIFICATION_RATE_PER_SECOND) × 1 worker: about 6 s.',
    );
    expect(JSON.parse(json.stdout).alerts).toMatchObject({
      dueEmails: 3,
      dueAlerts: 6,
      waitingAlerts: 2,
      ratePerSecond: 0.5,
      estimatedSeconds: 6,
    });
    // Without a rate set, a provider's documented limit applies (Amazon SES: 14 emails/s).
    const ses = await runCli(['status', '-o', 'json'], { ...env, NOTIFICATION_RATE_PER_SECOND: '' });
    expect(JSON.parse(ses.stdout).alerts).toMatchObject({
      ratePerSecond: 14,
      rateSource: 'Amazon SES default',
    });
  });
});
