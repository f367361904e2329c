import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MockActivityEnvironment } from '@temporalio/testing';
import {
  bundleWorkflowCode,
  NativeConnection,
  Worker,
  type WorkflowBundleWithSourceMap,
} from '@temporalio/worker';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import { createHealthActivities } from '../../activities/health';
import type { ReportedCheck } from '../../activities/healthResults';
import type { Config } from '../../domain/config';
import type {
  HealthCheckResult,
  HealthRunResult,
  HealthStatus,
  StoredHealthResult,
} from '../../domain/health';
import { assessFilings } from '../../domain/healthAssessments';
import { TASK_QUEUES } from '../../domain/taskQueues';
import type { Db } from '../../store/db';
import { createAlertMailer } from '../../mail/mailer';
import { listCheckStates } from '../../store/healthState';
import { createLogger } from '../../ops/logger';
import { TestMailbox } from '../support/mailbox';
import { createTestDatabase, testConfig } from '../support/services';
import { createTestNamespace } from '../support/temporal';
import type { WireMessage } from '../support/smtpControl';

/**
 * Admin alert emails through the real path: a workflow reports checks through the storeHealthResult
 * activity on a real worker, state lives in this file's PostgreSQL database, and the emails go to the
 * run's SMTP server. Time moves through the activities' clock, so an hour of 5-minute runs takes seconds.
 */
const ADMINS = ['ops@capitolscope.test', 'oncall@capitolscope.test'];
const MINUTE = 60_000;
const logger = createLogger('error');
const mailbox = new TestMailbox('admin');
const cleanups: (() => Promise<unknown>)[] = [];
let db: Db;
let client: Awaited<ReturnType<typeof createTestNamespace>>['client'];
let config: Config;
let bundle: WorkflowBundleWithSourceMap;
let connection: NativeConnection;
let worker: { stop: () => Promise<void> } | null = null;
let clock = new Date();
let runs = 0;

const advance = (minutes: number) => (clock = new Date(clock.getTime() + minutes * MINUTE));

/** A worker for health-checks whose activities read `clock`; each start is a fresh process's worth of state. */
async function startWorker(): Promise<void> {
  const mailer = createAlertMailer(config.mail);
  const activities = createHealthActivities(
    { config, db, logger },
    { mailer, temporal: async () => client, now: () => clock },
  );
  const w = await Worker.create({
    connection,
    namespace: config.temporal.namespace,
    taskQueue: TASK_QUEUES.healthChecks,
    workflowBundle: bundle,
    activities,
  });
  const running = w.run();
  worker = {
    stop: async () => {
      w.shutdown();
      await running;
      mailer.close();
    },
  };
}

function check(name: string, status: HealthStatus, detail = `${name} is ${status}`): HealthCheckResult {
  return {
    name,
    status,
    value: status === 'ok' ? 50 : 95,
    unit: 'percent',
    threshold: { warning: 80, critical: 90 },
    detail,
  };
}

async function report(checks: ReportedCheck[]): Promise<StoredHealthResult> {
  return (await client.workflow.execute('ReportChecksWorkflow', {
    taskQueue: TASK_QUEUES.healthChecks,
    workflowId: `report-${++runs}`,
    args: [checks],
  })) as StoredHealthResult;
}

/** Messages each admin has received so far. */
async function inbox(): Promise<Record<string, WireMessage[]>> {
  const all = await mailbox.messages();
  return Object.fromEntries(ADMINS.map((a) => [a, all.filter((m) => m.to.includes(a))]));
}

async function expectNewEmails(before: Record<string, WireMessage[]>, count: number): Promise<WireMessage[]> {
  const now = await inbox();
  for (const a of ADMINS) expect(now[a]!.length - before[a]!.length, a).toBe(count);
  return now[ADMINS[0]!]!.slice(before[ADMINS[0]!]!.length);
}

beforeAll(async () => {
  const database = await createTestDatabase();
  db = database.db;
  cleanups.push(database.drop);
  const ns = await createTestNamespace('alerts');
  client = ns.client;
  cleanups.push(ns.close);
  config = testConfig({
    DATABASE_URL: database.url,
    TEMPORAL_NAMESPACE: ns.namespace,
    SMTP_URL: mailbox.smtpUrl,
    MAIL_FROM: mailbox.from,
    ADMIN_EMAILS: ADMINS.join(','),
    ADMIN_ALERT_REPEAT: '6h',
    HEALTH_DISK_PATHS: mkdtempSync(join(tmpdir(), 'capitolscope-alerts-')),
    DISK_WARN_PERCENT: '1',
    DISK_CRITICAL_PERCENT: '2',
  });
  connection = await NativeConnection.connect({ address: inject('temporalAddress') });
  cleanups.push(() => connection.close());
  bundle = await bundleWorkflowCode({
    workflowsPath: new URL('./workflows/reportChecks.ts', import.meta.url).pathname,
    logger: { log() {}, trace() {}, debug() {}, info() {}, warn() {}, error() {} },
  });
  await startWorker();
  cleanups.push(async () => worker?.stop());
});

afterAll(async () => {
  for (const c of cleanups.reverse()) await c().catch(() => undefined);
});

describe('admin alert emails', () => {
  it('a check first seen ok sends nothing; a change of state sends exactly one email, saying what to do', async () => {
    const before = await inbox();
    expect(await report([check('disk:/data', 'ok'), check('backup', 'ok')])).toMatchObject({ announced: 0 });
    await expectNewEmails(before, 0);
    advance(5);
    const failed = assessFilings(
      { stuck: 0, oldestStuckAt: null, failedSince: 12, failedTotal: 12 },
      { failed: { warning: 1, critical: 10 } },
      4 * 60 * MINUTE,
    )[1]!;
    const r = await report([check('disk:/data', 'critical', '/data: 95% used, 1 GiB free'), failed]);
    expect(r).toMatchObject({ status: 'critical', announced: 2, emailsSent: 2, emailsPending: 0 });
    const [email] = await expectNewEmails(before, 1);
    expect(email!.subject).toBe('[CapitolScope critical] disk:/data is critical (and 1 more)');
    expect(email!.text).toContain('/data: 95% used, 1 GiB free');
    expect(email!.text).toContain('Measured: 95% (warning at 80%, critical at 90%)');
    expect(email!.text).toContain('filings:failed is critical');
    expect(email!.text).toContain('What to do: capitolscope filings list --status failed');
    expect(email!.html).toContain('capitolscope filings list --status failed');
    expect(email!.mailFrom).toBe(mailbox.address);
  });

  it('an hour of runs in the same state sends none', async () => {
    const before = await inbox();
    for (let i = 0; i < 12; i++) {
      advance(5);
      expect(await report([check('disk:/data', 'critical'), check('backup', 'ok')])).toMatchObject({
        announced: 0,
      });
    }
    await expectNewEmails(before, 0);
  });

  it('a worker restart in the middle of an incident repeats nothing', async () => {
    const before = await inbox();
    await worker!.stop();
    await startWorker();
    advance(5);
    expect(await report([check('disk:/data', 'critical')])).toMatchObject({
      status: 'critical',
      announced: 0,
    });
    await expectNewEmails(before, 0);
  });

  it('a recovery sends one email, saying how long the problem lasted', async () => {
    const before = await inbox();
    advance(5);
    await report([check('disk:/data', 'ok')]);
    const [email] = await expectNewEmails(before, 1);
    // Critical from minute 5 to minute 75: 12 runs of 5 minutes, a restart, and this one.
    expect(email!.subject).toBe('[CapitolScope recovered] disk:/data recovered after 1 h 10 min');
    expect(email!.text).toContain('Still open (announced before):');
    expect(email!.text).toMatch(/CRITICAL\s+filings:failed since/);
    advance(5);
    await report([check('disk:/data', 'ok')]);
    await expectNewEmails(before, 1);
  });

  it('a lasting problem is re-announced every ADMIN_ALERT_REPEAT as "still critical since"', async () => {
    const before = await inbox();
    advance(5);
    const since = clock;
    await report([check('smtp', 'critical')]);
    await expectNewEmails(before, 1);
    advance(3 * 60);
    await report([check('smtp', 'critical')]);
    advance(2 * 60 + 55);
    await report([check('smtp', 'critical')]);
    await expectNewEmails(before, 1);
    advance(5);
    await report([check('smtp', 'critical')]);
    const emails = await expectNewEmails(before, 2);
    const stamp = since.toISOString().slice(0, 16).replace('T', ' ');
    expect(emails[1]!.subject).toBe(
      `[CapitolScope critical] smtp is still critical since ${stamp} UTC (6 h)`,
    );
  });

  it("a run changes only the checks it contains: a system run does not recover another workflow's backup check", async () => {
    const before = await inbox();
    advance(5);
    await report([check('backup', 'critical', 'the last backup failed: pg_dump exited 1')]);
    await expectNewEmails(before, 1);
    for (let i = 0; i < 3; i++) {
      advance(5);
      await report([check('disk:/data', 'ok'), check('smtp', 'critical')]);
    }
    await expectNewEmails(before, 1);
    const [backup] = await listCheckStates(db, ['backup']);
    expect(backup).toMatchObject({ status: 'critical' });
    // Reported with the older status name, as a reporter not yet upgraded would: read as a warning.
    advance(5);
    await report([{ ...check('backup', 'ok'), status: 'warn' }]);
    const [email] = (await expectNewEmails(before, 2)).slice(1);
    expect(email!.subject).toBe('[CapitolScope warning] backup improved from critical to warning');
  });

  it('a relay that refuses the email delays it; the next result sends it, once', async () => {
    const before = await inbox();
    await mailbox.rejectNext(1, 451, 'Try again later');
    advance(5);
    const first = await report([check('queue:notifications:backlog', 'warning')]);
    // The first send was refused: it stops there, and both emails wait.
    expect(first).toMatchObject({ announced: 1, emailsSent: 0, emailsPending: 2 });
    await expectNewEmails(before, 0);
    advance(5);
    const second = await report([check('queue:notifications:backlog', 'warning')]);
    expect(second).toMatchObject({ announced: 0, emailsSent: 2, emailsPending: 0 });
    const [email] = await expectNewEmails(before, 1);
    expect(email!.subject).toBe('[CapitolScope warning] queue:notifications:backlog is warning');
    advance(5);
    await report([check('queue:notifications:backlog', 'warning')]);
    await expectNewEmails(before, 1);
  });

  it('a check hovering at its limit is announced as flapping once, not at every change', async () => {
    const before = await inbox();
    for (let i = 0; i < 10; i++) {
      advance(5);
      await report([check('memory', i % 2 === 0 ? 'warning' : 'ok')]);
    }
    // Three changes are told as they happen; the fourth within the hour is told as flapping, then quiet.
    const emails = await expectNewEmails(before, 5);
    expect(emails.map((e) => e.subject)).toEqual([
      '[CapitolScope warning] memory is warning',
      '[CapitolScope recovered] memory recovered after 5 min',
      '[CapitolScope warning] memory is warning',
      '[CapitolScope recovered] memory recovered after 5 min',
      '[CapitolScope flapping] memory is flapping (4 changes in 15 min), now warning; quiet until it settles',
    ]);
    const [state] = await listCheckStates(db, ['memory']);
    expect(state).toMatchObject({ flapping: true });
    expect(state!.recentChanges.length).toBe(9);
    advance(65);
    await report([check('memory', 'ok')]);
    const [settled] = (await expectNewEmails(before, 6)).slice(5);
    expect(settled!.subject).toBe('[CapitolScope recovered] memory has settled at ok');
  });

  it('a retried storeHealthResult (same run) evaluates and sends nothing again', async () => {
    const before = await inbox();
    const mailer = createAlertMailer(config.mail);
    const { storeHealthResult } = createHealthActivities(
      { config, db, logger },
      { mailer, temporal: async () => client, now: () => clock },
    );
    const env = () =>
      new MockActivityEnvironment({
        workflowExecution: { workflowId: 'retried-run', runId: 'run-1' },
        workflowType: 'DailyMaintenanceWorkflow',
      });
    advance(5);
    const checks = [check('restore-test', 'critical')];
    const first: StoredHealthResult = await env().run(storeHealthResult, checks);
    const again: StoredHealthResult = await env().run(storeHealthResult, checks);
    mailer.close();
    expect(again.id).toBe(first.id);
    expect(first.announced).toBe(1);
    expect(again.announced).toBe(0);
    await expectNewEmails(before, 1);
    const { rows } = await db.query(`SELECT workflow_type FROM health_checks WHERE id = $1`, [first.id]);
    expect(rows[0].workflow_type).toBe('DailyMaintenanceWorkflow');
  });

  it('SystemHealthWorkflow crossing a configured disk limit emails the admins once', async () => {
    const before = await inbox();
    advance(5);
    const result = (await client.workflow.execute('SystemHealthWorkflow', {
      taskQueue: TASK_QUEUES.healthChecks,
      workflowId: 'system-health-alerts',
    })) as HealthRunResult;
    expect(result.status).toBe('critical');
    const disk = Object.keys(result.checks).find((n) => n.startsWith('disk:'))!;
    expect(result.checks[disk]).toMatch(/^critical: /);
    const [email] = await expectNewEmails(before, 1);
    expect(email!.text).toContain(`${disk} is critical`);
    advance(5);
    await client.workflow.execute('SystemHealthWorkflow', {
      taskQueue: TASK_QUEUES.healthChecks,
      workflowId: 'system-health-alerts-2',
    });
    // Task queues without workers go from warning to critical on the second run: that is a change.
    const [second] = (await expectNewEmails(before, 2)).slice(1);
    expect(second!.subject).toMatch(/queue:.*:pollers went from warning to critical/);
    expect(second!.text).not.toContain(`${disk} is critical`);
  });
});
