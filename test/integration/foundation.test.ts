import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Client } from '@temporalio/client';
import { scheduleTable } from '../../domain/schedules';
import { TASK_QUEUES } from '../../domain/taskQueues';
import { applySchedules } from '../../schedules/apply';
import { backfillSchedule, describeSchedule, pauseSchedule, triggerSchedule } from '../../schedules/manage';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { inject } from 'vitest';
import { findTemporalCli } from '../../ops/temporalCli';
import { runCli } from '../support/cli';
import type { Db } from '../../store/db';
import { latestHealthChecks } from '../../store/healthChecks';
import { createLogger } from '../../ops/logger';
import { runWorkers, type RunningWorkers } from '../../workers/runWorkers';
import { IMPLEMENTED_WORKFLOWS } from '../../workers/registeredWorkflows';
import { createTestDatabase, testConfig } from '../support/services';
import { createTestNamespace } from '../support/temporal';
import { waitFor } from '../support/wait';

const execFileP = promisify(execFile);
let client: Client;
let db: Db;
let workers: RunningWorkers;
const cleanups: (() => Promise<void>)[] = [];
const config = () =>
  testConfig({
    DATABASE_URL: dbUrl,
    TEMPORAL_NAMESPACE: namespace,
    HEALTH_DISK_PATHS: '/',
    WORKER_HTTP_PORT: '0',
  });
let dbUrl = '';
let namespace = '';

beforeAll(async () => {
  const database = await createTestDatabase();
  db = database.db;
  dbUrl = database.url;
  cleanups.push(database.drop);
  const ns = await createTestNamespace('foundation');
  client = ns.client;
  namespace = ns.namespace;
  cleanups.push(ns.close);
  workers = await runWorkers({
    config: config(),
    queues: [TASK_QUEUES.healthChecks],
    logger: createLogger('warn'),
    statusPort: 0,
  });
  cleanups.push(() => workers.shutdown());
});

afterAll(async () => {
  for (const c of cleanups.reverse()) await c();
});

const apply = () =>
  applySchedules(client, scheduleTable(config().schedules), {
    timezone: 'America/New_York',
    implementedWorkflows: IMPLEMENTED_WORKFLOWS,
  });

describe('schedules', () => {
  it('creates the implemented schedules, and applying twice changes nothing', async () => {
    const first = await apply();
    expect(first.find((r) => r.id === 'system-health')?.outcome).toBe('created');
    expect(first.find((r) => r.id === 'congress-api-health')?.outcome).toBe('created');
    const before = await client.schedule.getHandle('system-health').describe();
    const second = await apply();
    expect(second.filter((r) => r.outcome !== 'skipped').every((r) => r.outcome === 'unchanged')).toBe(true);
    const after = await client.schedule.getHandle('system-health').describe();
    expect(after.raw.conflictToken).toEqual(before.raw.conflictToken);
    expect(after.spec).toEqual(before.spec);
    expect(after.policies.overlap).toBe('SKIP');
    expect(after.spec.timezone).toBe('America/New_York');
  });

  it('skips schedules whose workflow does not exist yet, saying why', async () => {
    const results = await apply();
    for (const def of scheduleTable(config().schedules)) {
      const r = results.find((x) => x.id === def.id)!;
      expect(r.outcome === 'skipped').toBe(!IMPLEMENTED_WORKFLOWS.includes(def.workflowType));
    }
  });

  it('a paused schedule stays paused after apply, even when its definition changed', async () => {
    await apply();
    await pauseSchedule(client, 'system-health', 'maintenance window');
    await apply();
    expect((await describeSchedule(client, 'system-health')).paused).toBe(true);
    // A changed definition (new interval) is updated in place and still keeps the pause.
    const changed = scheduleTable(config().schedules).map((d) =>
      d.id === 'system-health' ? { ...d, timing: { every: '7m' } } : d,
    );
    const results = await applySchedules(client, changed, {
      timezone: 'America/New_York',
      implementedWorkflows: IMPLEMENTED_WORKFLOWS,
    });
    expect(results.find((r) => r.id === 'system-health')?.outcome).toBe('updated');
    const d = await client.schedule.getHandle('system-health').describe();
    expect(d.state.paused).toBe(true);
    expect(d.state.note).toBe('maintenance window');
    expect(d.spec.intervals?.[0]?.every).toBe(7 * 60 * 1000);
    await client.schedule.getHandle('system-health').unpause();
    await apply();
  });
});

describe('operators', () => {
  it('the temporal CLI and capitolscope list the same schedules', async () => {
    await apply();
    const ours = await runCli(['schedules', 'list', '-o', 'json'], {
      TEMPORAL_NAMESPACE: namespace,
      DATABASE_URL: dbUrl,
    });
    expect(ours.code).toBe(0);
    const ourIds = (JSON.parse(ours.stdout) as { id: string }[]).map((s) => s.id).sort();
    const cli = findTemporalCli()!;
    const theirs = await execFileP(cli, [
      'schedule',
      'list',
      '--address',
      inject('temporalAddress'),
      '--namespace',
      namespace,
      '--output',
      'json',
    ]);
    const theirIds = (JSON.parse(theirs.stdout) as { scheduleId: string }[]).map((s) => s.scheduleId).sort();
    expect(theirIds).toEqual(ourIds);
    expect(ourIds).toContain('system-health');
  });

  it('backfill starts the runs a schedule missed, one at a time', async () => {
    await apply();
    const from = new Date('2026-01-05T14:00:00Z');
    await backfillSchedule(client, 'system-health', from, new Date(from.getTime() + 14 * 60_000));
    const ids = await waitFor(async () => {
      const found: string[] = [];
      for await (const wf of client.workflow.list({
        query: `WorkflowId STARTS_WITH "system-health-2026-01-05T14:"`,
      })) {
        found.push(wf.workflowId);
      }
      return found.length >= 3 ? found.sort() : undefined;
    });
    expect(ids).toEqual([
      'system-health-2026-01-05T14:00:00Z',
      'system-health-2026-01-05T14:05:00Z',
      'system-health-2026-01-05T14:10:00Z',
    ]);
  });
});

describe('SystemHealthWorkflow', () => {
  it('triggering system-health completes a run that stored a result', async () => {
    await apply();
    const handle = client.schedule.getHandle('system-health');
    // trigger() skips while a run of the schedule is still running (overlap SKIP), as a backfill run
    // above may be on a loaded machine: wait for them to finish first.
    await waitFor(async () => (await handle.describe()).info.runningActions.length === 0);
    // Earlier runs (the backfill above) are in recentActions too: wait for the one this trigger adds.
    const earlier = new Set(
      (await handle.describe()).info.recentActions.map((a) => a.action.workflow.workflowId),
    );
    await triggerSchedule(client, 'system-health');
    const workflowId = await waitFor(async () => {
      const d = await handle.describe();
      return d.info.recentActions.map((a) => a.action.workflow.workflowId).find((id) => !earlier.has(id));
    });
    const result = await client.workflow.getHandle(workflowId).result();
    expect(['ok', 'warning', 'critical']).toContain(result.status);
    expect(Object.keys(result.checks)).toEqual(
      expect.arrayContaining([
        'disk:/',
        'memory',
        'database',
        'smtp',
        'queue:health-checks:pollers',
        'source:house',
      ]),
    );
    const stored = await db.query<{ id: string }>(
      'SELECT id::text FROM health_checks WHERE workflow_id = $1',
      [workflowId],
    );
    expect(stored.rows.map((r) => r.id)).toEqual([String(result.recordId)]);
    const latest = (await latestHealthChecks(db, 50)).find((c) => c.workflowId === workflowId);
    expect(latest!.id).toBe(result.recordId);
    const database = latest!.checks.find((c) => c.name === 'database')!;
    expect(database.status).toBe('ok');
    expect(database.value).toBeGreaterThanOrEqual(0);
  });
});
