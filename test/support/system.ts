import type { Client } from '@temporalio/client';
import { FixtureSites } from '../../devstack/fixtureSites';
import { PriceSite } from '../../devstack/priceSite';
import { SenateEfdSite } from '../../devstack/senateEfdSite';
import type { Config } from '../../domain/config';
import type { TradeSyncSummary } from '../../domain/sync';
import { ALL_TASK_QUEUES, TASK_QUEUES } from '../../domain/taskQueues';
import type { Db } from '../../store/db';
import { createLogger } from '../../ops/logger';
import { runWorkers, type RunningWorkers } from '../../workers/runWorkers';
import { TestMailbox } from './mailbox';
import { createTestDatabase, testConfig } from './services';
import { createTestNamespace } from './temporal';

/** The whole system for one test file: its own database, namespace and mailbox; local upstream sites. */
export interface TestSystem {
  config: Config;
  db: Db;
  client: Client;
  sites: FixtureSites;
  senate: SenateEfdSite;
  /** The price APIs (Yahoo, Finnhub, Alpha Vantage); keys are set only where a test passes them. */
  prices: PriceSite;
  /** The mail this system sends, on the run's SMTP server. */
  smtp: TestMailbox;
  workers: RunningWorkers;
  sync(sources?: ('house' | 'senate')[]): Promise<TradeSyncSummary>;
  stop(): Promise<void>;
}

export async function startTestSystem(
  env: Record<string, string> = {},
  opts: { statusPort?: number | null } = {},
): Promise<TestSystem> {
  const stops: (() => Promise<void>)[] = [];
  const database = await createTestDatabase();
  stops.push(database.drop);
  const ns = await createTestNamespace('system');
  stops.push(ns.close);
  const sites = new FixtureSites();
  await sites.start();
  stops.push(() => sites.stop());
  const senate = new SenateEfdSite({ rows: [] });
  const senateUrl = await senate.start();
  stops.push(() => senate.stop());
  const prices = new PriceSite();
  await prices.start();
  stops.push(() => prices.stop());
  const smtp = new TestMailbox();
  const config = testConfig({
    DATABASE_URL: database.url,
    TEMPORAL_NAMESPACE: ns.namespace,
    SMTP_URL: smtp.smtpUrl,
    MAIL_FROM: smtp.from,
    PUBLIC_BASE_URL: 'https://alerts.capitolscope.test/app',
    HOUSE_CLERK_BASE_URL: sites.url('house'),
    CONGRESS_API_BASE_URL: sites.url('congress'),
    ...prices.env(false),
    SENATE_EFD_BASE_URL: senateUrl,
    HOUSE_INDEX_YEARS: '2025',
    SENATE_REQUEST_INTERVAL_MS: '0',
    ALERT_MAX_FILING_AGE_DAYS: '0',
    ...env,
  });
  const workers = await runWorkers({
    config,
    queues: [...ALL_TASK_QUEUES],
    logger: createLogger(process.env.TEST_LOG_LEVEL ?? 'error'),
    statusPort: opts.statusPort ?? null,
  });
  stops.push(() => workers.shutdown());
  let n = 0;
  return {
    config,
    db: database.db,
    client: ns.client,
    sites,
    senate,
    prices,
    smtp,
    workers,
    async sync(sources = ['house', 'senate']) {
      const handle = await ns.client.workflow.start('TradeSyncWorkflow', {
        taskQueue: TASK_QUEUES.dataIngestion,
        workflowId: `test-sync-${++n}`,
        args: [{ sources }],
      });
      return (await handle.result()) as TradeSyncSummary;
    },
    async stop() {
      for (const stop of stops.reverse()) await stop().catch(() => undefined);
    },
  };
}

export {
  FIXTURE_FILINGS,
  houseIndexXml,
  senateListing,
  serveHouseIndex,
  usDate,
} from '../../devstack/demoData';
