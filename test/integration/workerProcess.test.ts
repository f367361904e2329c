import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Client } from '@temporalio/client';
import { request } from 'undici';
import { TASK_QUEUES } from '../../domain/taskQueues';
import type { Db } from '../../store/db';
import { freePort, listen } from '../../ops/listen';
import { createTestDatabase } from '../support/services';
import { createTestNamespace } from '../support/temporal';
import { runCli } from '../support/cli';
import { sleep, waitFor } from '../support/wait';
import { WorkerProcess } from '../support/workerProcess';

let client: Client;
let db: Db;
let dbUrl = '';
let namespace = '';
const cleanups: (() => Promise<void>)[] = [];

beforeAll(async () => {
  const database = await createTestDatabase();
  ({ db, url: dbUrl } = database);
  cleanups.push(database.drop);
  const ns = await createTestNamespace('worker');
  ({ client, namespace } = ns);
  cleanups.push(ns.close);
});

afterAll(async () => {
  for (const c of cleanups.reverse()) await c();
});

describe('configuration errors', () => {
  it('a malformed DATABASE_URL stops the command with one line naming the variable', async () => {
    const r = await runCli(['migrate'], { DATABASE_URL: 'mysql://root@localhost/db' });
    expect(r.code).toBe(1);
    expect(r.stderr.trim()).toBe(
      'invalid configuration: DATABASE_URL: must be a postgres:// or postgresql:// URL',
    );
  });

  it('an unreachable DATABASE_URL says which database could not be reached, without the password', async () => {
    const r = await runCli(['migrate'], { DATABASE_URL: 'postgres://app:s3cret@127.0.0.1:1/capitolscope' });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(
      /^error: cannot connect to the database at postgres:\/\/app:\*\*\*@127\.0\.0\.1:1\/capitolscope/,
    );
    expect(r.stderr).not.toContain('s3cret');
  });

  it('a worker that cannot start (no such namespace) exits with the reason instead of lingering', async () => {
    const r = await runCli(['worker', '--queue', 'health-checks', '--no-migrate'], {
      DATABASE_URL: dbUrl,
      TEMPORAL_NAMESPACE: 'no-such-namespace',
      WORKER_HTTP_PORT: String(await freePort()),
    });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^error: .*no-such-namespace/m);
  });

  it('the notifications queue needs UNSUBSCRIBE_SECRET', async () => {
    const r = await runCli(['worker', '--queue', 'notifications', '--no-migrate'], { DATABASE_URL: dbUrl });
    expect(r.code).toBe(1);
    expect(r.stderr.trim()).toBe(
      'error: UNSUBSCRIBE_SECRET is required to run the notifications queue (every alert carries an unsubscribe link)',
    );
  });

  it('a bad worker queue name is refused', async () => {
    const r = await runCli(['worker', '--queue', 'nope'], { DATABASE_URL: dbUrl });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('unknown queue nope');
  });
});

describe('worker process', () => {
  it('on SIGTERM lets an in-flight activity finish before exiting', async () => {
    const worker = new WorkerProcess([TASK_QUEUES.healthChecks], {
      DATABASE_URL: dbUrl,
      TEMPORAL_NAMESPACE: namespace,
      SHUTDOWN_GRACE_SECONDS: '60',
      LOG_LEVEL: 'info',
    });
    try {
      await worker.start();
      const metrics = await request(`http://127.0.0.1:${worker.port}/metrics`);
      expect(metrics.statusCode).toBe(200);
      expect(await metrics.body.text()).toContain('temporal_');

      // Hold the results table so the storing activity is mid-flight when the worker is told to stop.
      const blocker = await db.connect();
      await blocker.query('BEGIN');
      await blocker.query('LOCK TABLE health_checks IN ACCESS EXCLUSIVE MODE');
      const handle = await client.workflow.start('SystemHealthWorkflow', {
        taskQueue: TASK_QUEUES.healthChecks,
        workflowId: `sigterm-${Date.now()}`,
      });
      await waitFor(async () => {
        const r = await db.query(
          `SELECT count(*)::int AS n FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND query LIKE 'INSERT INTO health_checks%'`,
        );
        return r.rows[0].n > 0;
      });
      const stopped = worker.stop();
      await sleep(1500);
      expect(worker.running).toBe(true); // still finishing its activity
      await blocker.query('COMMIT');
      blocker.release();
      expect(await stopped).toBe(0);

      const stored = await db.query('SELECT status FROM health_checks WHERE workflow_id = $1', [
        handle.workflowId,
      ]);
      expect(stored.rowCount).toBe(1);
      const events = (await handle.fetchHistory()).events ?? [];
      expect(events.some((e) => e.activityTaskCompletedEventAttributes)).toBe(true);
      expect(
        events.some((e) => e.activityTaskFailedEventAttributes || e.activityTaskTimedOutEventAttributes),
      ).toBe(false);
      await handle.terminate('test done');
    } finally {
      await worker.kill();
    }
  });
});

describe('the worker-process harness', () => {
  it('starts again on another port when its probed port is taken before the worker binds it', async () => {
    // Another socket of the run holds the first port the harness picks, as a racing process could.
    const holder = createServer((socket) => socket.destroy());
    await listen(holder, 'the port holder', await freePort());
    const taken = (holder.address() as AddressInfo).port;
    const free = await freePort();
    const picks = [taken, free];
    const worker = new WorkerProcess([TASK_QUEUES.healthChecks], {
      DATABASE_URL: dbUrl,
      TEMPORAL_NAMESPACE: namespace,
    });
    worker.pickPort = () => Promise.resolve(picks.shift()!);
    try {
      await worker.start();
      expect(worker.port).toBe(free);
      expect(worker.output()).toContain(`cannot listen on 0.0.0.0:${taken}: the port is already in use`);
      expect(worker.unexpectedExits).toEqual([]);
      expect(await worker.stop()).toBe(0);
    } finally {
      await worker.kill();
      await new Promise((ok) => holder.close(ok));
    }
  });
});
