import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { request } from 'undici';
import { createNotifyActivities } from '../../activities/notify';
import { signUnsubscribeToken } from '../../mail/unsubscribeToken';
import { createPublicServer } from '../../cli/serve/publicServer';
import { TASK_QUEUES } from '../../domain/taskQueues';
import { matchUnmatchedFilings } from '../../store/matching';
import { createLogger } from '../../ops/logger';
import { seedFiling, seedUser } from '../support/seed';
import { trade } from '../support/trades';
import { startTestSystem, type TestSystem } from '../support/system';

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

describe('SMTP failures', () => {
  it('a temporary 4xx is retried by Temporal and the email is delivered once', async () => {
    const userId = await pendingAlert('flaky@example.com');
    await sys.smtp.rejectNext(1, 451, 'Try again later');
    const handle = await sys.client.workflow.start('NotifyUsersBatchWorkflow', {
      taskQueue: TASK_QUEUES.notifications,
      workflowId: `flaky-${Date.now()}`,
      args: [{ syncId: null, fromUserId: userId, toUserId: userId, mode: 'instant' }],
    });
    expect(await handle.result()).toMatchObject({ emailsSent: 1, failed: 0 });
    expect(await sys.smtp.messages()).toHaveLength(1);
    const events = (await handle.fetchHistory()).events ?? [];
    expect(events.filter((e) => e.activityTaskCompletedEventAttributes)).toHaveLength(2); // list + send
    const { rows } = await sys.db.query(
      'SELECT status, attempts, last_error FROM notifications WHERE user_id = $1',
      [userId],
    );
    expect(rows[0]).toMatchObject({ status: 'sent', attempts: 2, last_error: null });
  }, 60_000);

  it('a permanent 5xx suppresses the address, with no retries', async () => {
    const userId = await pendingAlert('gone@example.com');
    await sys.smtp.rejectRecipient('gone@example.com', 550, 'No such user');
    const handle = await sys.client.workflow.start('NotifyUsersBatchWorkflow', {
      taskQueue: TASK_QUEUES.notifications,
      workflowId: `gone-${Date.now()}`,
      args: [{ syncId: null, fromUserId: userId, toUserId: userId, mode: 'instant' }],
    });
    expect(await handle.result()).toMatchObject({ emailsSent: 0, suppressed: 1 });
    const events = (await handle.fetchHistory()).events ?? [];
    const started = events.filter((e) => e.activityTaskStartedEventAttributes);
    expect(started.map((e) => e.activityTaskStartedEventAttributes!.attempt)).toEqual([1, 1]);
    const { rows } = await sys.db.query('SELECT status, status_reason FROM users WHERE id = $1', [userId]);
    expect(rows[0].status).toBe('suppressed');
    expect(rows[0].status_reason).toContain('550');
    expect(await notificationStatus(userId)).toEqual(['suppressed']);
    // Later trades are never sent to a suppressed address.
    await seedFiling(sys.db, { transactions: [trade({ assetName: 'NVIDIA again' })] });
    expect((await matchUnmatchedFilings(sys.db, { syncId: 's2', maxFilingAgeDays: 0 })).notifications).toBe(
      0,
    );
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
