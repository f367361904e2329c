import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Client } from '@temporalio/client';
import { TASK_QUEUES } from '../../domain/taskQueues';
import { createTestDatabase } from '../support/services';
import { createTestNamespace } from '../support/temporal';
import { waitFor } from '../support/wait';
import { WorkerProcess } from '../support/workerProcess';

/** A real worker process with LOG_DIR set writes its four log files beside stdout. */
let client: Client;
let dbUrl = '';
let namespace = '';
let logDir = '';
const cleanups: (() => Promise<void>)[] = [];

beforeAll(async () => {
  const database = await createTestDatabase();
  dbUrl = database.url;
  cleanups.push(database.drop);
  const ns = await createTestNamespace('logfiles');
  ({ client, namespace } = ns);
  cleanups.push(ns.close);
  logDir = await mkdtemp(join(tmpdir(), 'capitolscope-logdir-'));
  cleanups.push(() => rm(logDir, { recursive: true, force: true }));
});
afterAll(async () => {
  for (const c of cleanups.reverse()) await c();
});

async function linesOf(kind: string): Promise<Record<string, unknown>[]> {
  const names = (await readdir(logDir)).filter((n) => n.startsWith(`worker-health-checks-${kind}.`));
  const text = (await Promise.all(names.map((n) => readFile(join(logDir, n), 'utf8')))).join('');
  return text
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as Record<string, unknown>);
}

describe('worker log files', () => {
  it('appear per kind: everything, errors, task lines and health lines', async () => {
    const worker = new WorkerProcess([TASK_QUEUES.healthChecks], {
      DATABASE_URL: dbUrl,
      TEMPORAL_NAMESPACE: namespace,
      LOG_LEVEL: 'debug',
      LOG_DIR: logDir,
    });
    try {
      await worker.start();
      await client.workflow.execute('SystemHealthWorkflow', {
        taskQueue: TASK_QUEUES.healthChecks,
        workflowId: 'log-files-health',
      });
      const tasks = await waitFor(async () => {
        const lines = await linesOf('tasks');
        return lines.some((l) => l.activityType === 'storeHealthResult') ? lines : undefined;
      });
      expect(tasks.every((l) => 'workflowType' in l || 'activityType' in l)).toBe(true);
      const all = await linesOf('all');
      expect(all.some((l) => l.msg === 'workers started')).toBe(true);
      expect(all.length).toBeGreaterThan(tasks.length);
      const health = await linesOf('health');
      expect(health.length).toBeGreaterThan(0);
      expect(health.every((l) => l.taskQueue === 'health-checks')).toBe(true);
      expect((await linesOf('error')).every((l) => (l.level as number) >= 50)).toBe(true);
      expect(
        (await readdir(logDir)).map((n) => n.replace(/\.\d{4}-\d{2}-\d{2}\.\d+\.log$/, '')).sort(),
      ).toEqual([
        'worker-health-checks-all',
        'worker-health-checks-error',
        'worker-health-checks-health',
        'worker-health-checks-tasks',
      ]);
      expect(await worker.stop()).toBe(0);
    } finally {
      await worker.kill();
    }
  });
});
