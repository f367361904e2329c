import { request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { METRICS } from '../../activities/metrics';
import type { HealthRunResult } from '../../domain/health';
import { TASK_QUEUES } from '../../domain/taskQueues';
import { seedUser } from '../support/seed';
import {
  FIXTURE_FILINGS,
  houseIndexXml,
  serveHouseIndex,
  startTestSystem,
  type TestSystem,
} from '../support/system';
import { waitFor } from '../support/wait';

/**
 * The workers' /metrics (Core's Prometheus exporter behind the status port) carries CapitolScope's
 * own metrics, recorded by the activities that know the facts: a real trade sync that alerts a user,
 * and a real system-health run.
 */
let sys: TestSystem;

beforeAll(async () => {
  sys = await startTestSystem(
    { HEALTH_DISK_PATHS: '/', ADMIN_EMAILS: 'ops@capitolscope.test' },
    { statusPort: 0 },
  );
});
afterAll(async () => sys?.stop());

async function metrics(): Promise<string> {
  const res = await request(`http://127.0.0.1:${sys.workers.statusPort}/metrics`);
  expect(res.statusCode).toBe(200);
  return res.body.text();
}

/** The value of the first sample of `name` whose labels include all of `labels`. */
function sample(text: string, name: string, labels: Record<string, string> = {}): number | null {
  for (const line of text.split('\n')) {
    if (!line.startsWith(`${name}{`) && !line.startsWith(`${name} `)) continue;
    if (Object.entries(labels).every(([k, v]) => line.includes(`${k}="${v}"`))) {
      return Number(line.slice(line.lastIndexOf(' ') + 1));
    }
  }
  return null;
}

describe('worker metrics', () => {
  it('filings discovered, parsed and paper, alerts sent, and the alert latency histogram', async () => {
    serveHouseIndex(sys.sites, houseIndexXml({ without: [FIXTURE_FILINGS.pelosi, FIXTURE_FILINGS.cohen] }));
    await sys.sync(['house']);
    await seedUser(sys.db, 'metrics@example.com', [{ member: 'Pelosi' }]);
    serveHouseIndex(sys.sites, houseIndexXml());
    const summary = await sys.sync(['house']);
    expect(summary.emailsSent).toBe(1);
    const text = await waitFor(async () => {
      const t = await metrics();
      return sample(t, METRICS.alertsSent) !== null && t;
    });
    expect(sample(text, METRICS.filingsDiscovered, { source: 'house' })).toBeGreaterThanOrEqual(
      summary.filings.new,
    );
    expect(sample(text, METRICS.filingsParsed, { source: 'house' })).toBeGreaterThanOrEqual(
      summary.filings.parsed,
    );
    expect(sample(text, METRICS.filingsPaper, { source: 'house' })).toBeGreaterThanOrEqual(1);
    const { rows } = await sys.db.query(`SELECT count(*)::int AS n FROM notifications WHERE status = 'sent'`);
    expect(sample(text, METRICS.alertsSent, { kind: 'instant' })).toBe(rows[0].n);
    expect(sample(text, `${METRICS.alertLatency}_count`, { kind: 'instant' })).toBe(rows[0].n);
    // Bucket bounds are in seconds, from a minute to a week: a fresh filing lands in the first.
    expect(sample(text, `${METRICS.alertLatency}_bucket`, { kind: 'instant', le: '60' })).toBe(rows[0].n);
    expect(text).toContain(`${METRICS.alertLatency}_bucket{`);
    expect(text).toMatch(/le="604800"/);
  });

  it('health values as gauges, and the admin emails sent', async () => {
    const result = (await sys.client.workflow.execute('SystemHealthWorkflow', {
      taskQueue: TASK_QUEUES.healthChecks,
      workflowId: 'metrics-health',
    })) as HealthRunResult;
    const text = await metrics();
    expect(sample(text, METRICS.healthStatus, { check: 'database' })).toBe(0);
    expect(sample(text, METRICS.healthValue, { check: 'disk:/', unit: 'percent' })).toBeGreaterThan(0);
    // Nothing has failed in this system: its filings-failed count is 0.
    expect(sample(text, METRICS.healthValue, { check: 'filings:failed' })).toBe(0);
    const status = (s: string) => ({ ok: 0, warning: 1, critical: 2 })[s.split(':')[0] as 'ok'];
    expect(sample(text, METRICS.healthStatus, { check: 'source:senate' })).toBe(
      status(result.checks['source:senate']!),
    );
    // Some check is not ok on a fresh system (the Senate has never synced): the admin was emailed.
    expect(result.announced).toBeGreaterThan(0);
    expect(sample(text, METRICS.adminEmails, { outcome: 'sent' })).toBe(1);
    const mail = await sys.smtp.messages();
    expect(mail.filter((m) => m.to.includes('ops@capitolscope.test'))).toHaveLength(1);
  });
});
