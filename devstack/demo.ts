import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { Client } from '@temporalio/client';
import type { Config } from '../domain/config';
import type { TradeSyncSummary } from '../domain/sync';
import { TASK_QUEUES } from '../domain/taskQueues';
import { connectDb } from '../store/db';
import { addRule, upsertUsers } from '../store/users';
import { cleanUser } from '../domain/users';
import type { Logger } from '../ops/logger';
import { FIXTURE_FILINGS, houseIndexXml, senateListing, serveHouseIndex, usDate } from './demoData';
import type { FixtureSites } from './fixtureSites';
import type { SenateEfdSite } from './senateEfdSite';

export const DEMO_USER = 'demo@capitolscope.local';

/**
 * The alert demo on local copies of the upstream sites: a baseline sync (alerts nobody), a demo user
 * with a few rules, then new House and Senate filings appear and the next sync emails the user.
 */
export async function runDemo(opts: {
  config: Config;
  client: Client;
  sites: FixtureSites;
  senate: SenateEfdSite;
  mailDir: string;
  logger: Logger;
}): Promise<void> {
  const { config, client, sites, senate, logger } = opts;
  const say = (line: string) => process.stdout.write(`[demo] ${line}\n`);

  say('Upstream sites: the House index without Pelosi’s and Cohen’s January PTRs; one Senate PTR.');
  serveHouseIndex(sites, houseIndexXml({ without: [FIXTURE_FILINGS.pelosi, FIXTURE_FILINGS.cohen] }));
  senate.setRows([senateListing(FIXTURE_FILINGS.whitehouse, 'Sheldon', 'Whitehouse', usDate(2))]);
  const baseline = await sync(client, 'demo-baseline');
  say(`Baseline sync: ${describe(baseline)} (a first sync alerts nobody).`);
  say('(The local copy of the Clerk’s site holds 11 of the listed PDFs; the others stay "not posted yet".)');

  const db = await connectDb(config.databaseUrl!, 2);
  try {
    await upsertUsers(db, [cleanUser({ email: DEMO_USER, timezone: 'America/New_York', digest: 'instant' })]);
    for (const rule of [
      { member: 'Pelosi' },
      { ticker: 'HST', type: 'sale' },
      { chamber: 'senate', member: 'Rosen' },
    ]) {
      const r = await addRule(db, DEMO_USER, rule);
      say(`Demo user ${DEMO_USER} follows: ${r.label}`);
    }
  } finally {
    await db.end();
  }

  say('New filings appear: Pelosi’s and Cohen’s PTRs in the House index, Rosen’s PTR in the Senate search.');
  serveHouseIndex(sites, houseIndexXml());
  senate.addRow(senateListing(FIXTURE_FILINGS.rosenExchange, 'Jacklyn S', 'Rosen', usDate(0)));
  const second = await sync(client, 'demo-new-filings');
  say(`Second sync: ${describe(second)}.`);
  const mail = (await readdir(opts.mailDir)).filter((f) => f.endsWith('.eml')).sort();
  for (const f of mail) say(`Email written: ${join(opts.mailDir, f)}`);
  if (mail.length === 0) logger.warn('the demo sync sent no email');
}

async function sync(client: Client, id: string): Promise<TradeSyncSummary> {
  const handle = await client.workflow.start('TradeSyncWorkflow', {
    taskQueue: TASK_QUEUES.dataIngestion,
    workflowId: `${id}-${Date.now()}`,
    args: [{}],
  });
  return (await handle.result()) as TradeSyncSummary;
}

function describe(s: TradeSyncSummary): string {
  return (
    `${s.filings.new} new filings (${s.filings.parsed} parsed, ${s.filings.paper} paper, ` +
    `${s.filings.pending} not posted yet, ${s.filings.failed} failed), ${s.transactions} transactions, ` +
    `${s.notifications} notifications, ${s.emailsSent} emails`
  );
}
