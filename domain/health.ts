/**
 * Health checks: what a check reports, how a measurement is classified, and the contracts of the
 * health workflows (SystemHealthWorkflow, UpstreamHealthWorkflow) with their activities. Any workflow
 * may report checks of its own (a backup, an SMTP relay) through the `storeHealthResult` activity on
 * the `health-checks` queue; admins are emailed when a check changes state.
 */

/** `warning` and `critical` are problems an admin is told about; `ok` is quiet. */
export type HealthStatus = 'ok' | 'warning' | 'critical';

export const HEALTH_STATUSES: readonly HealthStatus[] = ['ok', 'warning', 'critical'];

/** The limits a measurement was compared with (same unit as the value); null where none applies. */
export interface HealthThreshold {
  warning: number | null;
  critical: number | null;
}

export interface HealthCheckResult {
  /**
   * Stable name: the key of the check's alert state, so it must not vary between runs
   * (`disk:/var/lib/capitolscope`, `queue:notifications:backlog`, `upstream:senate-efd`, `backup`).
   */
  name: string;
  status: HealthStatus;
  /** A number an operator can compare over time: percent used, latency in ms, a count; null when not measured. */
  value: number | null;
  unit: string;
  /** What the value was compared with; omitted or null when the check has no numeric limit. */
  threshold?: HealthThreshold | null;
  /** The reason, in a sentence: what was measured and why it is (not) a problem. */
  detail: string;
  /** What an operator should do about a problem: a command to run, a page to read. */
  action?: string;
}

const RANK: Record<HealthStatus, number> = { ok: 0, warning: 1, critical: 2 };

export function statusRank(s: HealthStatus): number {
  return RANK[s];
}

/**
 * Stored results and other workflows' reports written before `warning` was the name say `warn`:
 * read both as `warning`, so old rows and a not-yet-upgraded reporter stay readable.
 */
export function normalizeStatus(s: string): HealthStatus {
  if (s === 'warn') return 'warning';
  if (s === 'ok' || s === 'warning' || s === 'critical') return s;
  throw new Error(`unknown health status "${s}" (expected ok, warning or critical)`);
}

/** `value` against limits where higher is worse (percent used, latency, backlog, age). */
export function classifyAbove(value: number, threshold: HealthThreshold): HealthStatus {
  if (threshold.critical !== null && value >= threshold.critical) return 'critical';
  if (threshold.warning !== null && value >= threshold.warning) return 'warning';
  return 'ok';
}

/** Kept for callers that compare a percentage with two limits. */
export function classifyPercent(percent: number, warnAt: number, criticalAt: number): HealthStatus {
  return classifyAbove(percent, { warning: warnAt, critical: criticalAt });
}

/** The worst status among the checks; no checks at all is not healthy. */
export function overallStatus(checks: readonly Pick<HealthCheckResult, 'status'>[]): HealthStatus {
  if (checks.length === 0) return 'critical';
  return checks.reduce<HealthStatus>((worst, c) => (RANK[c.status] > RANK[worst] ? c.status : worst), 'ok');
}

/** A result as stored and shown: status normalised, threshold present (null when none). */
export function normalizeCheck(
  c: HealthCheckResult | (Omit<HealthCheckResult, 'status'> & { status: string }),
) {
  return { ...c, status: normalizeStatus(c.status), threshold: c.threshold ?? null } as HealthCheckResult;
}

/** A value with its limits, as people read it: `93.1% (warning at 80%, critical at 90%)`. */
export function measurement(c: HealthCheckResult): string | null {
  if (c.value === null) return null;
  const unit = c.unit === 'percent' ? '%' : c.unit ? ` ${c.unit}` : '';
  const limits = [
    c.threshold?.warning != null ? `warning at ${c.threshold.warning}${unit}` : null,
    c.threshold?.critical != null ? `critical at ${c.threshold.critical}${unit}` : null,
  ].filter(Boolean);
  return `${c.value}${unit}${limits.length ? ` (${limits.join(', ')})` : ''}`;
}

/** Round to one decimal: enough for percentages and milliseconds, readable in the Web UI. */
export function round1(n: number): number {
  return Math.round(n * 10) / 10;
}

// ---- contracts -------------------------------------------------------------------------------

/** What `storeHealthResult` answers. */
export interface StoredHealthResult {
  id: number;
  status: HealthStatus;
  /** Checks whose state changed (or were re-announced) in this result. */
  announced: number;
  /** Admin emails sent by this call (this result's, and any earlier still pending). */
  emailsSent: number;
  /** Admin emails still waiting for the mail relay. */
  emailsPending: number;
}

/** What the health workflows return: readable in the Web UI, small in the history. */
export interface HealthRunResult {
  status: HealthStatus;
  recordId: number;
  /** `name → "status: detail"` for every check. */
  checks: Record<string, string>;
  announced: number;
}

/** How a check that could not run at all (timed out, crashed) is reported, so the run still stores a result. */
export function failedCheck(name: string, error: string): HealthCheckResult {
  return {
    name,
    status: 'critical',
    value: null,
    unit: '',
    threshold: null,
    detail: `the check itself failed: ${error}`,
    action: 'See the health-checks worker log and the SystemHealthWorkflow run in the Web UI',
  };
}

export function summarizeRun(
  checks: readonly HealthCheckResult[],
  stored: StoredHealthResult,
): HealthRunResult {
  return {
    status: stored.status,
    recordId: stored.id,
    checks: Object.fromEntries(checks.map((c) => [c.name, `${c.status}: ${c.detail}`])),
    announced: stored.announced,
  };
}

/** Round trip of `capitolscope test`: which worker answered on a queue. */
export interface RoundTripResult {
  taskQueue: string;
  /** host:pid of the worker that ran the activity. */
  worker: string;
}
