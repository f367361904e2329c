import type { ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { TASK_QUEUES, type TaskQueue } from '../../domain/taskQueues';
import type { FanOutResult } from '../../domain/notifications';
import type { TradeSyncSummary } from '../../domain/sync';
import { renderAlertEmail } from '../../mail/renderAlert';
import { listUnsubscribeHeaders } from '../../mail/mailer';
import { signUnsubscribeToken, unsubscribeUrl } from '../../mail/unsubscribeToken';
import { matchUnmatchedFilings } from '../../store/matching';
import type { BenchPostgres } from '../benchPostgres';
import { mib, type Measurement } from '../measurement';
import { stopChild } from '../../ops/stopChild';
import { forkScript, nextMessage } from './child';
import { ProcessMeter } from './processStats';
import type { RawLoopJob, RawLoopReport } from './rawLoop';
import { BENCH_FROM, BENCH_TRADE, BenchSystem } from './system';
import type { BenchFanOutInput } from './workflows';

const SECTION = 'Fan-out';
const benchRequire = (file: string) => `--require ${fileURLToPath(new URL(file, import.meta.url))}`;
const UNTIMED_SANDBOX = benchRequire('./untimedSandbox.cjs');
const NO_PROMISE_STACKS = benchRequire('./noPromiseStacks.cjs');

export interface FanOutOptions {
  /** Users alerted per run (default 5,000). */
  users: number;
  /** Which levers to also measure on their own, by label (a few more runs each). */
  levers: (label: string) => boolean;
  progress: (what: string) => void;
}

interface RunFigures {
  label: string;
  wallMs: number;
  /** From the workflow's start to the first email accepted (discovery, matching, planning). */
  firstEmailMs: number;
  rate: number;
  cpuSeconds: Record<string, number>;
  peakRssBytes: Record<string, number>;
  longestHistory: number;
  emails: number;
  duplicates: number;
  bytesPerEmail: number;
}

/**
 * N users alerted through the real system (Temporal dev server, worker processes, PostgreSQL, a real
 * SMTP server), from the workflow's start to the last email the server accepted, side by side with a
 * raw pooled nodemailer loop sending as many messages of the same size with the same pool size to the
 * same server. The raw loop runs before and after, and the system is compared with their mean.
 */
export async function benchFanOut(pg: BenchPostgres, opts: FanOutOptions): Promise<Measurement[]> {
  const rows: Measurement[] = [];
  const add = (name: string, value: number | string, unit: string) =>
    rows.push({ section: SECTION, name, value, unit });
  const sys = await BenchSystem.start(pg);
  let run = 0;
  try {
    const raw = async (poolSize: number) => {
      opts.progress(`raw nodemailer loop, ${opts.users} messages, pool ${poolSize}`);
      return rawLoop(sys, opts.users, poolSize);
    };
    const system = async (label: string, design: Design, env: Record<string, string> = {}, workers = 1) => {
      opts.progress(`${label}: ${opts.users} users`);
      return systemRun(sys, `r${++run}`, opts.users, label, design, env, workers);
    };

    const rawBefore = await raw(5);
    const sync = await system('sync → last email (production design, pool 5)', 'sync');
    const rawAfter = await raw(5);
    const rawRate = (rawBefore.rate + rawAfter.rate) / 2;
    add('users alerted (one email each)', opts.users, 'users');
    add(
      'raw pooled nodemailer loop, pool 5 (before / after)',
      `${fmt(rawBefore.rate)} / ${fmt(rawAfter.rate)}`,
      'emails/s',
    );
    add('system: sync → last email accepted', sync.wallMs / 1000, 's');
    add('system rate', sync.rate, 'emails/s');
    add('of which: sync start → first email (discover, match, plan)', sync.firstEmailMs / 1000, 's');
    add(
      'rate from the first email to the last',
      (opts.users - 1) / ((sync.wallMs - sync.firstEmailMs) / 1000),
      'emails/s',
    );
    add('system rate ÷ raw loop rate (target ≥ 0.5)', sync.rate / rawRate, '×');
    add(
      'emails accepted / distinct Message-IDs',
      `${sync.emails} / ${sync.emails - sync.duplicates}`,
      'emails',
    );
    add(
      'message size: system / raw loop',
      `${fmt(sync.bytesPerEmail)} / ${fmt(rawBefore.bytesPerEmail)}`,
      'bytes',
    );
    for (const [group, cpu] of Object.entries(sync.cpuSeconds)) add(`CPU: ${group}`, cpu, 's');
    const total = Object.values(sync.cpuSeconds).reduce((a, b) => a + b, 0);
    add('CPU per alerted user, all processes', (1000 * total) / opts.users, 'ms');
    add(
      'CPU of the raw loop and SMTP server per message',
      (1000 * (rawBefore.cpuSeconds.raw! + rawBefore.cpuSeconds.smtp!)) / opts.users,
      'ms',
    );
    for (const [group, bytes] of Object.entries(sync.peakRssBytes)) {
      if (group.includes('worker')) add(`peak RSS: ${group}`, mib(bytes), 'MiB');
    }
    add('longest workflow history', sync.longestHistory, 'events');

    // [label, design, worker env, notifications worker processes (1 unless given)]
    const levers: [string, Design, Record<string, string>, number?][] = [
      ['one regular activity per user (before)', 'activity', {}],
      ['… with eager activity dispatch', 'activity-eager', {}],
      ['local activity per user (production)', 'local', {}],
      ['local, SMTP pool 2', 'local', { SMTP_POOL_SIZE: '2' }],
      ['local, SMTP pool 10', 'local', { SMTP_POOL_SIZE: '10' }],
      ['local, 60 sends at once (default 40)', 'local', { NOTIFICATION_CONCURRENCY: '60' }],
      ['local, 8 sends at once (default 40)', 'local', { NOTIFICATION_CONCURRENCY: '8' }],
      ['local, workflow cache 20 (default 200)', 'local', { WORKFLOW_CACHE_SIZE: '20' }],
      ['local, two notifications worker processes, pool 5 each', 'local', {}, 2],
      // Not a setting of ours: the SDK's own cost per activation, removed by the bench (see the file).
      ['local, workflow sandbox entered without a timeout', 'local', { NODE_OPTIONS: UNTIMED_SANDBOX }],
      ['local, no stack capture per workflow promise', 'local', { NODE_OPTIONS: NO_PROMISE_STACKS }],
      [
        'local, neither: no stack capture, sandbox without a timeout',
        'local',
        { NODE_OPTIONS: `${NO_PROMISE_STACKS} ${UNTIMED_SANDBOX}` },
      ],
    ];
    for (const [label, design, env, workers = 1] of levers.filter(([label]) => opts.levers(label))) {
      // The raw loop right before and after each run, with as many connections as the workers
      // have together: the machine's load drifts.
      const pool = Number(env.SMTP_POOL_SIZE ?? 5) * workers;
      const before = await raw(pool);
      const r = await system(label, design, env, workers);
      const after = await raw(pool);
      const baseline = (before.rate + after.rate) / 2;
      add(
        `lever: ${label}`,
        `${fmt(r.rate)} emails/s = ${(r.rate / baseline).toFixed(2)}× raw (${fmt(before.rate)}/${fmt(after.rate)}); ` +
          `CPU ${fmt((sumCpu(r) * 1000) / opts.users)} ms/user; history ≤ ${r.longestHistory}; ` +
          `notifications worker peak ${fmt(mib(r.peakRssBytes['notifications worker'] ?? 0))} MiB`,
        '',
      );
    }
  } finally {
    await sys.stop();
  }
  return rows;
}

type Design = 'sync' | BenchFanOutInput['design'];

function sumCpu(r: RunFigures): number {
  return Object.values(r.cpuSeconds).reduce((a, b) => a + b, 0);
}

function fmt(n: number): string {
  return n >= 100 ? n.toFixed(0) : n.toFixed(1);
}

/** One alert email as the system sends it (same trade, same headers), for the raw loop. */
function sampleMessage(): RawLoopJob['message'] {
  const link = unsubscribeUrl(
    'https://alerts.capitolscope.bench',
    signUnsubscribeToken('12345', 'bench-unsubscribe-secret-0123456789'),
  );
  const email = renderAlertEmail({
    user: { email: 'bench.user0@example.com', timezone: 'America/New_York' },
    kind: 'instant',
    trades: [
      {
        ...BENCH_TRADE,
        notificationId: '1',
        memberName: 'Jacklyn S Rosen',
        chamber: 'senate',
        stateDistrict: null,
        party: null,
        filedDate: '2025-01-17',
        filingUrl: 'https://efdsearch.senate.gov/search/view/ptr/bench-r1/',
        reasons: ['Matches your rule: ticker NVDA'],
      },
    ],
    unsubscribeUrl: link,
    generatedAt: new Date().toISOString(),
  });
  return { ...email, headers: listUnsubscribeHeaders(link) };
}

async function rawLoop(sys: BenchSystem, count: number, poolSize: number): Promise<RunFigures> {
  await sys.smtp.reset();
  const child = forkScript('./rawLoop.ts');
  const meter = new ProcessMeter({ raw: () => [child.pid!], smtp: () => [sys.smtp.pid] });
  meter.start();
  const report = nextMessage(
    child,
    (m): m is { report?: RawLoopReport; error?: string } =>
      typeof m === 'object' && m !== null && ('report' in m || 'error' in m),
    'the raw loop',
  );
  child.send({
    smtpUrl: sys.smtp.url,
    from: BENCH_FROM,
    count,
    poolSize,
    message: sampleMessage(),
  } satisfies RawLoopJob);
  const answer = await report;
  const usage = meter.stop();
  await stopChild(child, 15_000);
  if (!answer.report) throw new Error(`raw loop failed: ${answer.error}`);
  const stats = await sys.smtp.stats();
  if (stats.count !== count) throw new Error(`raw loop: the server accepted ${stats.count} of ${count}`);
  return {
    label: 'raw',
    wallMs: answer.report.wallMs,
    firstEmailMs: 0,
    rate: count / (answer.report.wallMs / 1000),
    ...usage,
    longestHistory: 0,
    emails: stats.count,
    duplicates: stats.count - stats.distinct,
    bytesPerEmail: stats.bytes / stats.count,
  };
}

/**
 * One run of the system: a fresh database with `users` users and a new filing, fresh worker
 * processes, then the sync (or the fan-out alone, its notifications matched beforehand) until the
 * SMTP server has accepted one email per user.
 */
async function systemRun(
  sys: BenchSystem,
  id: string,
  users: number,
  label: string,
  design: Design,
  env: Record<string, string>,
  notificationWorkers = 1,
): Promise<RunFigures> {
  const { url, db } = await sys.prepare(`fanout_${id}`, users);
  const syncId = `bench-${id}`;
  if (design !== 'sync') {
    const matched = await matchUnmatchedFilings(db, { syncId, maxFilingAgeDays: 0 });
    if (matched.notifications !== users)
      throw new Error(`${label}: matched ${matched.notifications} of ${users}`);
  }
  const workerEnv = sys.workerEnv(url, env);
  const workers: [string, ChildProcess][] = [];
  for (let i = 1; i <= notificationWorkers; i++) {
    const name = i === 1 ? 'notifications worker' : `notifications worker ${i}`;
    workers.push([name, await sys.startWorker([TASK_QUEUES.notifications], workerEnv)]);
  }
  if (design === 'sync') {
    const queues: TaskQueue[] = [TASK_QUEUES.dataIngestion];
    workers.push(['ingestion worker', await sys.startWorker(queues, workerEnv)]);
  }
  try {
    await sys.smtp.reset();
    const meter = new ProcessMeter({
      'Temporal server': () => sys.temporalPids(),
      PostgreSQL: () => sys.postgresPids(),
      'SMTP server': () => [sys.smtp.pid],
      ...Object.fromEntries(workers.map(([name, child]) => [name, () => [child.pid!]])),
      'benchmark process (client)': () => [process.pid],
    });
    meter.start();
    const started = Date.now();
    const handle =
      design === 'sync'
        ? await sys.client.workflow.start('TradeSyncWorkflow', {
            taskQueue: TASK_QUEUES.dataIngestion,
            workflowId: syncId,
            args: [{ sources: ['senate'] }],
          })
        : await sys.client.workflow.start('BenchFanOutWorkflow', {
            taskQueue: TASK_QUEUES.notifications,
            workflowId: syncId,
            args: [{ syncId, design } satisfies BenchFanOutInput],
          });
    const stats = await sys.smtp.waitFor(users);
    const result = (await handle.result()) as TradeSyncSummary | FanOutResult;
    const usage = meter.stop();
    if (result.emailsSent !== users) throw new Error(`${label}: ${result.emailsSent} emails of ${users}`);
    const after = await sys.smtp.stats();
    const sent = await db.query(`SELECT count(*)::int AS n FROM notifications WHERE status = 'sent'`);
    if (sent.rows[0].n !== users)
      throw new Error(`${label}: ${sent.rows[0].n} notifications sent of ${users}`);
    const wallMs = stats.lastAt! - started;
    return {
      label,
      wallMs,
      firstEmailMs: stats.firstAt! - started,
      rate: users / (wallMs / 1000),
      ...usage,
      longestHistory: (await sys.longestHistory(syncId)).events,
      emails: after.count,
      duplicates: after.count - after.distinct,
      bytesPerEmail: after.bytes / after.count,
    };
  } finally {
    for (const [, child] of workers) await stopChild(child, 15_000);
    await db.end();
  }
}
