import { mkdir, rm, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { loadConfig, type Config } from '../domain/config';
import { ALL_TASK_QUEUES } from '../domain/taskQueues';
import { scheduleTable } from '../domain/schedules';
import { applySchedules } from '../schedules/apply';
import type { Server } from 'node:http';
import { connectDb, type Db } from '../store/db';
import { migrate } from '../store/migrate';
import type { Logger } from '../ops/logger';
import { runWorkers } from '../workers/runWorkers';
import { connectClient } from '../ops/temporalConnection';
import { DEV_STACK_FILE, type DevStackInfo } from '../ops/devStackFile';
import { IMPLEMENTED_WORKFLOWS } from '../workers/registeredWorkflows';
import { terminalLogger } from './terminalLogger';
import { FixtureSites } from './fixtureSites';
import { serveCongressMembers } from './demoData';
import { devPorts } from './ports';
import { startLocalPostgres } from './postgres';
import { SmtpSink } from './smtpSink';
import { startLocalTemporal } from './temporalServer';
import { SenateEfdSite } from './senateEfdSite';
import { PriceSite } from './priceSite';
import { runDemo } from './demo';
import { listen } from '../ops/listen';

export interface DevStackOptions {
  demo: boolean;
  /**
   * The public endpoints (`capitolscope serve`), handed in by the command that starts the stack: the
   * stack runs what the commands run without depending on cli/.
   */
  createPublicServer: (deps: { config: Config; db: Db; logger: Logger }) => Server;
}

/**
 * The whole system on one machine with embedded defaults: PostgreSQL, the Temporal dev server and
 * Web UI, an SMTP server that files every message under `.data/mail/`, migrations, schedules and all
 * workers; with `demo`, local copies of the upstream sites too. Stops everything on Ctrl-C.
 */
export async function runDevStack(opts: DevStackOptions): Promise<void> {
  const env = process.env;
  const ports = devPorts(env);
  // Other commands find the stack through this file, demo or not (cliConfig reads DATA_DIR).
  const stackFile = join(resolve(env.DATA_DIR || '.data'), DEV_STACK_FILE);
  // The demo keeps its own data, started afresh each time, so it always shows the same story.
  const dataDir = resolve(env.DATA_DIR || '.data', ...(opts.demo ? ['demo'] : []));
  if (opts.demo) await rm(dataDir, { recursive: true, force: true });
  const logger = await terminalLogger(env.LOG_LEVEL || 'info', 'capitolscope-dev');
  await mkdir(join(dataDir, 'mail'), { recursive: true });
  const stops: { name: string; stop: () => Promise<unknown> }[] = [];
  const onStop = (name: string, stop: () => Promise<unknown>) => stops.push({ name, stop });
  const stopAll = async () => {
    for (const { name, stop } of stops.reverse()) {
      logger.info(`stopping ${name}`);
      await stop().catch((err: Error) => logger.warn({ err }, `stopping ${name} failed`));
    }
  };
  const stop = stopRequests((reason) => logger.info(`stop requested (${reason})`));
  /** Between start-up steps: a stop asked for meanwhile ends start-up, and what started is stopped. */
  const step = () => {
    if (stop.signal.aborted) throw new StopRequested();
  };

  try {
    const overrides: Record<string, string> = {};
    if (!env.DATABASE_URL) {
      logger.info('starting embedded PostgreSQL');
      const pg = await startLocalPostgres({ dataDir: join(dataDir, 'postgres'), port: ports.postgres });
      onStop('PostgreSQL', pg.stop);
      overrides.DATABASE_URL = pg.url;
    }
    step();
    logger.info('starting the Temporal dev server');
    const temporal = await startLocalTemporal({
      port: ports.temporal,
      uiPort: ports.temporalUi,
      dbFile: join(dataDir, 'temporal.db'),
      log: (line) => logger.debug({ component: 'temporal-server' }, line),
    });
    onStop('the Temporal dev server', temporal.stop);
    overrides.TEMPORAL_ADDRESS = temporal.address;
    step();
    if (!env.SMTP_URL) {
      const sink = new SmtpSink({ folder: join(dataDir, 'mail') });
      const { url } = await sink.start(ports.smtp);
      onStop('the SMTP server', () => sink.stop());
      overrides.SMTP_URL = url;
    }
    if (!env.UNSUBSCRIBE_SECRET) overrides.UNSUBSCRIBE_SECRET = 'local-development-secret-not-for-production';
    let demoSites: { sites: FixtureSites; senate: SenateEfdSite } | null = null;
    if (opts.demo) {
      const sites = new FixtureSites();
      await sites.start(ports.fixtures);
      onStop('the local upstream sites', () => sites.stop());
      serveCongressMembers(sites);
      const senate = new SenateEfdSite({ rows: [] });
      const senateUrl = await senate.start(ports.senate);
      onStop('the local Senate eFD site', () => senate.stop());
      const prices = new PriceSite();
      await prices.start(ports.prices);
      onStop('the local price site', () => prices.stop());
      demoSites = { sites, senate };
      Object.assign(overrides, {
        HOUSE_CLERK_BASE_URL: sites.url('house'),
        CONGRESS_API_BASE_URL: sites.url('congress'),
        ...prices.env(false),
        SENATE_EFD_BASE_URL: senateUrl,
        SENATE_REQUEST_INTERVAL_MS: '50',
        // The shared filings are from 2025: read that year's index, and alert on them although they are old.
        HOUSE_INDEX_YEARS: '2025',
        ALERT_MAX_FILING_AGE_DAYS: '0',
      });
    }
    const config: Config = loadConfig({ ...overrides, ...stripEmpty(env), ...pick(overrides, opts.demo) });
    const db = await connectDb(config.databaseUrl!);
    await migrate(db);
    await db.end();
    const client = await connectClient(config.temporal);
    onStop('the Temporal client', () => client.connection.close());
    const applied = await applySchedules(client, scheduleTable(config.schedules), {
      timezone: config.schedules.timezone,
      implementedWorkflows: IMPLEMENTED_WORKFLOWS,
    });
    logger.info({ schedules: applied }, 'schedules applied');
    step();
    const stackInfo: DevStackInfo = {
      databaseUrl: config.databaseUrl!,
      temporalAddress: config.temporal.address,
      smtpUrl: config.mail.smtpUrl,
      env: overrides,
    };
    await writeFile(stackFile, JSON.stringify(stackInfo, null, 2));
    onStop('the stack file', () => rm(stackFile, { force: true }));
    const publicDb = await connectDb(config.databaseUrl!);
    const publicServer = opts.createPublicServer({ config, db: publicDb, logger });
    await listen(publicServer, 'the public endpoints (HTTP_PORT)', config.httpPort, '127.0.0.1');
    onStop('the public endpoints', async () => {
      await new Promise<void>((ok) => publicServer.close(() => ok()));
      await publicDb.end();
    });
    step();
    const workers = await runWorkers({ config, queues: [...ALL_TASK_QUEUES], logger });
    // Workers drain first (in-flight activities finish while the database is still up); stopAll follows.
    onAbort(stop.signal, () => void workers.shutdown());
    process.stdout.write(
      [
        '',
        'CapitolScope is running locally.',
        `  Temporal Web UI:  ${temporal.uiUrl}`,
        `  Temporal server:  ${temporal.address} (namespace ${config.temporal.namespace})`,
        `  PostgreSQL:       ${config.databaseUrl!.replace(/:[^:@/]+@/, ':***@')}`,
        `  Mail folder:      ${join(dataDir, 'mail')} (SMTP ${config.mail.smtpUrl})`,
        `  Worker health:    http://127.0.0.1:${workers.statusPort}/healthz`,
        `  Public endpoints: ${config.publicBaseUrl}/unsubscribe, ${config.publicBaseUrl}/healthz`,
        '  Other commands (npx capitolscope status, schedules list, ...) find this stack by themselves.',
        '  Press Ctrl-C to stop.',
        '',
      ].join('\n'),
    );
    if (demoSites) {
      // Ctrl-C during the demo stops the workers; the demo must not wait for them forever.
      const stopped = await Promise.race([
        runDemo({ config, client, ...demoSites, mailDir: join(dataDir, 'mail'), logger }).then(() => false),
        workers.done.then(() => true),
      ]);
      if (!stopped)
        process.stdout.write(
          `[demo] Done. The stack keeps running: open ${temporal.uiUrl} to see the runs. Ctrl-C stops it.\n`,
        );
    }
    await workers.done;
  } catch (err) {
    if (!(err instanceof StopRequested)) throw err;
  } finally {
    await stopAll();
    stop.dispose();
    logger.info('local stack stopped');
  }
}

class StopRequested extends Error {}

/**
 * Ctrl-C (SIGINT), SIGTERM, SIGHUP, or the supervising `capitolscope dev` process going away (its IPC
 * channel closes), as one abort signal.
 */
function stopRequests(onRequest: (reason: string) => void): { signal: AbortSignal; dispose(): void } {
  const controller = new AbortController();
  const request = (reason: string) => () => {
    if (controller.signal.aborted) return;
    onRequest(reason);
    controller.abort();
  };
  const handlers = new Map<string, () => void>(
    ['SIGINT', 'SIGTERM', 'SIGHUP', 'disconnect'].map((event) => [event, request(event)]),
  );
  for (const [event, handler] of handlers) process.on(event as NodeJS.Signals, handler);
  return {
    signal: controller.signal,
    dispose: () => {
      for (const [event, handler] of handlers) process.off(event as NodeJS.Signals, handler);
    },
  };
}

function onAbort(signal: AbortSignal, fn: () => void): void {
  if (signal.aborted) fn();
  else signal.addEventListener('abort', fn, { once: true });
}

function stripEmpty(env: Record<string, string | undefined>): Record<string, string> {
  return Object.fromEntries(Object.entries(env).filter((e): e is [string, string] => Boolean(e[1])));
}

/** In the demo the local upstream sites win over any configured real ones. */
function pick(overrides: Record<string, string>, demo: boolean): Record<string, string> {
  if (!demo) return {};
  return Object.fromEntries(Object.entries(overrides).filter(([k]) => k.endsWith('_BASE_URL')));
}
