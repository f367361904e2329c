import { Context } from '@temporalio/activity';
import type { MetricMeter, MetricTags } from '@temporalio/common';
import type { HealthCheckResult } from '../domain/health';
import { statusRank } from '../domain/health';

/**
 * CapitolScope's own metrics, beside the SDK's, on each worker's `/metrics`. They are recorded through
 * the running activity's metric meter, so Core's Prometheus exporter serves them with the activity's
 * labels (namespace, task_queue, activity_type) plus the ones below. Outside an activity (tests that
 * call an activity function directly, scripts) recording is a no-op.
 *
 * Each is one call from the code that knows the fact; the names are listed in deploy/README.md with
 * the alert rules an operator would use.
 */
export const METRICS = {
  /** Gauge: 0 ok, 1 warning, 2 critical; label `check`. */
  healthStatus: 'capitolscope_health_status',
  /** Gauge: the check's measured value; labels `check`, `unit`. */
  healthValue: 'capitolscope_health_value',
  /** Counters; label `source` (house, senate). */
  filingsDiscovered: 'capitolscope_filings_discovered',
  filingsParsed: 'capitolscope_filings_parsed',
  filingsPaper: 'capitolscope_filings_paper',
  filingsFailed: 'capitolscope_filings_failed',
  /** Counters of alert notifications (one email may carry several). */
  alertsSent: 'capitolscope_alerts_sent',
  alertsFailed: 'capitolscope_alerts_failed',
  alertsSuppressed: 'capitolscope_alerts_suppressed',
  /** Histogram, seconds from a filing's first sighting to its alert email being accepted; label `kind`. */
  alertLatency: 'capitolscope_alert_latency_seconds',
  /** Counter of admin alert emails; label `outcome` (sent, retried, failed). */
  adminEmails: 'capitolscope_admin_emails',
} as const;

/** Bucket bounds (seconds) for the latency histogram: from a minute to a week. */
export const METRIC_HISTOGRAM_BUCKETS: Record<string, number[]> = {
  [METRICS.alertLatency]: [60, 300, 900, 1800, 3600, 7200, 14_400, 43_200, 86_400, 259_200, 604_800],
};

function meter(): MetricMeter | null {
  try {
    return Context.current().metricMeter;
  } catch {
    return null;
  }
}

function count(name: string, n: number, tags: MetricTags = {}, description?: string): void {
  if (n <= 0) return;
  meter()?.createCounter(name, '1', description).add(n, tags);
}

type Source = 'house' | 'senate';

/** Filings: newly discovered, then one outcome each as ingestion stores or gives up on them. */
export const filingMetrics = {
  discovered: (source: Source, n: number) => count(METRICS.filingsDiscovered, n, { source }),
  /** After a filing was stored (`parsed` or `paper`) or given up (`failed`). */
  outcome: (source: Source, status: string) => {
    const name =
      status === 'parsed'
        ? METRICS.filingsParsed
        : status === 'paper'
          ? METRICS.filingsPaper
          : status === 'failed'
            ? METRICS.filingsFailed
            : null;
    if (name) count(name, 1, { source });
  },
};

export const alertMetrics = {
  failed: (n: number) => count(METRICS.alertsFailed, n),
  suppressed: (n: number) => count(METRICS.alertsSuppressed, n),
  /**
   * Notifications whose email was just accepted at `acceptedAt`: counts them and records how long each
   * took from its filing's first sighting.
   */
  sent(firstSeen: readonly Date[], kind: string, acceptedAt: Date): void {
    const m = meter();
    if (!m || firstSeen.length === 0) return;
    count(METRICS.alertsSent, firstSeen.length, { kind });
    const histogram = m.createHistogram(
      METRICS.alertLatency,
      'float',
      's',
      'first sighting to email accepted',
    );
    for (const seen of firstSeen) {
      histogram.record(Math.max(0, (acceptedAt.getTime() - new Date(seen).getTime()) / 1000), { kind });
    }
  },
};

export const healthMetrics = {
  checks(checks: readonly HealthCheckResult[]): void {
    const m = meter();
    if (!m) return;
    const status = m.createGauge(METRICS.healthStatus, 'int', '', '0 ok, 1 warning, 2 critical');
    const value = m.createGauge(METRICS.healthValue, 'float', '', 'the measured value of a health check');
    for (const c of checks) {
      status.set(statusRank(c.status), { check: c.name });
      if (c.value !== null && Number.isFinite(c.value)) value.set(c.value, { check: c.name, unit: c.unit });
    }
  },
  adminEmail: (outcome: 'sent' | 'retried' | 'failed') => count(METRICS.adminEmails, 1, { outcome }),
};
