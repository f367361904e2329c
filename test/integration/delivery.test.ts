import { randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { request } from 'undici';
import { createNotifyActivities } from '../../activities/notify';
import type { DeliveryRetryPolicy, FanOutResult } from '../../domain/notifications';
import { createAlertMailer, type Mailer } from '../../mail/mailer';
import { signUnsubscribeToken } from '../../mail/unsubscribeToken';
import { createPublicServer } from '../../cli/serve/publicServer';
import { TASK_QUEUES } from '../../domain/taskQueues';
import { matchUnmatchedFilings } from '../../store/matching';
import { createLogger } from '../../ops/logger';
import { seedFiling, seedUser } from '../support/seed';
import { trade } from '../support/trades';
import { startTestSystem, type TestSystem } from '../support/system';
import { waitFor } from '../support/wait';

let sys: TestSystem;
let server: Server;
let base: string;

beforeAll(async () => {
  sys = await startTestSystem();
  server = createPublicServer({ config: sys.config, db: sys.db, logger: createLogger('error') });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/app`;
});
afterAll(async () => {
  server?.close();
  await sys?.stop();
});
beforeEach(async () => {
  await sys.db.query('TRUNCATE users, filings RESTART IDENTITY CASCADE');
  await sys.smtp.clear();
});

const activities = (now?: Date) =>
  createNotifyActivities(
    { config: sys.config, db: sys.db, logger: createLogger('error') },
    now ? { now: () => now } : {},
  );

/** A user following NVDA and a new filing with one NVDA trade: one pending notification. */
async function pendingAlert(email: string, extra: Parameters<typeof seedUser>[3] = {}): Promise<number> {
  const userId = await seedUser(sys.db, email, [{ ticker: 'NVDA' }], extra);
  await seedFiling(sys.db, { transactions: [trade()] });
  await matchUnmatchedFilings(sys.db, { syncId: 's1', maxFilingAgeDays: 0 });
  return userId;
}

/** DELIVERY_RETRY's rounds in hundreds of milliseconds instead of seconds: the same logic, quickly. */
const QUICK_RETRY: DeliveryRetryPolicy = { firstDelayMs: 200, maxDelayMs: 2000, giveUpAfterMs: 30_000 };

/** Deliver to exactly these users through a real NotifyUsersBatchWorkflow run. */
async function runBatch(userIds: number[], retry = QUICK_RETRY) {
  const handle = await sys.client.workflow.start('NotifyUsersBatchWorkflow', {
    taskQueue: TASK_QUEUES.notifications,
    workflowId: `batch-${randomUUID()}`,
    args: [
      {
        syncId: null,
        fromUserId: Math.min(...userIds),
        toUserId: Math.max(...userIds),
        mode: 'instant',
        userIds,
        retry,
      },
    ],
  });
  return { handle, result: (await handle.result()) as FanOutResult };
}

/** Users following NVDA, and one new NVDA trade: one pending notification each. */
async function pendingAlerts(emails: string[]): Promise<number[]> {
  const ids: number[] = [];
  for (const email of emails) ids.push(await seedUser(sys.db, email, [{ ticker: 'NVDA' }]));
  await seedFiling(sys.db, { transactions: [trade()] });
  await matchUnmatchedFilings(sys.db, { syncId: 's1', maxFilingAgeDays: 0 });
  return ids;
}

async function userStatus(userId: number): Promise<string> {
  return (await sys.db.query('SELECT status FROM users WHERE id = $1', [userId])).rows[0].status;
}

/** What the `smtp-relay` check reported, oldest first (stored by ReportHealthCheckWorkflow runs). */
async function relayReports(): Promise<string[]> {
  const { rows } = await sys.db.query(
    `SELECT c->>'status' AS status FROM health_checks h, jsonb_array_elements(h.checks) c
      WHERE c->>'name' = 'smtp-relay' ORDER BY h.checked_at, h.id`,
  );
  return rows.map((r) => r.status);
}

/** A workflow history as text, payloads (results, failures) decoded: what the Web UI shows of it. */
function historyText(history: unknown): string {
  const parts: string[] = [];
  const walk = (v: unknown): void => {
    if (v instanceof Uint8Array) parts.push(Buffer.from(v).toString('utf8'));
    else if (typeof v === 'string') parts.push(v);
    else if (v && typeof v === 'object') for (const x of Object.values(v)) walk(x);
  };
  walk(history);
  return parts.join('\n');
}

async function notificationStatus(userId: number): Promise<string[]> {
  const { rows } = await sys.db.query('SELECT status FROM notifications WHERE user_id = $1 ORDER BY id', [
    userId,
  ]);
  return rows.map((r) => r.status);
}

describe('exactly once', () => {
  it('a notification activity retried after it sent sends no second email', async () => {
    const userId = await pendingAlert('once@example.com');
    const a = activities();
    expect(await a.sendUserAlert({ userId, mode: 'instant' })).toMatchObject({
      status: 'sent',
      notifications: 1,
    });
    // The retry (e.g. the worker died before reporting completion) finds the rows already sent.
    expect(await a.sendUserAlert({ userId, mode: 'instant' })).toMatchObject({ status: 'nothing_due' });
    expect(await sys.smtp.messages()).toHaveLength(1);
    expect(await notificationStatus(userId)).toEqual(['sent']);
  });

  it('two deliveries racing for the same user send one email', async () => {
    const userId = await pendingAlert('race@example.com');
    const results = await Promise.all([
      activities().sendUserAlert({ userId, mode: 'instant' }),
      activities().sendUserAlert({ userId, mode: 'instant' }),
    ]);
    expect(results.map((r) => r.status).sort()).toEqual(['nothing_due', 'sent']);
    expect(await sys.smtp.messages()).toHaveLength(1);
  });
});

describe('no transaction is open while SMTP talks', () => {
  it('the unsubscribe POST never waits on a send in flight', async () => {
    const userId = await pendingAlert('inflight@example.com');
    await sys.smtp.holdNext(1);
    const sending = activities().sendUserAlert({ userId, mode: 'instant' });
    await waitFor(async () => (await sys.smtp.held()) === 1);
    // The relay has the message and has not answered yet: the user unsubscribes meanwhile.
    const token = signUnsubscribeToken(String(userId), sys.config.unsubscribeSecret!);
    const post = await request(`${base}/unsubscribe?token=${token}`, {
      method: 'POST',
      body: 'List-Unsubscribe=One-Click',
    });
    expect(post.statusCode).toBe(200);
    await post.body.dump();
    expect(await userStatus(userId)).toBe('unsubscribed');
    await sys.smtp.release();
    // The email already in flight went out, and the ledger says so.
    expect(await sending).toMatchObject({ status: 'sent', notifications: 1 });
    expect(await notificationStatus(userId)).toEqual(['sent']);
    expect(await sys.smtp.messages()).toHaveLength(1);
  });

  it('the database dropping every connection during a send crashes nothing and loses nothing', async () => {
    const userId = await pendingAlert('dropped@example.com');
    await sys.smtp.holdNext(1);
    const sending = activities().sendUserAlert({ userId, mode: 'instant' });
    await waitFor(async () => (await sys.smtp.held()) === 1);
    // What a PostgreSQL restart or failover does to every open connection.
    await sys.db.query(
      `SELECT pg_terminate_backend(pid) FROM pg_stat_activity
        WHERE datname = current_database() AND pid <> pg_backend_pid()`,
    );
    await sys.smtp.release();
    expect(await sending).toMatchObject({ status: 'sent', notifications: 1 });
    expect(await notificationStatus(userId)).toEqual(['sent']);
    expect(await sys.smtp.messages()).toHaveLength(1);
  });
});

describe('claims', () => {
  /** The real mailer, in a worker that dies right after the relay accepted the message. */
  function dyingAfterAccept(): Mailer {
    const real = createAlertMailer(sys.config.mail);
    return {
      async send(message) {
        await real.send(message);
        real.close();
        throw new Error('worker died after the relay accepted the message');
      },
      verify: () => real.verify(),
      close: () => real.close(),
    };
  }

  it('a retry after the relay accepted but before the rows were marked re-sends exactly that set, same Message-ID', async () => {
    const userId = await pendingAlert('twice@example.com');
    const claimToken = `batch-1/run-1/${userId}`;
    const dying = createNotifyActivities(
      { config: sys.config, db: sys.db, logger: createLogger('error') },
      { mailer: dyingAfterAccept() },
    );
    await expect(dying.sendUserAlert({ userId, mode: 'instant', claimToken })).rejects.toThrow(/worker died/);
    // Meanwhile a newer trade arrives for the same user.
    await seedFiling(sys.db, { transactions: [trade({ assetName: 'NVIDIA, newer trade' })] });
    await matchUnmatchedFilings(sys.db, { syncId: 's2', maxFilingAgeDays: 0 });

    // The retry (another process: nothing remembered in memory) re-sends the claim as it was.
    expect(await activities().sendUserAlert({ userId, mode: 'instant', claimToken })).toMatchObject({
      status: 'sent',
      notifications: 1,
    });
    const [first, again] = await sys.smtp.messages();
    expect(again!.messageId).toBe(first!.messageId);
    expect(again!.text).toBe(first!.text);
    expect(again!.text).not.toContain('newer trade');
    const { rows } = await sys.db.query(
      'SELECT status, message_id, attempts FROM notifications WHERE user_id = $1 ORDER BY id',
      [userId],
    );
    // The crash used up an attempt; the newer trade waits for the next email, under another Message-ID.
    expect(rows).toEqual([
      { status: 'sent', message_id: first!.messageId, attempts: 2 },
      { status: 'pending', message_id: null, attempts: 0 },
    ]);
    expect(await activities().sendUserAlert({ userId, mode: 'instant' })).toMatchObject({ status: 'sent' });
    const third = (await sys.smtp.messages())[2]!;
    expect(third.text).toContain('newer trade');
    expect(third.messageId).not.toBe(first!.messageId);
  });

  it('a sender called again after its email went out claims nothing newer under the same Message-ID', async () => {
    const userId = await pendingAlert('repeat@example.com');
    const claimToken = `batch-2/run-1/${userId}`;
    expect(await activities().sendUserAlert({ userId, mode: 'instant', claimToken })).toMatchObject({
      status: 'sent',
    });
    await seedFiling(sys.db, { transactions: [trade({ assetName: 'NVIDIA, later' })] });
    await matchUnmatchedFilings(sys.db, { syncId: 's2', maxFilingAgeDays: 0 });
    // A replay of the same local activity: it reports its email, and sends nothing more.
    expect(await activities().sendUserAlert({ userId, mode: 'instant', claimToken })).toMatchObject({
      status: 'sent',
      notifications: 1,
    });
    expect(await sys.smtp.messages()).toHaveLength(1);
    expect(await notificationStatus(userId)).toEqual(['sent', 'pending']);
  });
});

describe('SMTP failures', () => {
  it('a temporary 4xx is retried and the email is delivered once', async () => {
    const userId = await pendingAlert('flaky@example.com');
    await sys.smtp.rejectNext(1, 451, 'Try again later');
    const { result } = await runBatch([userId]);
    expect(result).toMatchObject({ emailsSent: 1, failed: 0 });
    expect(await sys.smtp.messages()).toHaveLength(1);
    const { rows } = await sys.db.query(
      'SELECT status, attempts, last_error FROM notifications WHERE user_id = $1',
      [userId],
    );
    expect(rows[0]).toMatchObject({ status: 'sent', attempts: 2, last_error: null });
  });

  it('a recipient refused for good (550 5.1.1) is suppressed, with no retries', async () => {
    const userId = await pendingAlert('gone@example.com');
    await sys.smtp.rejectRecipient('gone@example.com', 550, '5.1.1 <gone@example.com>: User unknown');
    const { handle, result } = await runBatch([userId]);
    expect(result).toMatchObject({ emailsSent: 0, suppressed: 1, failed: 0 });
    // One send, no retry round (no timer).
    const events = (await handle.fetchHistory()).events ?? [];
    expect(
      events.filter((e) => e.markerRecordedEventAttributes?.markerName === 'core_local_activity'),
    ).toHaveLength(1);
    expect(events.filter((e) => e.timerStartedEventAttributes)).toHaveLength(0);
    const { rows } = await sys.db.query('SELECT status, status_reason FROM users WHERE id = $1', [userId]);
    expect(rows[0].status).toBe('suppressed');
    expect(rows[0].status_reason).toContain('550 5.1.1');
    expect(rows[0].status_reason).not.toContain('gone@example.com');
    expect(await notificationStatus(userId)).toEqual(['suppressed']);
    // Later trades are never sent to a suppressed address.
    await seedFiling(sys.db, { transactions: [trade({ assetName: 'NVIDIA again' })] });
    expect((await matchUnmatchedFilings(sys.db, { syncId: 's2', maxFilingAgeDays: 0 })).notifications).toBe(
      0,
    );
  });

  it('a server without enhanced codes refusing the recipient (550 at RCPT TO) suppresses it too', async () => {
    const userId = await pendingAlert('plain@example.com');
    await sys.smtp.rejectRecipient('plain@example.com', 550, 'No such user here');
    expect((await runBatch([userId])).result).toMatchObject({ suppressed: 1 });
    expect(await userStatus(userId)).toBe('suppressed');
  });

  it.each([
    ['relay access denied', 554, '5.7.1 Relay access denied', 'rcpt'],
    ['DMARC', 550, '5.7.26 Unauthenticated email is not accepted due to DMARC policy', 'data'],
    ['message size', 552, '5.3.4 Message size exceeds fixed maximum message size', 'data'],
  ] as const)(
    'a refusal about us (%s) suppresses nobody: retried, delivered once, reported to the admins',
    async (_what, code, message, phase) => {
      const [a, b] = await pendingAlerts(['policy.a@example.com', 'policy.b@example.com']);
      await sys.smtp.rejectNext(2, code, message, phase);
      const { result } = await runBatch([a!, b!]);
      expect(result).toMatchObject({ emailsSent: 2, suppressed: 0, failed: 0 });
      expect(await Promise.all([userStatus(a!), userStatus(b!)])).toEqual(['active', 'active']);
      expect((await sys.smtp.messages()).map((m) => m.to[0]).sort()).toEqual([
        'policy.a@example.com',
        'policy.b@example.com',
      ]);
      // The health checks were told: critical while it refused, ok once it accepted again.
      expect(
        await waitFor(async () => ((await relayReports()).length >= 2 ? relayReports() : false)),
      ).toEqual(['critical', 'ok']);
      await sys.db.query('DELETE FROM health_checks');
    },
  );

  it('the same "unknown user" for many recipients at once is the relay, not them: nobody is suppressed', async () => {
    const emails = Array.from({ length: 8 }, (_, i) => `many${i}@example.com`);
    const ids = await pendingAlerts(emails);
    await sys.smtp.rejectNext(8, 550, '5.1.1 Recipient address rejected: User unknown', 'rcpt');
    const { result } = await runBatch(ids);
    expect(result).toMatchObject({ emailsSent: 8, suppressed: 0, failed: 0 });
    const { rows } = await sys.db.query(`SELECT count(*)::int AS n FROM users WHERE status = 'active'`);
    expect(rows[0].n).toBe(8);
    expect((await sys.smtp.messages()).map((m) => m.to[0]).sort()).toEqual([...emails].sort());
    await waitFor(async () => (await relayReports()).includes('critical'));
    await sys.db.query('DELETE FROM health_checks');
  });

  it('among many accepted, the one recipient refused for good is suppressed and the rest delivered', async () => {
    const emails = Array.from({ length: 6 }, (_, i) => `mixed${i}@example.com`);
    const ids = await pendingAlerts(emails);
    await sys.smtp.rejectRecipient('mixed3@example.com', 550, '5.1.1 User unknown');
    const { result } = await runBatch(ids);
    expect(result).toMatchObject({ emailsSent: 5, suppressed: 1, failed: 0 });
    expect(await userStatus(ids[3]!)).toBe('suppressed');
  });

  it('an SMTP error text never carries the recipient address into history or the rows', async () => {
    const [direct, batched] = await pendingAlerts(['private.person@example.com', 'secret.agent@example.com']);
    await sys.smtp.rejectNext(1, 451, '4.2.0 <private.person@example.com>: mailbox busy', 'rcpt');
    expect(
      await activities().sendUserAlert({ userId: direct!, mode: 'instant', claimToken: 'redact' }),
    ).toMatchObject({
      status: 'retry',
      error: expect.stringContaining('***@example.com'),
    });
    const { rows } = await sys.db.query('SELECT last_error FROM notifications WHERE user_id = $1', [direct]);
    expect(rows[0].last_error).toContain('mailbox busy');
    expect(rows[0].last_error).not.toContain('private.person');
    await sys.smtp.rejectNext(1, 451, '4.2.0 <secret.agent@example.com>: mailbox busy', 'rcpt');
    const { handle } = await runBatch([batched!]);
    const history = historyText(await handle.fetchHistory());
    expect(history).toContain('mailbox busy');
    expect(history).not.toContain('secret.agent');
  });
});

describe('retry budget', () => {
  /** An address the mailer refuses before any SMTP exchange (as if stored before validation existed). */
  async function unsendable(email: string): Promise<number> {
    const userId = await pendingAlert(email);
    await sys.db.query(`UPDATE users SET email = replace(email, '-', ',') WHERE id = $1`, [userId]);
    return userId;
  }

  it('an error that is not an SMTP error uses up an attempt', async () => {
    const userId = await unsendable('bad-address@example.com');
    await expect(
      activities().sendUserAlert({ userId, mode: 'instant', claimToken: 'not-smtp' }),
    ).rejects.toThrow(/exactly one address/);
    const { rows } = await sys.db.query('SELECT attempts, last_error FROM notifications WHERE user_id = $1', [
      userId,
    ]);
    expect(rows[0]).toMatchObject({ attempts: 1, last_error: expect.stringMatching(/exactly one address/) });
  });

  it('a batch retries such an error until its budget runs out, then gives the alert up as failed', async () => {
    const userId = await unsendable('worse-address@example.com');
    const { result } = await runBatch([userId], { firstDelayMs: 100, maxDelayMs: 400, giveUpAfterMs: 1500 });
    expect(result).toMatchObject({ emailsSent: 0, failed: 1 });
    const { rows } = await sys.db.query('SELECT status, attempts FROM notifications WHERE user_id = $1', [
      userId,
    ]);
    expect(rows[0].status).toBe('failed');
    expect(rows[0].attempts).toBeGreaterThan(3);
    expect(await sys.smtp.messages()).toHaveLength(0);
  });
});

describe('unsubscribe', () => {
  it('GET shows a confirmation page and does not unsubscribe; POST (one-click) does', async () => {
    const userId = await pendingAlert('leaver@example.com');
    const token = signUnsubscribeToken(String(userId), sys.config.unsubscribeSecret!);
    const get = await request(`${base}/unsubscribe?token=${token}`);
    expect(get.statusCode).toBe(200);
    const page = await get.body.text();
    expect(page).toContain('l•••@example.com');
    expect(page).toContain('<form method="post"');
    expect((await sys.db.query('SELECT status FROM users WHERE id = $1', [userId])).rows[0].status).toBe(
      'active',
    );

    const post = await request(`${base}/unsubscribe?token=${token}`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'List-Unsubscribe=One-Click',
    });
    expect(post.statusCode).toBe(200);
    await post.body.dump();
    expect((await sys.db.query('SELECT status FROM users WHERE id = $1', [userId])).rows[0].status).toBe(
      'unsubscribed',
    );
    // Pending alerts are not sent after unsubscribing.
    expect(await notificationStatus(userId)).toEqual(['suppressed']);
    expect(await activities().sendUserAlert({ userId, mode: 'instant' })).toMatchObject({
      status: 'suppressed',
    });
    expect(await sys.smtp.messages()).toHaveLength(0);
  });

  it('a forged or altered token is refused', async () => {
    const userId = await seedUser(sys.db, 'victim@example.com', [{ ticker: 'NVDA' }]);
    const forged = signUnsubscribeToken(String(userId), 'not-the-real-secret-0123456789');
    const good = signUnsubscribeToken(String(userId), sys.config.unsubscribeSecret!);
    const altered = `${Buffer.from(String(userId + 1)).toString('base64url')}.${good.split('.')[1]}`;
    for (const token of [forged, altered, 'garbage', '']) {
      const res = await request(`${base}/unsubscribe?token=${encodeURIComponent(token)}`, { method: 'POST' });
      expect(res.statusCode).toBe(400);
      await res.body.dump();
    }
    expect((await sys.db.query('SELECT status FROM users WHERE id = $1', [userId])).rows[0].status).toBe(
      'active',
    );
  });

  it('the unsubscribe link in an alert email works', async () => {
    const userId = await pendingAlert('linked@example.com');
    await activities().sendUserAlert({ userId, mode: 'instant' });
    const [mail] = await sys.smtp.messages();
    const link = /<([^>]+)>/.exec(mail!.listUnsubscribe!)![1]!.replace(sys.config.publicBaseUrl, base);
    const res = await request(link, { method: 'POST', body: 'List-Unsubscribe=One-Click' });
    expect(res.statusCode).toBe(200);
    await res.body.dump();
    expect((await sys.db.query('SELECT status FROM users WHERE id = $1', [userId])).rows[0].status).toBe(
      'unsubscribed',
    );
  });
});

describe('digests and quiet hours', () => {
  it('a daily digest goes out once, at the user’s local digest hour', async () => {
    const userId = await pendingAlert('digest@example.com', { digest: 'daily', timezone: 'Asia/Tokyo' });
    // Instant delivery leaves digest users alone.
    expect(await activities().sendUserAlert({ userId, mode: 'instant' })).toMatchObject({
      status: 'digest_user',
    });
    // 07:30 in Tokyo (22:30 UTC the day before): not yet.
    expect(await activities(new Date('2027-03-09T22:30:00Z')).findDueDigestUsers()).toEqual([]);
    // 08:10 in Tokyo: due.
    const at = new Date('2027-03-09T23:10:00Z');
    expect(await activities(at).findDueDigestUsers()).toEqual([userId]);
    expect(await activities(at).sendUserAlert({ userId, mode: 'digest' })).toMatchObject({ status: 'sent' });
    expect(await sys.smtp.messages()).toHaveLength(1);
    expect((await sys.smtp.messages())[0]!.subject).toMatch(/^Your daily digest/);
    // 08:40, same hour: the digest was already sent.
    await seedFiling(sys.db, { transactions: [trade({ assetName: 'NVIDIA later' })] });
    await matchUnmatchedFilings(sys.db, { syncId: 's2', maxFilingAgeDays: 0 });
    expect(await activities(new Date('2027-03-09T23:40:00Z')).findDueDigestUsers()).toEqual([]);
    // Next day, 08:05 Tokyo: due again with the new trade.
    expect(await activities(new Date('2027-03-10T23:05:00Z')).findDueDigestUsers()).toEqual([userId]);
  });

  it('NotificationProcessingWorkflow sends a due digest and the alerts deferred past quiet hours', async () => {
    const now = new Date();
    const tokyoHour = Number(
      new Intl.DateTimeFormat('en-US', { timeZone: 'Asia/Tokyo', hour: 'numeric', hourCycle: 'h23' }).format(
        now,
      ),
    );
    const digestUser = await pendingAlert('d@example.com', { digest: 'daily', timezone: 'Asia/Tokyo' });
    await sys.db.query('UPDATE users SET digest_hour = $2 WHERE id = $1', [digestUser, tokyoHour]);
    const instantUser = await seedUser(sys.db, 'i@example.com', [{ ticker: 'NVDA' }]);
    await sys.db.query(
      `INSERT INTO notifications (user_id, transaction_id, rule_ids, reasons, deliver_after)
       SELECT $1, t.id, '{}', '{"ticker NVDA"}', now() - interval '1 minute' FROM transactions t LIMIT 1`,
      [instantUser],
    );
    const handle = await sys.client.workflow.start('NotificationProcessingWorkflow', {
      taskQueue: TASK_QUEUES.notifications,
      workflowId: `np-${Date.now()}`,
    });
    const result = await handle.result();
    expect(result).toMatchObject({ digests: { emailsSent: 1 }, pending: { emailsSent: 1 } });
    expect((await sys.smtp.messages()).map((m) => m.to[0]).sort()).toEqual([
      'd@example.com',
      'i@example.com',
    ]);
  });

  it('a weekly digest user’s alert outlives a week that gains an hour: it goes out in the next digest', async () => {
    // Weekly digests at 08:00 New York time on Mondays. The alert arrives just after one, on Monday
    // 2027-11-01 at 08:05 EDT; clocks go back on Sunday 2027-11-07.
    const userId = await pendingAlert('weekly@example.com', { digest: 'weekly' });
    const created = new Date('2027-11-01T12:05:00Z');
    await sys.db.query('UPDATE notifications SET created_at = $2 WHERE user_id = $1', [userId, created]);
    // Monday 2027-11-08 07:30 EST: seven days and an hour and a half later, before that day's digest.
    expect(await activities(new Date('2027-11-08T12:30:00Z')).expireStaleNotifications()).toEqual({
      expired: 0,
    });
    expect(await notificationStatus(userId)).toEqual(['pending']);
    const digestTime = new Date('2027-11-08T13:05:00Z'); // 08:05 EST
    expect(await activities(digestTime).findDueDigestUsers()).toEqual([userId]);
    expect(await activities(digestTime).sendUserAlert({ userId, mode: 'digest' })).toMatchObject({
      status: 'sent',
      notifications: 1,
    });
  });

  it('pending alerts expire: an instant user’s after 7 days, a weekly digest user’s only after 9', async () => {
    const instant = await pendingAlert('old.instant@example.com');
    const weekly = await seedUser(sys.db, 'old.weekly@example.com', [{ ticker: 'NVDA' }], {
      digest: 'weekly',
    });
    await seedFiling(sys.db, { transactions: [trade({ assetName: 'NVIDIA for weekly' })] });
    await matchUnmatchedFilings(sys.db, { syncId: 's2', maxFilingAgeDays: 0 });
    // Eight days old now: past an instant user's week, not past a weekly user's next digest and grace.
    await sys.db.query(`UPDATE notifications SET created_at = now() - interval '8 days'`);
    expect(await activities().expireStaleNotifications()).toEqual({ expired: 2 });
    expect(await notificationStatus(instant)).toEqual(['failed', 'failed']);
    expect(await notificationStatus(weekly)).toEqual(['pending']);
    const dayAfter = new Date(Date.now() + 86_400_000 + 60_000);
    expect(await activities(dayAfter).expireStaleNotifications()).toEqual({ expired: 1 });
    expect(await notificationStatus(weekly)).toEqual(['failed']);
  });

  it('quiet hours defer an instant alert to their end, in the user’s time zone', async () => {
    const userId = await pendingAlert('sleepy@example.com', {
      timezone: 'America/Chicago',
      quietHours: '22-7',
    });
    // 23:30 in Chicago (CST, UTC-6) = 05:30 UTC.
    const night = new Date('2027-01-15T05:30:00Z');
    expect(await activities(night).sendUserAlert({ userId, mode: 'instant' })).toMatchObject({
      status: 'deferred',
    });
    expect(await sys.smtp.messages()).toHaveLength(0);
    const { rows } = await sys.db.query('SELECT deliver_after FROM notifications WHERE user_id = $1', [
      userId,
    ]);
    expect(rows[0].deliver_after.toISOString()).toBe('2027-01-15T13:00:00.000Z'); // 07:00 Chicago
    expect(
      await activities(new Date('2027-01-15T12:59:00Z')).sendUserAlert({ userId, mode: 'instant' }),
    ).toMatchObject({
      status: 'nothing_due',
    });
    expect(
      await activities(new Date('2027-01-15T13:01:00Z')).sendUserAlert({ userId, mode: 'instant' }),
    ).toMatchObject({
      status: 'sent',
    });
  });
});
