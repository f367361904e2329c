import { mkdtemp, rm } from 'node:fs/promises';
import { readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FixtureSites } from '../../devstack/fixtureSites';
import { SenateEfdSite } from '../../devstack/senateEfdSite';
import { startLocalTemporal, type LocalTemporal } from '../../devstack/temporalServer';
import type { TradeSyncSummary } from '../../domain/sync';
import { ALL_TASK_QUEUES, TASK_QUEUES } from '../../domain/taskQueues';
import { freePort } from '../../ops/listen';
import { createLogger } from '../../ops/logger';
import { readHousePtrPdf } from '../../sources/house/readPtr';
import type { Db } from '../../store/db';
import { runWorkers, type RunningWorkers } from '../../workers/runWorkers';
import { fixturePath } from '../support/fixtures';
import { CLERK_404_PAGE, NOV_PTRS, ptrBytes, ptrPath } from '../support/ingestion';
import { TestMailbox } from '../support/mailbox';
import { seedUser } from '../support/seed';
import { createTestDatabase, testConfig } from '../support/services';
import { FIXTURE_FILINGS, houseIndexXml, senateListing, serveHouseIndex, usDate } from '../support/system';
import { sleep, waitFor } from '../support/wait';

/**
 * The Temporal server stopped and started again (its database file kept) in the middle of a trade
 * sync: the workers ride it out, the sync completes, and nothing is lost or doubled (every filing
 * once with all its rows, every matching user one email).
 */

/** How long each House document takes to answer, so the restart lands mid-ingestion. */
const DOCUMENT_DELAY_MS = 150;
const DOWN_MS = 5_000;
const FOLLOWERS = 20;

let dir: string;
let port: number;
let temporal: LocalTemporal;
let client: Client;
let db: Db;
let workers: RunningWorkers;
const mail = new TestMailbox('temporal-restart');
const sites = new FixtureSites();
const senate = new SenateEfdSite({ rows: [] });
const cleanups: (() => Promise<unknown>)[] = [];

function startTemporal(): Promise<LocalTemporal> {
  return startLocalTemporal({
    port,
    uiPort: null,
    dbFile: join(dir, 'temporal.db'),
    startTimeoutMs: 120_000,
  });
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'capitolscope-fault-temporal-'));
  cleanups.push(() => rm(dir, { recursive: true, force: true }));
  port = await freePort();
  temporal = await startTemporal();
  cleanups.push(() => temporal.stop());
  const database = await createTestDatabase();
  db = database.db;
  cleanups.push(database.drop);
  await sites.start();
  cleanups.push(() => sites.stop());
  const senateUrl = await senate.start();
  cleanups.push(() => senate.stop());
  const config = testConfig({
    TEMPORAL_ADDRESS: temporal.address,
    TEMPORAL_NAMESPACE: 'default',
    DATABASE_URL: database.url,
    SMTP_URL: mail.smtpUrl,
    MAIL_FROM: mail.from,
    HOUSE_CLERK_BASE_URL: sites.url('house'),
    SENATE_EFD_BASE_URL: senateUrl,
    HOUSE_INDEX_YEARS: '2025',
    SENATE_REQUEST_INTERVAL_MS: '0',
    ALERT_MAX_FILING_AGE_DAYS: '0',
  });
  workers = await runWorkers({
    config,
    queues: [...ALL_TASK_QUEUES],
    logger: createLogger(process.env.TEST_LOG_LEVEL ?? 'silent'),
    statusPort: null,
  });
  cleanups.push(() => workers.shutdown());
  const connection = await Connection.connect({ address: temporal.address });
  cleanups.push(() => connection.close());
  client = new Client({ connection, namespace: 'default' });
});

afterAll(async () => {
  for (const c of cleanups.reverse()) await c().catch(() => undefined);
});

function startSync(id: string) {
  return client.workflow.start('TradeSyncWorkflow', {
    taskQueue: TASK_QUEUES.dataIngestion,
    workflowId: id,
    args: [{ sources: ['house', 'senate'] }],
  });
}

/** Every House document answers slowly: a PDF where the fixtures have one, the Clerk's 404 page elsewhere. */
function slowDocuments(): void {
  const posted = new Set(readdirSync(fixturePath('house-clerk/public_disc/ptr-pdfs/2025')));
  for (const docId of NOV_PTRS) {
    sites.override(
      ptrPath(docId),
      posted.has(`${docId}.pdf`)
        ? { file: `public_disc/ptr-pdfs/2025/${docId}.pdf`, delayMs: DOCUMENT_DELAY_MS }
        : {
            status: 404,
            body: CLERK_404_PAGE,
            headers: { 'content-type': 'text/html' },
            delayMs: DOCUMENT_DELAY_MS,
          },
    );
  }
}

describe('Temporal server restart', () => {
  it('a trade sync interrupted by a restart of the Temporal server completes, nothing lost or doubled', async () => {
    // The baseline: February's index without two filings, one Senate report.
    serveHouseIndex(sites, houseIndexXml({ without: [FIXTURE_FILINGS.pelosi, FIXTURE_FILINGS.cohen] }));
    senate.setRows([senateListing(FIXTURE_FILINGS.whitehouse, 'Sheldon', 'Whitehouse', usDate(2))]);
    await (await startSync('restart-baseline')).result();
    for (let i = 0; i < FOLLOWERS; i++) {
      await seedUser(db, `pelosi.follower${i}@example.com`, [{ member: 'Pelosi' }]);
      await seedUser(db, `rosen.follower${i}@example.com`, [{ chamber: 'senate', member: 'Rosen' }]);
    }

    // November's index (417 new House filings) and a new Senate report, every House document slow.
    serveHouseIndex(sites, houseIndexXml({ snapshot: 'nov' }));
    senate.addRow(senateListing(FIXTURE_FILINGS.rosenExchange, 'Jacklyn S', 'Rosen', usDate(0)));
    slowDocuments();
    const started = new Date();
    const handle = await startSync('restart-sync');
    const tried = async () =>
      (await db.query(`SELECT count(*)::int AS n FROM filings WHERE last_tried_at > $1`, [started])).rows[0]
        .n as number;
    await waitFor(async () => (await tried()) >= 100, { timeoutMs: 300_000, intervalMs: 200 });

    const triedAtStop = await tried();
    await temporal.stop();
    const downAt = Date.now();
    await sleep(DOWN_MS);
    temporal = await startTemporal();
    const upAt = Date.now();
    const summary = (await handle.result()) as TradeSyncSummary;
    const doneAt = Date.now();
    const { rows: repeated } = await db.query(
      `SELECT count(*)::int AS n FROM filings WHERE first_seen_at > $1 AND attempts > 1`,
      [started],
    );
    console.log(
      `FAULT temporal restart: stopped after ${triedAtStop} filings tried, down ${Math.round((upAt - downAt) / 1000)} s, ` +
        `sync done ${Math.round((doneAt - upAt) / 1000)} s after the restart; ${repeated[0].n} filings tried twice`,
    );

    expect(summary.sources).toMatchObject({
      house: { baseline: false, newFilings: NOV_PTRS.size - 54 },
      senate: { baseline: false, newFilings: 1 },
    });
    // Every listed filing stored once; every posted document with exactly the rows it holds.
    const { rows: filings } = await db.query<{ chamber: string; n: number }>(
      `SELECT chamber, count(*)::int AS n FROM filings GROUP BY chamber ORDER BY chamber`,
    );
    expect(filings).toEqual([
      { chamber: 'house', n: NOV_PTRS.size },
      { chamber: 'senate', n: 2 },
    ]);
    for (const docId of [FIXTURE_FILINGS.pelosi, FIXTURE_FILINGS.cohen, '20033416']) {
      const parsed = await readHousePtrPdf(ptrBytes(docId), docId);
      const { rows } = await db.query(
        `SELECT f.status, (SELECT count(*)::int FROM transactions t WHERE t.filing_id = f.id) AS n
           FROM filings f WHERE f.source_id = $1`,
        [docId],
      );
      expect(rows, docId).toEqual([{ status: 'parsed', n: parsed.transactions.length }]);
    }
    const { rows: statuses } = await db.query(
      `SELECT status, count(*)::int AS n FROM filings WHERE chamber = 'house' GROUP BY status ORDER BY status`,
    );
    expect(statuses.find((s) => s.status === 'failed')).toBeUndefined();

    // Every follower told once: one notification per trade, one email per person.
    const messages = await mail.messages();
    const perRecipient = new Map<string, number>();
    for (const m of messages) perRecipient.set(m.to[0]!, (perRecipient.get(m.to[0]!) ?? 0) + 1);
    expect(perRecipient.size).toBe(2 * FOLLOWERS);
    expect([...perRecipient.values()].every((n) => n === 1)).toBe(true);
    const { rows: unsent } = await db.query(
      `SELECT count(*)::int AS n FROM notifications WHERE status <> 'sent'`,
    );
    expect(unsent).toEqual([{ n: 0 }]);
    expect(summary.emailsSent).toBe(2 * FOLLOWERS);
  }, 900_000);
});
