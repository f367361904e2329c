import type { Client } from '@temporalio/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FixtureSites } from '../../devstack/fixtureSites';
import type { TradeSyncSummary } from '../../domain/sync';
import { TASK_QUEUES } from '../../domain/taskQueues';
import type { Db } from '../../store/db';
import { ptrPath } from '../support/ingestion';
import { TestMailbox } from '../support/mailbox';
import { memoryBombPdf } from '../support/poisonPdf';
import { createTestDatabase } from '../support/services';
import { FIXTURE_FILINGS, houseIndexXml, serveHouseIndex } from '../support/system';
import { createTestNamespace } from '../support/temporal';
import { WorkerProcess } from '../support/workerProcess';

/**
 * A PTR whose PDF needs gigabytes of heap to read, against a real worker process whose own heap is
 * capped as a container's memory would be: the document is read in a process of its own, so it
 * costs that process, not the worker. The filing is failed after FILING_MAX_ATTEMPTS attempts with
 * the reason; the worker stays up and the sync completes.
 */

const WORKER_HEAP_MB = 384;
let db: Db;
let client: Client;
let worker: WorkerProcess;
const sites = new FixtureSites();
const cleanups: (() => Promise<unknown>)[] = [];

beforeAll(async () => {
  const database = await createTestDatabase();
  db = database.db;
  cleanups.push(database.drop);
  const ns = await createTestNamespace('poison');
  client = ns.client;
  cleanups.push(ns.close);
  await sites.start();
  cleanups.push(() => sites.stop());
  const mail = new TestMailbox('poison');
  worker = new WorkerProcess(
    [TASK_QUEUES.dataIngestion, TASK_QUEUES.notifications],
    {
      DATA_DIR: '/nonexistent',
      DATABASE_URL: database.url,
      TEMPORAL_NAMESPACE: ns.namespace,
      SMTP_URL: mail.smtpUrl,
      MAIL_FROM: mail.from,
      UNSUBSCRIBE_SECRET: 'poison-unsubscribe-secret-0123456789',
      HOUSE_CLERK_BASE_URL: sites.url('house'),
      HOUSE_INDEX_YEARS: '2025',
      FILING_MAX_ATTEMPTS: '2',
      PDF_PARSE_MEMORY_MB: '128',
    },
    [`--max-old-space-size=${WORKER_HEAP_MB}`],
  );
  cleanups.push(() => worker.stop());
  await worker.start();
});

afterAll(async () => {
  for (const c of cleanups.reverse()) await c().catch(() => undefined);
});

describe('a poison document', () => {
  it('fails its filing, not the worker', async () => {
    serveHouseIndex(sites, houseIndexXml());
    sites.override(ptrPath(FIXTURE_FILINGS.cohen), {
      body: memoryBombPdf(),
      headers: { 'content-type': 'application/pdf' },
    });
    const started = Date.now();
    const handle = await client.workflow.start('TradeSyncWorkflow', {
      taskQueue: TASK_QUEUES.dataIngestion,
      workflowId: 'poison-sync',
      args: [{ sources: ['house'] }],
    });
    // A worker that dies fails the test at once, rather than leaving the sync waiting for another.
    const workerExited = worker.exited().then((status) => {
      throw new Error(`the worker exited (${status}): ${worker.output().slice(-600)}`);
    });
    workerExited.catch(() => undefined); // its stop at the end is no failure
    const summary = (await Promise.race([handle.result(), workerExited])) as TradeSyncSummary;
    console.log(
      `FAULT poison document: sync of ${summary.filings.new} filings done in ${Math.round((Date.now() - started) / 1000)} s; ` +
        `worker exits: ${worker.unexpectedExits.length}`,
    );
    expect(worker.unexpectedExits).toEqual([]);
    expect(await worker.healthz()).toBe(200);
    expect(summary.filings).toMatchObject({ new: 56, failed: 1, parsed: 7, paper: 1 });
    const { rows } = await db.query(
      `SELECT status, failure_reason AS reason, attempts FROM filings WHERE source_id = $1`,
      [FIXTURE_FILINGS.cohen],
    );
    expect(rows).toEqual([
      {
        status: 'failed',
        reason: expect.stringMatching(/^readHousePtrJob ran out of its 128 MiB heap on 2 attempts in a row$/),
        attempts: 2,
      },
    ]);
  }, 600_000);
});
