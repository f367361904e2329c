import { formatDuration } from './adminAlerts';
import {
  classifyAbove,
  round1,
  type HealthCheckResult,
  type HealthStatus,
  type HealthThreshold,
} from './health';

/**
 * How each measurement becomes a check result: status against its limits, a reason in a sentence,
 * and what to do. Pure, so every rule is tested without a disk, a database or a server.
 */

const GiB = 2 ** 30;
const MINUTE = 60_000;

export function assessDisk(
  u: {
    path: string;
    usedPercent: number;
    freeBytes: number;
    inodesUsedPercent: number | null;
    freeInodes: number | null;
  },
  limits: HealthThreshold,
): HealthCheckResult[] {
  const space: HealthCheckResult = {
    name: `disk:${u.path}`,
    status: classifyAbove(u.usedPercent, limits),
    value: round1(u.usedPercent),
    unit: 'percent',
    threshold: limits,
    detail: `${u.path}: ${round1(u.usedPercent)}% used, ${round1(u.freeBytes / GiB)} GiB free`,
    action: `Free space on the file system of ${u.path} (old backups, logs) or grow it`,
  };
  const inodes: HealthCheckResult =
    u.inodesUsedPercent === null
      ? {
          name: `inodes:${u.path}`,
          status: 'ok',
          value: null,
          unit: 'percent',
          threshold: null,
          detail: `${u.path}: the file system does not report inodes`,
        }
      : {
          name: `inodes:${u.path}`,
          status: classifyAbove(u.inodesUsedPercent, limits),
          value: round1(u.inodesUsedPercent),
          unit: 'percent',
          threshold: limits,
          detail: `${u.path}: ${round1(u.inodesUsedPercent)}% of inodes used, ${u.freeInodes} free`,
          action: `Delete small files on the file system of ${u.path} (old mail or log files)`,
        };
  return [space, inodes];
}

export function missingDisk(path: string, error: string): HealthCheckResult[] {
  return [
    {
      name: `disk:${path}`,
      status: 'critical',
      value: null,
      unit: 'percent',
      threshold: null,
      detail: `${path} cannot be read: ${error}`,
      action: 'Create or mount the folder, or correct HEALTH_DISK_PATHS on the health-checks worker',
    },
  ];
}

export function assessMemory(
  m: { total: number; available: number; container: boolean },
  limits: HealthThreshold,
): HealthCheckResult {
  const used = m.total > 0 ? 100 * (1 - m.available / m.total) : 0;
  return {
    name: 'memory',
    status: classifyAbove(used, limits),
    value: round1(used),
    unit: 'percent',
    threshold: limits,
    detail: `${round1(used)}% used, ${round1(m.available / GiB)} GiB available of ${round1(m.total / GiB)} GiB (${m.container ? 'container limit' : 'host'})`,
    action: 'Find the process using the memory (top, docker stats); give the host or container more memory',
  };
}

export interface DatabaseLimits {
  latencyMs: HealthThreshold;
  connectionsPercent: HealthThreshold;
  transactionMs: HealthThreshold;
  sizeGb: HealthThreshold;
}

/** What the database health check measures, in one round of queries. */
export interface DatabaseMeasures {
  roundTripMs: number;
  connections: number;
  /** Connections ordinary roles may use: max_connections less those reserved for superusers. */
  maxConnections: number;
  /** Age of the oldest open transaction in this database (other than ours), in ms; null when none. */
  oldestTransactionMs: number | null;
  oldestTransactionQuery: string | null;
  sizeBytes: number;
}

export function assessDatabase(d: DatabaseMeasures, limits: DatabaseLimits): HealthCheckResult[] {
  const connectionsPercent = d.maxConnections > 0 ? (100 * d.connections) / d.maxConnections : 100;
  const oldest = d.oldestTransactionMs ?? 0;
  const sizeGb = d.sizeBytes / GiB;
  return [
    {
      name: 'database',
      status: classifyAbove(d.roundTripMs, limits.latencyMs),
      value: round1(d.roundTripMs),
      unit: 'ms',
      threshold: limits.latencyMs,
      detail: `round trip ${round1(d.roundTripMs)} ms`,
      action: 'Check the database server (load, disk) and the network to it',
    },
    {
      name: 'database:connections',
      status: classifyAbove(connectionsPercent, limits.connectionsPercent),
      value: round1(connectionsPercent),
      unit: 'percent',
      threshold: limits.connectionsPercent,
      detail: `${d.connections} of ${d.maxConnections} connections in use`,
      action:
        'Raise max_connections (20 per worker process + 20), or find the client holding connections: SELECT application_name, client_addr, count(*) FROM pg_stat_activity GROUP BY 1, 2',
    },
    {
      name: 'database:oldest-transaction',
      status: classifyAbove(oldest, limits.transactionMs),
      value: round1(oldest / MINUTE),
      unit: 'min',
      threshold: toMinutes(limits.transactionMs),
      detail:
        d.oldestTransactionMs === null
          ? 'no transaction open'
          : `the oldest open transaction started ${formatDuration(oldest)} ago: ${d.oldestTransactionQuery ?? ''}`.trim(),
      action:
        'Find it with SELECT pid, xact_start, state, query FROM pg_stat_activity ORDER BY xact_start; end it with pg_terminate_backend(pid) if it is stuck',
    },
    {
      name: 'database:size',
      status: classifyAbove(sizeGb, limits.sizeGb),
      value: Math.round(sizeGb * 1000) / 1000,
      unit: 'GiB',
      threshold: limits.sizeGb.warning === null && limits.sizeGb.critical === null ? null : limits.sizeGb,
      detail: `database size ${round1(d.sizeBytes / 2 ** 20)} MiB`,
      action: 'Prune old data (weekly-cleanup) or give the database more room',
    },
  ];
}

export function assessSmtp(p: {
  ok: boolean;
  latencyMs: number;
  relay: string;
  error: string | null;
}): HealthCheckResult {
  return {
    name: 'smtp',
    status: p.ok ? 'ok' : 'critical',
    value: round1(p.latencyMs),
    unit: 'ms',
    threshold: null,
    detail: p.ok
      ? `${p.relay} greets and accepts our session`
      : `${p.relay} does not accept a session: ${p.error}`,
    action: 'Check the relay and SMTP_URL; alert emails wait (and are retried) until it answers',
  };
}

export interface QueueLimits {
  backlog: HealthThreshold;
  taskAgeMs: HealthThreshold;
}

/**
 * A queue with no worker is a warning the first time (a worker restarting), critical when the
 * previous run found none either.
 */
export function assessTaskQueue(
  q: {
    name: string;
    workflowPollers: number;
    activityPollers: number;
    backlog: number;
    oldestTaskAgeMs: number;
  },
  previousPollersStatus: HealthStatus | undefined,
  limits: QueueLimits,
): HealthCheckResult[] {
  const pollers = Math.min(q.workflowPollers, q.activityPollers);
  const noneBefore = previousPollersStatus !== undefined && previousPollersStatus !== 'ok';
  const pollersStatus: HealthStatus = pollers > 0 ? 'ok' : noneBefore ? 'critical' : 'warning';
  const missing = [q.workflowPollers === 0 && 'workflow', q.activityPollers === 0 && 'activity'].filter(
    Boolean,
  );
  return [
    {
      name: `queue:${q.name}:pollers`,
      status: pollersStatus,
      value: pollers,
      unit: 'pollers',
      threshold: null,
      detail:
        pollers > 0
          ? `${q.workflowPollers} workflow and ${q.activityPollers} activity pollers`
          : `no worker polls ${q.name} for ${missing.join(' and ')} tasks${noneBefore ? ' (nor at the previous check)' : ''}`,
      action: `Start a worker: capitolscope worker --queue ${q.name} (systemd: systemctl start capitolscope-worker@${q.name})`,
    },
    {
      name: `queue:${q.name}:backlog`,
      status: classifyAbove(q.backlog, limits.backlog),
      value: q.backlog,
      unit: 'tasks',
      threshold: limits.backlog,
      detail: `${q.backlog} tasks waiting for a worker`,
      action: `Add workers for ${q.name}, or find why they are slow: capitolscope status; temporal task-queue describe --task-queue ${q.name}`,
    },
    {
      name: `queue:${q.name}:oldest-task`,
      status: classifyAbove(q.oldestTaskAgeMs, limits.taskAgeMs),
      value: round1(q.oldestTaskAgeMs / 1000),
      unit: 's',
      threshold: { warning: seconds(limits.taskAgeMs.warning), critical: seconds(limits.taskAgeMs.critical) },
      detail:
        q.oldestTaskAgeMs > 0
          ? `the oldest task has waited ${formatDuration(q.oldestTaskAgeMs)}`
          : 'no task waiting',
      action: `Check that the ${q.name} workers run and keep up: capitolscope status`,
    },
  ];
}

/** Runs that ended without success, counted among the latest few. */
const FAILED_OUTCOMES = new Set(['failed', 'timed_out', 'terminated']);

/**
 * A schedule whose latest finished run failed is a warning; when all its latest runs failed, critical.
 * A paused schedule is reported (ok: someone chose it), with the note they left.
 */
export function assessSchedule(s: {
  id: string;
  paused: boolean;
  note: string | null;
  recentRuns: { workflowId: string; outcome: string }[];
}): HealthCheckResult {
  const finished = s.recentRuns.filter((r) => r.outcome !== 'running' && r.outcome !== 'other');
  const failed = finished.filter((r) => FAILED_OUTCOMES.has(r.outcome));
  const latest = finished[0];
  const latestFailed = latest !== undefined && FAILED_OUTCOMES.has(latest.outcome);
  const allFailed = finished.length >= 2 && failed.length === finished.length;
  const status: HealthStatus = allFailed ? 'critical' : latestFailed ? 'warning' : 'ok';
  const paused = s.paused ? `paused${s.note ? ` (${s.note})` : ''}; ` : '';
  const runs = latestFailed
    ? `${failed.length} of the last ${finished.length} runs did not complete; the latest, ${latest.workflowId}, ${latest.outcome.replace('_', ' ')}`
    : finished.length
      ? `the latest run completed`
      : 'no finished run yet';
  return {
    name: `schedule:${s.id}`,
    status,
    value: failed.length,
    unit: 'failed runs',
    threshold: null,
    detail: `${paused}${runs}`,
    action: latestFailed
      ? `See why: temporal workflow show --workflow-id '${latest.workflowId}' (or the Web UI); capitolscope schedules describe ${s.id}`
      : `capitolscope schedules describe ${s.id}`,
  };
}

/** Warning at twice the trade-sync interval without a successful sync, critical at six times. */
export function assessSourceSync(
  source: string,
  lastSuccessAt: Date | null,
  now: Date,
  tradeSyncIntervalMs: number,
): HealthCheckResult {
  const threshold = {
    warning: (2 * tradeSyncIntervalMs) / MINUTE,
    critical: (6 * tradeSyncIntervalMs) / MINUTE,
  };
  const action = `Look at the latest trade-sync runs (capitolscope status; the Web UI) and the upstream check upstream:${source === 'house' ? 'house-clerk' : 'senate-efd'}; capitolscope sync --source ${source} --wait runs one now`;
  if (!lastSuccessAt) {
    return {
      name: `source:${source}`,
      status: 'warning',
      value: null,
      unit: 'min',
      threshold,
      detail: `${source} has never synced successfully`,
      action,
    };
  }
  const ageMin = (now.getTime() - lastSuccessAt.getTime()) / MINUTE;
  return {
    name: `source:${source}`,
    status: classifyAbove(ageMin, threshold),
    value: round1(ageMin),
    unit: 'min',
    threshold,
    detail: `last successful sync ${formatDuration(now.getTime() - lastSuccessAt.getTime())} ago`,
    action,
  };
}

export function assessFilings(
  b: { stuck: number; oldestStuckAt: Date | null; failedSince: number; failedTotal: number },
  limits: { failed: HealthThreshold },
  stuckAfterMs: number,
): HealthCheckResult[] {
  return [
    {
      name: 'filings:stuck',
      status: b.stuck > 0 ? 'warning' : 'ok',
      value: b.stuck,
      unit: 'filings',
      threshold: { warning: 1, critical: null },
      detail:
        b.stuck > 0
          ? `${b.stuck} filings still waiting to be fetched ${formatDuration(stuckAfterMs)} after they were listed`
          : 'no filing waits longer than two sync intervals',
      action: 'capitolscope filings list --status discovered; capitolscope sync --wait ingests them now',
    },
    {
      name: 'filings:failed',
      status: classifyAbove(b.failedSince, limits.failed),
      value: b.failedSince,
      unit: 'filings',
      threshold: limits.failed,
      detail: `${b.failedSince} filings failed in the last day (${b.failedTotal} failed in all)`,
      action:
        'capitolscope filings list --status failed shows why; after a fix, capitolscope filings retry --all-failed',
    },
  ];
}

export function assessNotifications(
  n: { failedSince: number; failedTotal: number; lastError: string | null },
  limits: HealthThreshold,
): HealthCheckResult {
  return {
    name: 'notifications:failed',
    status: classifyAbove(n.failedSince, limits),
    value: n.failedSince,
    unit: 'notifications',
    threshold: limits,
    detail: `${n.failedSince} alert notifications failed in the last day (${n.failedTotal} in all)${n.lastError ? `; latest error: ${n.lastError}` : ''}`,
    action:
      'capitolscope notifications list --status failed shows why; once the relay works, capitolscope notifications retry --all-failed',
  };
}

/** An upstream that does not answer as expected is critical; one slower than the limit, a warning. */
export function assessUpstream(
  name: string,
  p: {
    ok: boolean;
    latencyMs: number;
    detail: string;
    rateLimitRemaining?: number | null;
    rateLimitLimit?: number | null;
  },
  latencyWarningMs: number,
  action: string,
): HealthCheckResult {
  const lowRate =
    p.ok &&
    p.rateLimitRemaining != null &&
    p.rateLimitLimit != null &&
    p.rateLimitRemaining < p.rateLimitLimit * 0.1;
  const slow = p.ok && p.latencyMs >= latencyWarningMs;
  const status: HealthStatus = !p.ok ? 'critical' : slow || lowRate ? 'warning' : 'ok';
  const notes = [
    slow && `slow: ${Math.round(p.latencyMs)} ms`,
    lowRate && 'under 10% of the rate limit left',
  ].filter(Boolean);
  return {
    name: `upstream:${name}`,
    status,
    value: round1(p.latencyMs),
    unit: 'ms',
    threshold: { warning: latencyWarningMs, critical: null },
    detail: `${p.detail}${notes.length ? ` (${notes.join('; ')})` : ''}`,
    action,
  };
}

function toMinutes(t: HealthThreshold): HealthThreshold {
  return {
    warning: t.warning === null ? null : t.warning / MINUTE,
    critical: t.critical === null ? null : t.critical / MINUTE,
  };
}

function seconds(ms: number | null): number | null {
  return ms === null ? null : ms / 1000;
}
