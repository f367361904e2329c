import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import { ScheduleOverlapPolicy } from '@temporalio/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSystemHealthActivities } from '../../activities/systemHealth';
import { createUpstreamHealthActivities } from '../../activities/upstreamHealth';
import { FixtureSites } from '../../devstack/fixtureSites';
import { SenateEfdSite } from '../../devstack/senateEfdSite';
import { SmtpSink } from '../../devstack/smtpSink';
import type { Config } from '../../domain/config';
import type { HealthCheckResult, HealthRunResult } from '../../domain/health';
import { TASK_QUEUES } from '../../domain/taskQueues';
import { diskUsage } from '../../ops/diskUsage';
import { memoryUsage } from '../../ops/memoryUsage';
import type { Db } from '../../store/db';
import { healthChecksById } from '../../store/healthChecks';
import { createLogger } from '../../ops/logger';
import { runWorkers, type RunningWorkers } from '../../workers/runWorkers';
import { runCli } from '../support/cli';
import { fixturePath } from '../support/fixtures';
import { TestMailbox } from '../support/mailbox';
import { createTestDatabase, testConfig } from '../support/services';
import { createTestNamespace } from '../support/temporal';
import { sleep, waitFor } from '../support/wait';
import { readFileSync } from 'node:fs';
import { serveHouseIndex } from '../../devstack/demoData';

/**
 * Every health check against real parts: this file's PostgreSQL database and Temporal namespace, an
 * SMTP server of its own (stopped to make the mail check fail), local copies of the upstream sites
 * (stopped or answering 500), workers that are stopped, and queues nobody polls.
 */
const logger = createLogger('error');
const cleanups: (() => Promise<unknown>)[] = [];
let db: Db;
let dbUrl: string;
let namespace: string;
let client: Awaited<ReturnType<typeof createTestNamespace>>['client'];
let sites: FixtureSites;
let senate: SenateEfdSite;
let senateUrl: string;
let sink: SmtpSink;
let smtpUrl: string;
let congress: { url: string; requests: { url: string; headers: IncomingHttpHeaders }[]; server: Server };
let workers: RunningWorkers;
let maintenanceWorker: RunningWorkers;
const dataDir = mkdtempSync(join(tmpdir(), 'capitolscope-health-'));
const mailbox = new TestMailbox('health');

const env = (extra: Record<string, string> = {}): Record<string, string> => ({
  DATABASE_URL: dbUrl,
  TEMPORAL_NAMESPACE: namespace,
  SMTP_URL: smtpUrl,
  MAIL_FROM: mailbox.from,
  HOUSE_CLERK_BASE_URL: sites.url('house'),
  CONGRESS_API_BASE_URL: congress.url,
  CONGRESS_API_KEY: 'good-key',
  PRICES_BASE_URL: sites.url('prices'),
  SENATE_EFD_BASE_URL: senateUrl,
  HOUSE_INDEX_YEARS: '2025',
  SENATE_REQUEST_INTERVAL_MS: '0',
  HEALTH_DISK_PATHS: dataDir,
  // A live worker renews its poll every minute; a stopped one is noticed after this long.
  HEALTH_POLLER_STALE_AFTER: '90s',
  ...extra,
});
const config = (extra: Record<string, string> = {}): Config => testConfig(env(extra));
const deps = (extra: Record<string, string> = {}) => ({ config: config(extra), db, logger });
const systemChecks = (extra: Record<string, string> = {}) =>
  createSystemHealthActivities(deps(extra), { temporal: async () => client });
const upstreamChecks = (extra: Record<string, string> = {}) =>
  createUpstreamHealthActivities(deps(extra), {});

function named(results: HealthCheckResult[], name: string): HealthCheckResult {
  const found = results.find((r) => r.name === name);
  if (!found) throw new Error(`no check ${name} among ${results.map((r) => r.name).join(', ')}`);
  return found;
}

beforeAll(async () => {
  const database = await createTestDatabase();
  db = database.db;
  dbUrl = database.url;
  cleanups.push(database.drop);
  const ns = await createTestNamespace('health');
  namespace = ns.namespace;
  client = ns.client;
  cleanups.push(ns.close);
  sites = new FixtureSites();
  await sites.start();
  cleanups.push(() => sites.stop());
  sites.override('/prices/v8/finance/chart/SPY', {
    file: 'yahoo/chart-AAPL-2020-01-01-to-2020-01-03.body.json',
  });
  // An index with no filings yet: discovery succeeds with nothing to ingest.
  serveHouseIndex(sites, '<?xml version="1.0" encoding="utf-8"?><FinancialDisclosure></FinancialDisclosure>');
  senate = new SenateEfdSite({ rows: [] });
  senateUrl = await senate.start();
  cleanups.push(() => senate.stop());
  sink = new SmtpSink();
  smtpUrl = (await sink.start()).url;
  cleanups.push(() => sink.stop());
  congress = await startCongressStandIn();
  cleanups.push(() => new Promise((ok) => congress.server.close(ok)));
  // Workers for three queues; price-updates has none, and maintenance's is stopped below.
  workers = await runWorkers({
    config: config(),
    queues: [TASK_QUEUES.healthChecks, TASK_QUEUES.dataIngestion, TASK_QUEUES.notifications],
    logger,
    statusPort: null,
  });
  cleanups.push(() => workers.shutdown());
  maintenanceWorker = await runWorkers({
    config: config(),
    queues: [TASK_QUEUES.maintenance],
    logger,
    statusPort: null,
  });
  cleanups.push(() => maintenanceWorker.shutdown());
});

afterAll(async () => {
  for (const c of cleanups.reverse()) await c().catch(() => undefined);
});

describe('system checks cross their thresholds', () => {
  it('a maintenance worker that polls is seen; then it is stopped (its absence is checked last)', async () => {
    const live = await waitFor(async () => {
      const r = named(await systemChecks().checkTaskQueues(), 'queue:maintenance:pollers');
      return r.status === 'ok' && r;
    });
    expect(live.value).toBeGreaterThan(0);
    await maintenanceWorker.shutdown();
  });

  it('disks: used space and inodes against configured limits; a missing folder is critical', async () => {
    const u = await diskUsage(dataDir);
    const below = Math.max(1, Math.floor(u.usedPercent) - 1);
    const around = {
      DISK_WARN_PERCENT: String(below),
      DISK_CRITICAL_PERCENT: String(Math.min(100, below + 50)),
    };
    expect(named(await systemChecks().checkDisks(), `disk:${dataDir}`).status).toBe('ok');
    const warned = await systemChecks(around).checkDisks();
    expect(named(warned, `disk:${dataDir}`)).toMatchObject({
      status: 'warning',
      unit: 'percent',
      threshold: { warning: below, critical: Math.min(100, below + 50) },
    });
    expect(named(warned, `inodes:${dataDir}`).status).toMatch(/ok|warning|critical/);
    const missing = join(dataDir, 'no-such-folder');
    const results = await systemChecks({ HEALTH_DISK_PATHS: `${dataDir},${missing}` }).checkDisks();
    expect(named(results, `disk:${missing}`)).toMatchObject({ status: 'critical' });
    expect(named(results, `disk:${missing}`).detail).toContain('cannot be read');
  });

  it('memory against configured limits', async () => {
    const m = await memoryUsage();
    const used = 100 * (1 - m.available / m.total);
    expect(named(await systemChecks().checkMemory(), 'memory').status).toMatch(/ok|warning|critical/);
    const env = {
      MEMORY_WARN_PERCENT: '1',
      MEMORY_CRITICAL_PERCENT: String(Math.min(100, Math.ceil(used) + 5)),
    };
    expect(named(await systemChecks(env).checkMemory(), 'memory').status).toBe('warning');
  });

  it('PostgreSQL: round trip, connections, the oldest open transaction (a real one) and size', async () => {
    const ok = await systemChecks().checkDatabase();
    expect(named(ok, 'database').status).toBe('ok');
    expect(named(ok, 'database:connections').detail).toMatch(/^\d+ of \d+ connections in use$/);
    expect(named(ok, 'database:size').status).toBe('ok');
    const strict = systemChecks({
      HEALTH_DB_CONNECTIONS_WARNING_PERCENT: '1',
      HEALTH_DB_SIZE_WARNING_GB: '0.001',
      HEALTH_DB_TRANSACTION_WARNING: '1s',
    });
    const held = await db.connect();
    try {
      await held.query('BEGIN');
      await held.query('SELECT count(*) FROM filings');
      await sleep(1500);
      const r = await strict.checkDatabase();
      expect(named(r, 'database:connections').status).toBe('warning');
      expect(named(r, 'database:size').status).toBe('warning');
      expect(named(r, 'database:oldest-transaction')).toMatchObject({ status: 'warning', unit: 'min' });
      expect(named(r, 'database:oldest-transaction').detail).toContain('SELECT count(*) FROM filings');
    } finally {
      await held.query('ROLLBACK');
      held.release();
    }
    expect(named(await strict.checkDatabase(), 'database:oldest-transaction').status).toBe('ok');
  });

  it('SMTP: the relay greets us; stopped, it is critical', async () => {
    const own = new SmtpSink();
    const { url } = await own.start();
    const checks = systemChecks({ SMTP_URL: url });
    expect(named(await checks.checkSmtp(), 'smtp')).toMatchObject({ status: 'ok' });
    await own.stop();
    const down = named(await checks.checkSmtp(), 'smtp');
    expect(down.status).toBe('critical');
    expect(down.detail).toMatch(/does not accept a session: .*ECONNREFUSED/);
  });

  it('task queues: workflows started on a queue nobody polls build a backlog that ages', async () => {
    for (let i = 0; i < 3; i++) {
      await client.workflow.start('RoundTripWorkflow', {
        taskQueue: TASK_QUEUES.priceUpdates,
        workflowId: `backlog-${i}`,
        workflowExecutionTimeout: '10 minutes',
      });
    }
    const checks = systemChecks({
      HEALTH_QUEUE_BACKLOG_WARNING: '2',
      HEALTH_QUEUE_BACKLOG_CRITICAL: '10',
      HEALTH_QUEUE_TASK_AGE_WARNING: '1s',
      HEALTH_QUEUE_TASK_AGE_CRITICAL: '1h',
    });
    const r = await waitFor(
      async () => {
        const results = await checks.checkTaskQueues();
        return named(results, 'queue:price-updates:oldest-task').status === 'warning' &&
          named(results, 'queue:price-updates:backlog').status === 'warning'
          ? results
          : false;
      },
      { timeoutMs: 60_000, intervalMs: 1000 },
    );
    expect(named(r, 'queue:price-updates:backlog').value).toBe(3);
    expect(named(r, 'queue:price-updates:pollers').status).toBe('warning');
    expect(named(r, 'queue:data-ingestion:pollers').status).toBe('ok');
    expect(named(r, 'queue:data-ingestion:backlog').status).toBe('ok');
    const stricter = systemChecks({ HEALTH_QUEUE_BACKLOG_WARNING: '1', HEALTH_QUEUE_BACKLOG_CRITICAL: '3' });
    expect(named(await stricter.checkTaskQueues(), 'queue:price-updates:backlog').status).toBe('critical');
  });

  it('schedules: runs that time out make it warning, then critical; a paused one says why', async () => {
    const action = {
      type: 'startWorkflow' as const,
      workflowType: 'RoundTripWorkflow',
      // Nobody polls price-updates: every run times out.
      taskQueue: TASK_QUEUES.priceUpdates,
      workflowRunTimeout: '1s',
    };
    await client.schedule.create({
      scheduleId: 'always-times-out',
      spec: { intervals: [{ every: '1 day' }] },
      action,
      policies: { overlap: ScheduleOverlapPolicy.ALLOW_ALL },
    });
    await client.schedule.create({
      scheduleId: 'paused-by-operator',
      spec: { intervals: [{ every: '1 day' }] },
      action,
      state: { paused: true, note: 'House site maintenance' },
    });
    const handle = client.schedule.getHandle('always-times-out');
    const checks = systemChecks();
    await handle.trigger();
    const first = await waitFor(async () => {
      const r = named(await checks.checkSchedules(), 'schedule:always-times-out');
      return r.status === 'warning' && r;
    });
    expect(first.detail).toContain('timed out');
    expect(first.action).toContain('temporal workflow show');
    await handle.trigger();
    const second = await waitFor(async () => {
      const r = named(await checks.checkSchedules(), 'schedule:always-times-out');
      return r.status === 'critical' && r;
    });
    expect(second.value).toBe(2);
    const paused = named(await checks.checkSchedules(), 'schedule:paused-by-operator');
    expect(paused).toMatchObject({ status: 'ok' });
    expect(paused.detail).toContain('paused (House site maintenance)');
    await handle.delete();
    await client.schedule.getHandle('paused-by-operator').delete();
  });

  it('sources: time since the last successful sync, an unchanged House index counting as one', async () => {
    const checks = systemChecks({ TRADE_SYNC_INTERVAL: '2h' });
    const before = await checks.checkSources();
    expect(named(before, 'source:house')).toMatchObject({ status: 'warning', value: null });
    expect(named(before, 'source:house').detail).toBe('house has never synced successfully');
    await sync();
    const after = await checks.checkSources();
    expect(named(after, 'source:house').status).toBe('ok');
    expect(named(after, 'source:senate').status).toBe('ok');
    // The next sync finds the index unchanged (304): still a successful sync of the House.
    await db.query(`UPDATE source_state SET last_success_at = now() - interval '5 hours'`);
    expect(named(await checks.checkSources(), 'source:house')).toMatchObject({ status: 'warning' });
    await sync();
    expect(sites.requests.filter((r) => r.path.endsWith('2025FD.zip')).map((r) => r.status)).toEqual([
      200, 304,
    ]);
    expect(named(await checks.checkSources(), 'source:house').status).toBe('ok');
    await db.query(`UPDATE source_state SET last_success_at = now() - interval '13 hours'`);
    const stale = await checks.checkSources();
    expect(named(stale, 'source:house')).toMatchObject({
      status: 'critical',
      threshold: { warning: 240, critical: 720 },
    });
    expect(named(stale, 'source:senate').status).toBe('critical');
  });

  it('sources: filings stuck or failed, notifications failed in the last day', async () => {
    const checks = systemChecks({
      HEALTH_FAILED_FILINGS_WARNING: '1',
      HEALTH_FAILED_FILINGS_CRITICAL: '3',
      HEALTH_FAILED_NOTIFICATIONS_WARNING: '1',
      HEALTH_FAILED_NOTIFICATIONS_CRITICAL: '2',
    });
    const quiet = await checks.checkSources();
    expect(named(quiet, 'filings:stuck').status).toBe('ok');
    expect(named(quiet, 'filings:failed').status).toBe('ok');
    expect(named(quiet, 'notifications:failed').status).toBe('ok');
    const { rows } = await db.query<{ id: number }>(
      `INSERT INTO filings (chamber, source_id, filer_name, raw_url, status, first_seen_at)
       VALUES ('house', 'H-STUCK', 'A', 'x', 'discovered', now() - interval '1 day'),
              ('house', 'H-FAIL-1', 'B', 'x', 'discovered', now()), ('house', 'H-FAIL-2', 'C', 'x', 'discovered', now())
       RETURNING id`,
    );
    // Failed the way ingestion marks them: an UPDATE of the status.
    await db.query(`UPDATE filings SET status = 'failed', failure_reason = 'not a PDF' WHERE id = ANY ($1)`, [
      rows.slice(1).map((r) => r.id),
    ]);
    const { rows: users } = await db.query<{ id: number }>(
      `INSERT INTO users (email) VALUES ('a@example.org') RETURNING id`,
    );
    const { rows: tx } = await db.query<{ id: number }>(
      `INSERT INTO transactions (filing_id, row_key, ordinal, owner, asset_name, transaction_type)
       VALUES ($1, 'k', 0, 'self', 'NVIDIA', 'purchase') RETURNING id`,
      [rows[0]!.id],
    );
    await db.query(
      `INSERT INTO notifications (user_id, transaction_id, rule_ids, reasons) VALUES ($1, $2, '{}', '{}')`,
      [users[0]!.id, tx[0]!.id],
    );
    await db.query(`UPDATE notifications SET status = 'failed', last_error = '451 try later'`);
    const r = await checks.checkSources();
    expect(named(r, 'filings:stuck')).toMatchObject({ status: 'warning', value: 1 });
    expect(named(r, 'filings:failed')).toMatchObject({ status: 'warning', value: 2 });
    expect(named(r, 'filings:failed').action).toContain('capitolscope filings list --status failed');
    expect(named(r, 'notifications:failed')).toMatchObject({ status: 'warning', value: 1 });
    expect(named(r, 'notifications:failed').detail).toContain('451 try later');
    // A failure older than a day no longer counts.
    await db.query(`UPDATE filings SET failed_at = now() - interval '2 days' WHERE status = 'failed'`);
    expect(named(await checks.checkSources(), 'filings:failed')).toMatchObject({ status: 'ok', value: 0 });
  });
});

describe('upstream checks', () => {
  it('Congress.gov: the key goes in the X-Api-Key header; accepted with the rate limit left, refused is critical', async () => {
    const ok = named(await upstreamChecks().checkCongressApi(), 'upstream:congress-api');
    expect(ok).toMatchObject({ status: 'ok', unit: 'ms' });
    expect(ok.detail).toBe('key accepted, 4990 of 5000 requests left this hour');
    const last = congress.requests.at(-1)!;
    expect(last.headers['x-api-key']).toBe('good-key');
    expect(last.url).not.toContain('good-key');
    expect(last.url).not.toContain('api_key');
    const refused = named(
      await upstreamChecks({ CONGRESS_API_KEY: 'revoked' }).checkCongressApi(),
      'upstream:congress-api',
    );
    expect(refused.status).toBe('critical');
    expect(refused.detail).toBe('the API key was not accepted (HTTP 403, API_KEY_INVALID)');
  });

  it('House Clerk: the index answers a conditional request; a 500 is critical', async () => {
    const ok = named(await upstreamChecks().checkHouseClerk(), 'upstream:house-clerk');
    expect(ok.status).toBe('ok');
    // The sync above kept the index's validators, so the probe costs a 304.
    expect(ok.detail).toContain('unchanged since the last sync');
    expect(sites.requests.at(-1)).toMatchObject({
      path: '/house/public_disc/financial-pdfs/2025FD.zip',
      status: 304,
    });
    sites.override('/house/public_disc/financial-pdfs/2025FD.zip', { status: 500, body: 'boom' });
    const down = named(await upstreamChecks().checkHouseClerk(), 'upstream:house-clerk');
    expect(down.status).toBe('critical');
    expect(down.detail).toContain('HTTP 500');
  });

  it('Senate eFD: the landing page and its agreement form; maintenance and a stopped site are critical', async () => {
    expect(named(await upstreamChecks().checkSenateEfd(), 'upstream:senate-efd')).toMatchObject({
      status: 'ok',
      detail: 'landing page and agreement form present',
    });
    senate.failNext(1, 503);
    expect(named(await upstreamChecks().checkSenateEfd(), 'upstream:senate-efd')).toMatchObject({
      status: 'critical',
      detail: 'down for maintenance (HTTP 503)',
    });
    await senate.stop();
    const stopped = named(await upstreamChecks().checkSenateEfd(), 'upstream:senate-efd');
    expect(stopped.status).toBe('critical');
    // Refused, or a kept-alive connection cut: either way, no answer.
    expect(stopped.detail).toMatch(/ECONNREFUSED|other side closed|ECONNRESET/);
  });

  it('price source: the chart endpoint answers; stopped, it is critical', async () => {
    expect(named(await upstreamChecks().checkPriceSource(), 'upstream:prices')).toMatchObject({
      status: 'ok',
    });
    sites.override('/prices/v8/finance/chart/SPY', { status: 500 });
    expect(named(await upstreamChecks().checkPriceSource(), 'upstream:prices').status).toBe('critical');
  });
});

describe('a worker stopped', () => {
  it('its queue has no pollers: a warning at the first run, critical at the second', async () => {
    const checks = systemChecks();
    // The server lists a stopped worker's pollers until they go stale (HEALTH_POLLER_STALE_AFTER).
    await waitFor(
      async () => named(await checks.checkTaskQueues(), 'queue:maintenance:pollers').status !== 'ok',
      { timeoutMs: 150_000, intervalMs: 2000 },
    );
    const run = async (id: string) => {
      const result = (await client.workflow.execute('SystemHealthWorkflow', {
        taskQueue: TASK_QUEUES.healthChecks,
        workflowId: id,
      })) as HealthRunResult;
      const [stored] = await healthChecksById(db, [result.recordId]);
      return named(stored!.checks, 'queue:maintenance:pollers');
    };
    const first = await run('system-health-stopped-1');
    expect(first.status).toBe('warning');
    const second = await run('system-health-stopped-2');
    expect(second.status).toBe('critical');
    expect(second.detail).toBe(
      'no worker polls maintenance for workflow and activity tasks (nor at the previous check)',
    );
    expect(second.action).toContain('capitolscope worker --queue maintenance');
  }, 200_000);
});

describe('capitolscope health and test', () => {
  it('health runs the checks as workflows and prints them as a table, or JSON', async () => {
    const cli = { DATABASE_URL: dbUrl, TEMPORAL_NAMESPACE: namespace, ...env() };
    const json = await runCli(['health', '-o', 'json'], cli);
    expect(json.stderr).toBe('');
    const out = JSON.parse(json.stdout) as {
      status: string;
      runs: { workflowId: string }[];
      checks: HealthCheckResult[];
    };
    expect(out.runs.map((r) => r.workflowId)).toEqual([
      expect.stringMatching(/^system-health-manual-/),
      expect.stringMatching(/^congress-api-health-manual-/),
    ]);
    const names = out.checks.map((c) => c.name);
    for (const name of [
      `disk:${dataDir}`,
      `inodes:${dataDir}`,
      'memory',
      'database',
      'database:connections',
      'database:oldest-transaction',
      'database:size',
      'smtp',
      'queue:notifications:pollers',
      'queue:price-updates:backlog',
      'queue:maintenance:oldest-task',
      'source:house',
      'source:senate',
      'filings:stuck',
      'filings:failed',
      'notifications:failed',
      'upstream:congress-api',
      'upstream:house-clerk',
      'upstream:senate-efd',
      'upstream:prices',
    ]) {
      expect(names).toContain(name);
    }
    // The Senate stand-in is stopped and maintenance has had no worker for two runs: critical, exit 1.
    expect(out.status).toBe('critical');
    expect(json.code).toBe(1);
    const table = await runCli(['health', '--upstream'], cli);
    expect(table.code).toBe(1);
    expect(table.stdout).toMatch(/^CHECK\s+STATUS\s+MEASURED\s+DETAIL\n/);
    expect(table.stdout).toMatch(/upstream:senate-efd\s+critical/);
    expect(table.stdout).toContain('What to do:');
    expect(table.stdout).not.toContain('disk:');
  }, 240_000);

  it('test reports the round trip of every queue and names those without a worker', async () => {
    const r = await runCli(['test', '--timeout', '8'], { TEMPORAL_NAMESPACE: namespace, ...env() });
    expect(r.code).toBe(1);
    const lines = r.stdout.split('\n');
    expect(lines[0]).toMatch(/^QUEUE\s+RESULT\s+ROUND TRIP\s+WORKER \/ REASON$/);
    for (const q of [TASK_QUEUES.dataIngestion, TASK_QUEUES.notifications, TASK_QUEUES.healthChecks]) {
      expect(lines.find((l) => l.startsWith(`${q} `))).toMatch(
        new RegExp(`^${q}\\s+ok\\s+\\d+ ms\\s+\\S+:\\d+$`),
      );
    }
    expect(r.stdout).toContain(
      'price-updates: no worker polls price-updates; start one: capitolscope worker --queue price-updates',
    );
    expect(r.stdout).toContain('maintenance: no worker polls maintenance');
    const json = await runCli(['test', '--timeout', '8', '-o', 'json'], {
      TEMPORAL_NAMESPACE: namespace,
      ...env(),
    });
    const out = JSON.parse(json.stdout) as { ok: boolean; queues: { queue: string; ok: boolean }[] };
    expect(out.ok).toBe(false);
    expect(out.queues.filter((q) => !q.ok).map((q) => q.queue)).toEqual(['price-updates', 'maintenance']);
  }, 120_000);
});

async function sync(): Promise<void> {
  await client.workflow.execute('TradeSyncWorkflow', {
    taskQueue: TASK_QUEUES.dataIngestion,
    workflowId: `sync-${Date.now()}`,
    args: [{}],
  });
}

/** Congress.gov as far as the probe sees it: the key in X-Api-Key, the rate limit in the headers. */
async function startCongressStandIn() {
  const requests: { url: string; headers: IncomingHttpHeaders }[] = [];
  const example = readFileSync(fixturePath('congress-gov', 'member-list.limit1.json'));
  const server = createServer((req, res) => {
    requests.push({ url: req.url ?? '', headers: req.headers });
    if (req.headers['x-api-key'] !== 'good-key') {
      res.writeHead(403, { 'content-type': 'application/json' });
      res.end(
        JSON.stringify({ error: { code: 'API_KEY_INVALID', message: 'An invalid api_key was supplied.' } }),
      );
      return;
    }
    res.writeHead(200, {
      'content-type': 'application/json',
      'x-ratelimit-limit': '5000',
      'x-ratelimit-remaining': '4990',
    });
    res.end(example);
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, requests, server };
}
