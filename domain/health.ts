export type HealthStatus = 'ok' | 'warn' | 'critical';

export interface HealthCheckResult {
  name: string;
  status: HealthStatus;
  /** A number an operator can compare over time: percent used, latency in ms, ... */
  value: number | null;
  unit: string;
  detail: string;
}

const RANK: Record<HealthStatus, number> = { ok: 0, warn: 1, critical: 2 };

export function classifyPercent(percent: number, warnAt: number, criticalAt: number): HealthStatus {
  if (percent >= criticalAt) return 'critical';
  if (percent >= warnAt) return 'warn';
  return 'ok';
}

/** The worst status among the checks; no checks at all is not healthy. */
export function overallStatus(checks: HealthCheckResult[]): HealthStatus {
  if (checks.length === 0) return 'critical';
  return checks.reduce<HealthStatus>((worst, c) => (RANK[c.status] > RANK[worst] ? c.status : worst), 'ok');
}
