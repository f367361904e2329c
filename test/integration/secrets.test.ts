import { Writable } from 'node:stream';
import { WorkflowFailedError } from '@temporalio/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FixtureSites } from '../../devstack/fixtureSites';
import type { Config } from '../../domain/config';
import { TASK_QUEUES } from '../../domain/taskQueues';
import { createLogger } from '../../ops/logger';
import { runWorkers, type RunningWorkers } from '../../workers/runWorkers';
import { createTestDatabase, testConfig } from '../support/services';
import { createTestNamespace } from '../support/temporal';
import { waitFor } from '../support/wait';

/**
 * Secrets stay out of what operators and the Temporal server keep: the Congress.gov API key travels
 * in a header, so a failed request names no key in its stored failure or in any log line; and no log
 * line carries an activity's task token (which completes or fails the activity for whoever holds it).
 */

const API_KEY = 'congress-key-7f3a9c-not-for-logs';
const lines: string[] = [];
const cleanups: (() => Promise<void>)[] = [];
let config: Config;
let sites: FixtureSites;
let workers: RunningWorkers;
let client: Awaited<ReturnType<typeof createTestNamespace>>['client'];

beforeAll(async () => {
  const database = await createTestDatabase();
  cleanups.push(database.drop);
  const ns = await createTestNamespace('secrets');
  client = ns.client;
  cleanups.push(ns.close);
  sites = new FixtureSites();
  await sites.start();
  cleanups.push(() => sites.stop());
  config = testConfig({
    DATABASE_URL: database.url,
    TEMPORAL_NAMESPACE: ns.namespace,
    CONGRESS_API_BASE_URL: sites.url('congress'),
    CONGRESS_API_KEY: API_KEY,
  });
  // Every line the worker process would print, at the most verbose level.
  const sink = new Writable({
    write(chunk: Buffer, _enc, done) {
      lines.push(...chunk.toString('utf8').split('\n').filter(Boolean));
      done();
    },
  });
  workers = await runWorkers({
    config,
    queues: [TASK_QUEUES.dataIngestion],
    logger: createLogger('trace', { destination: sink }),
    statusPort: null,
  });
  cleanups.push(() => workers.shutdown());
});

afterAll(async () => {
  for (const c of cleanups.reverse()) await c().catch(() => undefined);
});

describe('secrets', () => {
  it('a failed Congress.gov request stores and logs its failure without the API key or the task token', async () => {
    const asked: { search: string; key: unknown }[] = [];
    sites.override('/congress/v3/member', {
      handler: (url, headers) => {
        asked.push({ search: url.search, key: headers['x-api-key'] });
        // 403 as for a revoked key: not retried, so the failure reaches the workflow at once.
        return { status: 403, body: '{"error":{"code":"API_KEY_INVALID"}}' };
      },
    });
    const handle = await client.workflow.start('MemberSyncWorkflow', {
      taskQueue: TASK_QUEUES.dataIngestion,
      workflowId: 'member-sync-secrets',
    });
    const err = await handle.result().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(WorkflowFailedError);
    expect(asked).toEqual([{ search: '?currentMember=true&limit=250&offset=0&format=json', key: API_KEY }]);

    // The failure as the Temporal server stores it (Web UI, `temporal workflow show`).
    const history = JSON.stringify(await handle.fetchHistory());
    expect(history).toContain(`${config.sites.congressApi}/v3/member: HTTP 403`);
    expect(history).not.toContain(API_KEY);

    // The worker's log lines about the failed activity.
    const activityLines = await waitFor(() => {
      const found = lines.filter((l) => l.includes('"activityType":"syncMembers"'));
      return found.some((l) => /failed/i.test(l)) && found;
    });
    for (const line of lines) expect(line).not.toContain(API_KEY);
    for (const line of activityLines) {
      const record = JSON.parse(line) as Record<string, unknown>;
      expect(record.taskToken, line).toBe('[redacted]');
    }
    // No other field smuggles a token out (the SDK's task dumps on internal errors, for one).
    expect(lines.filter((l) => /"(task|taskEncoded|base64TaskToken)":"(?!\[redacted\])/.test(l))).toEqual([]);
  });
});
