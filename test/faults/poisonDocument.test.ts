import { spawn, type ChildProcess } from 'node:child_process';
import type { Client } from '@temporalio/client';
import { request } from 'undici';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { FixtureSites } from '../../devstack/fixtureSites';
import type { TradeSyncSummary } from '../../domain/sync';
import { TASK_QUEUES } from '../../domain/taskQueues';
import { freePort } from '../../ops/listen';
import type { Db } from '../../store/db';
import { ptrPath } from '../support/ingestion';
import { TestMailbox } from '../support/mailbox';
import { memoryBombPdf } from '../support/poisonPdf';
import { createTestDatabase } from '../support/services';
import { FIXTURE_FILINGS, houseIndexXml, serveHouseIndex } from '../support/system';
import { createTestNamespace } from '../support/temporal';
import { waitFor } from '../support/wait';

/**
 * A PTR whose PDF needs gigabytes of heap to read, against a real worker process whose own heap is
 * capped as a container's memory would be: the document is read in a process of its own, so it
 * costs that process, not the worker. The filing is failed after FILING_MAX_ATTEMPTS attempts with
 * the reason; the worker stays up and the sync completes.
 */

const WORKER_HEAP_MB = 384;
let db: Db;
let client: Client;
let worker: ChildProcess;
let workerPort = 0;
const exits: (number | string | null)[] = [];
let workerExited: Promise<never>;
const output: string[] = [];
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
  workerPort = await freePort();
  worker = spawn(
    process.execPath,
    [
      `--max-old-space-size=${WORKER_HEAP_MB}`,
      'bin/capitolscope.js',
      'worker',
      '--no-migrate',
      '--queue',
      'data-ingestion',
      '--queue',
      'notifications',
    ],
    {
      env: {
        ...process.env,
        DATA_DIR: '/nonexistent',
        DATABASE_URL: database.url,
        TEMPORAL_ADDRESS: inject('temporalAddress'),
        TEMPORAL_NAMESPACE: ns.namespace,
        WORKER_HTTP_PORT: String(workerPort),
        SMTP_URL: mail.smtpUrl,
        MAIL_FROM: mail.from,
        UNSUBSCRIBE_SECRET: 'poison-unsubscribe-secret-0123456789',
        HOUSE_CLERK_BASE_URL: sites.url('house'),
        HOUSE_INDEX_YEARS: '2025',
        FILING_MAX_ATTEMPTS: '2',
        PDF_PARSE_MEMORY_MB: '128',
        LOG_LEVEL: 'warn',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  worker.stdout!.on('data', (b: Buffer) => output.push(b.toString()));
  worker.stderr!.on('data', (b: Buffer) => output.push(b.toString()));
  workerExited = new Promise((_, fail) =>
    worker.once('exit', (code, signal) => {
      exits.push(code ?? signal);
      fail(new Error(`the worker exited (${signal ?? `code ${code}`}): ${output.join('').slice(-600)}`));
    }),
  );
  workerExited.catch(() => undefined);
  cleanups.push(async () => {
    if (worker.exitCode !== null || worker.signalCode !== null) return;
    const exited = new Promise((ok) => worker.once('exit', ok));
    worker.kill('SIGTERM');
    await exited;
  });
  await waitFor(async () => (await healthz()) === 200, { timeoutMs: 120_000, intervalMs: 250 });
});

afterAll(async () => {
  for (const c of cleanups.reverse()) await c().catch(() => undefined);
  if (process.env.DEBUG) console.log(output.join(''));
});

async function healthz(): Promise<number> {
  try {
    const r = await request(`http://127.0.0.1:${workerPort}/healthz`);
    await r.body.dump();
    return r.statusCode;
  } catch {
    return 0;
  }
}

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
    const summary = (await Promise.race([handle.result(), workerExited])) as TradeSyncSummary;
    console.log(
      `FAULT poison document: sync of ${summary.filings.new} filings done in ${Math.round((Date.now() - started) / 1000)} s; ` +
        `worker exits: ${exits.length}`,
    );
    expect(exits).toEqual([]);
    expect(await healthz()).toBe(200);
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
