import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Client } from '@temporalio/client';
import { SenateEfdSite } from '../../devstack/senateEfdSite';
import { SmtpSink } from '../../devstack/smtpSink';
import type { Config } from '../../domain/config';
import type { DeliveryRetryPolicy } from '../../domain/notifications';
import type { TradeSyncSummary } from '../../domain/sync';
import { TASK_QUEUES } from '../../domain/taskQueues';
import { freePort } from '../../ops/listen';
import { createLogger } from '../../ops/logger';
import type { Db } from '../../store/db';
import { runWorkers, type RunningWorkers } from '../../workers/runWorkers';
import { RestartablePostgres, tallyMail } from '../support/faults';
import { WorkerProcess } from '../support/workerProcess';
import { TestMailbox } from '../support/mailbox';
import { testConfig } from '../support/services';
import { createTestNamespace } from '../support/temporal';
import { sleep, waitFor } from '../support/wait';

/**
 * The alert path against real faults, with real processes: PostgreSQL stopped and started, the SMTP
 * server down for longer than the old retry budget, the notifications worker SIGKILLed twice. Each
 * test prints its figures (docs/reliability.md records them).
 */

const SECRET = 'fault-unsubscribe-secret-0123456789';
/** Sends in progress at once in the notifications worker: what a crash can leave unmarked. */
const IN_FLIGHT = 20;

let pg: RestartablePostgres & { url: string };
let client: Client;
let namespace: string;
let closeNamespace: () => Promise<void>;
const senate = new SenateEfdSite({ rows: [] });
let senateUrl: string;

beforeAll(async () => {
  pg = await RestartablePostgres.start();
  ({ client, namespace, close: closeNamespace } = await createTestNamespace('faults'));
  senateUrl = await senate.start();
});
afterAll(async () => {
  await senate.stop();
  await closeNamespace?.();
  await pg?.destroy();
});

/** One test's system: its database, mailbox, notifications worker process and in-process ingestion worker. */
async function system(name: string, users: number, smtpUrl?: string) {
  const { url, db } = await pg.database(name, users);
  const mail = new TestMailbox(name);
  const env = {
    DATABASE_URL: url,
    TEMPORAL_NAMESPACE: namespace,
    SMTP_URL: smtpUrl ?? mail.smtpUrl,
    MAIL_FROM: mail.from,
    UNSUBSCRIBE_SECRET: SECRET,
    NOTIFICATION_CONCURRENCY: String(IN_FLIGHT),
    SENATE_EFD_BASE_URL: senateUrl,
    SENATE_REQUEST_INTERVAL_MS: '0',
    ALERT_MAX_FILING_AGE_DAYS: '0',
  };
  const notifications = new WorkerProcess([TASK_QUEUES.notifications], env);
  await notifications.start();
  const config: Config = testConfig(env);
  const ingestion: RunningWorkers = await runWorkers({
    config,
    queues: [TASK_QUEUES.dataIngestion, TASK_QUEUES.healthChecks],
    logger: createLogger('error'),
    statusPort: null,
  });
  return {
    db,
    mail,
    notifications,
    async sync(retry?: DeliveryRetryPolicy) {
      return client.workflow.start('TradeSyncWorkflow', {
        taskQueue: TASK_QUEUES.dataIngestion,
        workflowId: `${name}-sync`,
        args: [{ sources: ['senate'], ...(retry ? { deliveryRetry: retry } : {}) }],
      });
    },
    async stop() {
      await notifications.stop();
      await ingestion.shutdown();
      await db.end();
    },
  };
}

async function statusCounts(db: Db): Promise<Record<string, number>> {
  const { rows } = await db.query(`SELECT status, count(*)::int AS n FROM notifications GROUP BY status`);
  return Object.fromEntries(rows.map((r) => [r.status, r.n]));
}

async function suppressedUsers(db: Db): Promise<number> {
  return (await db.query(`SELECT count(*)::int AS n FROM users WHERE status <> 'active'`)).rows[0].n;
}

/** How long after `since` the mailbox next grew past `count`. */
async function msUntilMore(mail: TestMailbox, count: number, since: number): Promise<number> {
  await mail.waitFor(count + 1, 300_000);
  return Date.now() - since;
}

describe('faults during a fan-out', () => {
  it('PostgreSQL stopped and started mid fan-out to 1,000 users: workers stay up, everyone gets one email', async () => {
    const USERS = 1000;
    const s = await system('pgrestart', USERS);
    try {
      const handle = await s.sync();
      await s.mail.waitFor(150, 120_000);
      await pg.down();
      const downAt = Date.now();
      const sentWhileDown = (await s.mail.messages()).length;
      await sleep(5000);
      await pg.up();
      const upAt = Date.now();
      const recoverMs = await msUntilMore(s.mail, (await s.mail.messages()).length, upAt);
      const summary = (await handle.result()) as TradeSyncSummary;
      const mail = tallyMail(await s.mail.messages());
      console.log(
        `[fault] PostgreSQL restart: ${USERS} users; down ${upAt - downAt} ms after ${sentWhileDown} emails; ` +
          `first email ${recoverMs} ms after it was back; ${mail.messages} messages to ${mail.recipients} ` +
          `recipients, ${mail.duplicates} duplicates (same Message-ID); worker exits: ${s.notifications.unexpectedExits.length}`,
      );
      expect(s.notifications.unexpectedExits).toEqual([]);
      expect(s.notifications.running).toBe(true);
      expect(summary).toMatchObject({ notifications: USERS, emailsSent: USERS });
      expect(mail).toMatchObject({ recipients: USERS, messageIds: USERS, recipientsWithTwoEmails: 0 });
      expect(mail.duplicates).toBeLessThanOrEqual(IN_FLIGHT);
      expect(await statusCounts(s.db)).toEqual({ sent: USERS });
    } finally {
      await s.stop();
    }
  }, 600_000);

  it('the SMTP server down longer than the old retry budget, then back: all delivered once, none failed or suppressed', async () => {
    // DELIVERY_RETRY at 1/60 of its time (seconds for minutes): the old budget (8 attempts, 10 s
    // doubling to 10 min: 20.5 minutes) becomes 20.5 s, the new one (90 minutes) 90 s.
    const scale = 60;
    const retry: DeliveryRetryPolicy = {
      firstDelayMs: 10_000 / scale,
      maxDelayMs: 600_000 / scale,
      giveUpAfterMs: (90 * 60_000) / scale,
    };
    const oldBudgetMs = ((10 + 20 + 40 + 80 + 160 + 320 + 600) * 1000) / scale;
    const USERS = 200;
    const port = await freePort();
    const relay = new SmtpSink();
    const s = await system('smtpdown', USERS, `smtp://127.0.0.1:${port}`);
    const box = relay.mailbox(s.mail.address);
    try {
      // The relay is down before the fan-out starts, and stays down past the old budget.
      const handle = await s.sync(retry);
      const downAt = Date.now();
      await waitFor(async () => (await statusCounts(s.db)).sending === USERS, { timeoutMs: 60_000 });
      await sleep(oldBudgetMs + 10_000 - (Date.now() - downAt));
      await relay.start(port);
      const upAt = Date.now();
      await box.waitFor(1, 120_000);
      const recoverMs = Date.now() - upAt;
      const summary = (await handle.result()) as TradeSyncSummary;
      const mail = tallyMail(box.messages);
      const attempts = (await s.db.query(`SELECT max(attempts)::int AS n FROM notifications`)).rows[0].n;
      console.log(
        `[fault] SMTP down: ${USERS} users; down ${upAt - downAt} ms (old budget at this scale: ${oldBudgetMs} ms); ` +
          `first email ${recoverMs} ms after it was back; up to ${attempts} attempts per alert; ` +
          `${mail.messages} messages to ${mail.recipients} recipients, ${mail.duplicates} duplicates`,
      );
      expect(upAt - downAt).toBeGreaterThan(oldBudgetMs);
      expect(summary).toMatchObject({ notifications: USERS, emailsSent: USERS });
      expect(mail).toMatchObject({ messages: USERS, recipients: USERS, duplicates: 0 });
      expect(await statusCounts(s.db)).toEqual({ sent: USERS });
      expect(await suppressedUsers(s.db)).toBe(0);
    } finally {
      await s.stop();
      await relay.stop();
    }
  }, 600_000);

  it('the notifications worker SIGKILLed twice mid fan-out and restarted: nothing lost, duplicates only by Message-ID', async () => {
    const USERS = 1000;
    const s = await system('sigkill', USERS);
    try {
      const handle = await s.sync();
      const recoveries: number[] = [];
      for (const after of [150, 500]) {
        await s.mail.waitFor(after, 180_000);
        await s.notifications.kill();
        const killedAt = Date.now();
        const count = (await s.mail.messages()).length;
        await s.notifications.start();
        recoveries.push(await msUntilMore(s.mail, count, killedAt));
      }
      const summary = (await handle.result()) as TradeSyncSummary;
      const mail = tallyMail(await s.mail.messages());
      console.log(
        `[fault] SIGKILL ×2: ${USERS} users; first email after each kill+restart: ${recoveries.join(' ms, ')} ms; ` +
          `${mail.messages} messages to ${mail.recipients} recipients, ${mail.duplicates} duplicates ` +
          `(same Message-ID), lost ${USERS - mail.recipients}`,
      );
      expect(s.notifications.unexpectedExits).toEqual([]);
      expect(summary).toMatchObject({ notifications: USERS, emailsSent: USERS });
      expect(mail).toMatchObject({ recipients: USERS, messageIds: USERS, recipientsWithTwoEmails: 0 });
      expect(mail.duplicates).toBeLessThanOrEqual(2 * IN_FLIGHT);
      expect(await statusCounts(s.db)).toEqual({ sent: USERS });
    } finally {
      await s.stop();
    }
  }, 600_000);
});
