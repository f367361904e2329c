import type { ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Client } from '@temporalio/client';
import { SenateEfdSite } from '../../devstack/senateEfdSite';
import { startLocalTemporal, type LocalTemporal } from '../../devstack/temporalServer';
import { loadConfig } from '../../domain/config';
import type { ParsedTransaction } from '../../domain/filing';
import type { TaskQueue } from '../../domain/taskQueues';
import { cleanUser } from '../../domain/users';
import { freePort } from '../../ops/listen';
import { connectClient } from '../../ops/temporalConnection';
import type { Db } from '../../store/db';
import { recordDiscoveredFilings } from '../../store/filingDiscovery';
import { storeParsedFiling } from '../../store/filingStorage';
import { upsertUsers } from '../../store/users';
import type { BenchPostgres } from '../benchPostgres';
import { forkScript, nextMessage } from './child';
import { processTree } from './processStats';
import { SmtpCounter } from './smtpCounterProcess';

export const BENCH_FROM = 'CapitolScope Bench <alerts@capitolscope.bench>';

/** The trade every benchmark user follows (by ticker): one alert email each. */
export const BENCH_TRADE: ParsedTransaction = {
  owner: 'self',
  assetName: 'NVIDIA Corporation - Common Stock',
  ticker: 'NVDA',
  assetType: 'Stock',
  transactionType: 'purchase',
  transactionDate: '2025-01-10',
  notificationDate: null,
  amountMin: 15001,
  amountMax: 50000,
  filingStatus: null,
  description: null,
  comment: null,
  subholdingOf: null,
};

/**
 * The real parts a delivery benchmark runs against, all on this machine: the Temporal dev server (eager
 * activity dispatch enabled, so that lever can be measured), PostgreSQL (the bench's), a counting SMTP
 * server and a Senate eFD site that lists nothing new. Workers are real processes started per run.
 */
export class BenchSystem {
  private constructor(
    readonly pg: BenchPostgres,
    readonly temporal: LocalTemporal,
    readonly client: Client,
    readonly smtp: SmtpCounter,
    readonly senate: SenateEfdSite,
    readonly senateUrl: string,
  ) {}

  static async start(pg: BenchPostgres): Promise<BenchSystem> {
    const temporal = await startLocalTemporal({
      port: await freePort(),
      uiPort: null,
      startTimeoutMs: 120_000,
      dynamicConfig: { 'system.enableActivityEagerExecution': true },
    });
    const client = await connectClient(loadConfig({ TEMPORAL_ADDRESS: temporal.address }).temporal);
    const smtp = await SmtpCounter.start();
    const senate = new SenateEfdSite({ rows: [] });
    const senateUrl = await senate.start();
    return new BenchSystem(pg, temporal, client, smtp, senate, senateUrl);
  }

  /** PostgreSQL's postmaster and backends, now. */
  postgresPids(): number[] {
    const pid = Number(readFileSync(join(this.pg.dir, 'postgres', 'postmaster.pid'), 'utf8').split('\n')[0]);
    return processTree(pid);
  }

  temporalPids(): number[] {
    return processTree(this.temporal.pid);
  }

  /** A fresh migrated database with `users` users who follow NVDA, and a new Senate filing with one NVDA trade. */
  async prepare(name: string, users: number): Promise<{ url: string; db: Db }> {
    const { url, db } = await this.pg.createDatabase(name);
    await upsertUsers(
      db,
      Array.from({ length: users }, (_, i) =>
        cleanUser({ email: `bench.user${i}@example.com`, rules: [{ ticker: 'NVDA' }] }),
      ),
    );
    const sourceId = `bench-${name}`;
    const [filingId] = await recordDiscoveredFilings(
      db,
      [
        {
          chamber: 'senate',
          sourceId,
          filerName: 'Jacklyn S Rosen',
          stateDistrict: null,
          year: 2025,
          filedDate: '2025-01-17',
          rawUrl: `https://efdsearch.senate.gov/search/view/ptr/${sourceId}/`,
          amendment: false,
          kind: null,
        },
      ],
      { baseline: false },
    );
    await storeParsedFiling(
      db,
      filingId!,
      {
        chamber: 'senate',
        filingId: sourceId,
        kind: 'electronic',
        filerName: 'Jacklyn S Rosen',
        stateDistrict: null,
        filedDate: '2025-01-17',
        amendment: false,
        transactions: [BENCH_TRADE],
      },
      `sha-${sourceId}`,
    );
    return { url, db };
  }

  /** The environment of a worker process against this system and database. */
  workerEnv(databaseUrl: string, extra: Record<string, string> = {}): Record<string, string> {
    return {
      DATABASE_URL: databaseUrl,
      TEMPORAL_ADDRESS: this.temporal.address,
      SMTP_URL: this.smtp.url,
      MAIL_FROM: BENCH_FROM,
      UNSUBSCRIBE_SECRET: 'bench-unsubscribe-secret-0123456789',
      PUBLIC_BASE_URL: 'https://alerts.capitolscope.bench',
      SENATE_EFD_BASE_URL: this.senateUrl,
      SENATE_REQUEST_INTERVAL_MS: '0',
      ALERT_MAX_FILING_AGE_DAYS: '0',
      LOG_LEVEL: 'warn',
      ...extra,
    };
  }

  /** A worker process (bench/fanout/worker.ts) serving `queues`, once it polls. */
  async startWorker(queues: TaskQueue[], env: Record<string, string>): Promise<ChildProcess> {
    const child = forkScript('./worker.ts', { ...env, BENCH_QUEUES: queues.join(',') });
    await nextMessage(
      child,
      (m): m is { ready: true } => typeof m === 'object' && m !== null && 'ready' in m,
      `the ${queues.join('+')} worker`,
    );
    return child;
  }

  /** The most events any workflow run whose id starts with `prefix` has. */
  async longestHistory(prefix: string): Promise<{ workflowId: string; events: number }> {
    let longest = { workflowId: '', events: 0 };
    for await (const w of this.client.workflow.list()) {
      if (!w.workflowId.startsWith(prefix)) continue;
      const d = await this.client.workflow.getHandle(w.workflowId, w.runId).describe();
      if (d.historyLength > longest.events) longest = { workflowId: w.workflowId, events: d.historyLength };
    }
    return longest;
  }

  async stop(): Promise<void> {
    await this.client.connection.close().catch(() => undefined);
    await this.smtp.stop().catch(() => undefined);
    await this.senate.stop().catch(() => undefined);
    await this.temporal.stop().catch(() => undefined);
  }
}
