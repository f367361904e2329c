import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Client } from '@temporalio/client';
import { strToU8, zipSync } from 'fflate';
import { FixtureSites, sharedDir } from '../../cli/dev/fixtureSites';
import { SenateEfdSite, efdSearchRow } from '../../cli/dev/senateEfdSite';
import { SmtpSink } from '../../cli/dev/smtpSink';
import type { Config } from '../../domain/config';
import type { TradeSyncSummary } from '../../domain/sync';
import { ALL_TASK_QUEUES, TASK_QUEUES } from '../../domain/taskQueues';
import type { Db } from '../../store/db';
import { createLogger } from '../../workers/logger';
import { runWorkers, type RunningWorkers } from '../../workers/runWorkers';
import { createTestDatabase, testConfig } from './services';
import { createTestNamespace } from './temporal';

/** The whole system for one test file: its own database and namespace, local upstream sites, an SMTP server. */
export interface TestSystem {
  config: Config;
  db: Db;
  client: Client;
  sites: FixtureSites;
  senate: SenateEfdSite;
  smtp: SmtpSink;
  workers: RunningWorkers;
  sync(sources?: ('house' | 'senate')[]): Promise<TradeSyncSummary>;
  stop(): Promise<void>;
}

export async function startTestSystem(env: Record<string, string> = {}): Promise<TestSystem> {
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
  const smtp = new SmtpSink();
  const { url: smtpUrl } = await smtp.start();
  stops.push(() => smtp.stop());
  const config = testConfig({
    DATABASE_URL: database.url,
    TEMPORAL_NAMESPACE: ns.namespace,
    SMTP_URL: smtpUrl,
    MAIL_FROM: 'CapitolScope Alerts <alerts@capitolscope.test>',
    PUBLIC_BASE_URL: 'https://alerts.capitolscope.test/app',
    HOUSE_CLERK_BASE_URL: sites.url('house'),
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
    statusPort: null,
  });
  stops.push(() => workers.shutdown());
  let n = 0;
  return {
    config,
    db: database.db,
    client: ns.client,
    sites,
    senate,
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

const FIXTURES = () => join(sharedDir(), 'fixtures');

/** The February 2025 House index XML, optionally without some DocIDs (to make them "appear" later). */
export function houseIndexXml(opts: { without?: string[]; snapshot?: 'feb' | 'nov' } = {}): string {
  const file =
    opts.snapshot === 'nov'
      ? 'house-clerk/snapshots/2025FD.xml.2025-11-snapshot.xml'
      : 'house-clerk/extracted/2025FD.xml';
  let xml = readFileSync(join(FIXTURES(), file), 'utf8');
  for (const docId of opts.without ?? []) {
    xml = xml.replace(
      new RegExp(`<Member>(?:(?!</Member>)[\\s\\S])*<DocID>${docId}</DocID>[\\s\\S]*?</Member>\\s*`),
      '',
    );
  }
  return xml;
}

/** Serve an index as the Clerk does: a ZIP holding `2025FD.xml`. */
export function serveHouseIndex(sites: FixtureSites, xml: string): void {
  const zip = Buffer.from(zipSync({ '2025FD.xml': strToU8(xml) }));
  sites.override('/house/public_disc/financial-pdfs/2025FD.zip', {
    body: zip,
    headers: { 'content-type': 'application/zip', etag: `"${zip.length}-${xml.length}"` },
  });
}

/** A Senate search listing for one of the shared PTR pages, received on `date` (MM/DD/YYYY). */
export function senateListing(
  uuid: string,
  first: string,
  last: string,
  date: string,
  title = `Periodic Transaction Report for ${date}`,
): string[] {
  return efdSearchRow({
    firstName: first,
    lastName: last,
    office: `${last}, ${first} (Senator)`,
    reportDate: date,
    reportTitle: title,
    reportLink: `/search/view/ptr/${uuid}/`,
  });
}

/** MM/DD/YYYY of a date `daysAgo` days before now (UTC). */
export function usDate(daysAgo: number): string {
  const d = new Date(Date.now() - daysAgo * 86_400_000);
  return `${String(d.getUTCMonth() + 1).padStart(2, '0')}/${String(d.getUTCDate()).padStart(2, '0')}/${d.getUTCFullYear()}`;
}
