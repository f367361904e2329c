import { describe, expect, it } from 'vitest';
import {
  assessDisk,
  assessSchedule,
  assessSourceSync,
  assessTaskQueue,
  assessUpstream,
} from '../../../domain/healthAssessments';
import { normalizeStatus, overallStatus } from '../../../domain/health';

const limits = { warning: 80, critical: 90 };

describe('health assessments', () => {
  it('disk space and inodes against 80/90 %', () => {
    const [space, inodes] = assessDisk(
      { path: '/data', usedPercent: 85.04, freeBytes: 2 * 2 ** 30, inodesUsedPercent: 95, freeInodes: 10 },
      limits,
    );
    expect(space).toMatchObject({ name: 'disk:/data', status: 'warning', value: 85, threshold: limits });
    expect(space!.detail).toBe('/data: 85% used, 2 GiB free');
    expect(inodes).toMatchObject({ name: 'inodes:/data', status: 'critical', value: 95 });
  });

  it('a file system without inode counts is not a problem', () => {
    const [, inodes] = assessDisk(
      { path: '/b', usedPercent: 1, freeBytes: 1, inodesUsedPercent: null, freeInodes: null },
      limits,
    );
    expect(inodes!.status).toBe('ok');
  });

  it('a queue without pollers is a warning once and critical when the previous run found none too', () => {
    const q = { name: 'maintenance', workflowPollers: 0, activityPollers: 0, backlog: 0, oldestTaskAgeMs: 0 };
    const cfg = {
      backlog: { warning: 100, critical: 500 },
      taskAgeMs: { warning: 600_000, critical: 3_600_000 },
    };
    expect(assessTaskQueue(q, undefined, cfg)[0]!.status).toBe('warning');
    expect(assessTaskQueue(q, 'ok', cfg)[0]!.status).toBe('warning');
    expect(assessTaskQueue(q, 'warning', cfg)[0]!.status).toBe('critical');
    expect(
      assessTaskQueue({ ...q, workflowPollers: 1, activityPollers: 1 }, 'critical', cfg)[0]!.status,
    ).toBe('ok');
    const [, backlog, age] = assessTaskQueue(
      { ...q, backlog: 501, oldestTaskAgeMs: 700_000 },
      undefined,
      cfg,
    );
    expect(backlog).toMatchObject({ status: 'critical', value: 501 });
    expect(age).toMatchObject({
      status: 'warning',
      value: 700,
      unit: 's',
      threshold: { warning: 600, critical: 3600 },
    });
  });

  it('schedules: the latest run failed is a warning, all recent runs failed is critical, paused is said', () => {
    const run = (outcome: string, i: number) => ({ workflowId: `s-${i}`, outcome });
    const s = (outcomes: string[], paused = false) =>
      assessSchedule({ id: 's', paused, note: paused ? 'site down' : null, recentRuns: outcomes.map(run) });
    expect(s(['completed', 'failed']).status).toBe('ok');
    expect(s(['timed_out', 'completed']).status).toBe('warning');
    expect(s(['failed', 'timed_out', 'failed']).status).toBe('critical');
    expect(s(['running', 'failed', 'failed']).status).toBe('critical');
    const paused = s(['completed'], true);
    expect(paused.status).toBe('ok');
    expect(paused.detail).toContain('paused (site down)');
  });

  it('sources: warning at twice the trade-sync interval, critical at six times', () => {
    const now = new Date('2025-01-17T12:00:00Z');
    const ago = (h: number) => new Date(now.getTime() - h * 3_600_000);
    const twoHours = 2 * 3_600_000;
    expect(assessSourceSync('house', ago(3.9), now, twoHours).status).toBe('ok');
    expect(assessSourceSync('house', ago(4), now, twoHours).status).toBe('warning');
    expect(assessSourceSync('house', ago(12), now, twoHours).status).toBe('critical');
    expect(assessSourceSync('senate', null, now, twoHours).status).toBe('warning');
  });

  it('upstreams: down is critical, slow or nearly out of rate limit is a warning', () => {
    const up = (p: object) =>
      assessUpstream('x', { ok: true, latencyMs: 10, detail: 'fine', ...p }, 5000, 'do it').status;
    expect(up({})).toBe('ok');
    expect(up({ ok: false })).toBe('critical');
    expect(up({ latencyMs: 6000 })).toBe('warning');
    expect(up({ rateLimitRemaining: 40, rateLimitLimit: 5000 })).toBe('warning');
  });

  it('reads the old name warn as warning; no checks at all is critical', () => {
    expect(normalizeStatus('warn')).toBe('warning');
    expect(() => normalizeStatus('bad')).toThrow(/unknown health status/);
    expect(overallStatus([])).toBe('critical');
    expect(overallStatus([{ status: 'ok' }, { status: 'warning' }])).toBe('warning');
  });
});
