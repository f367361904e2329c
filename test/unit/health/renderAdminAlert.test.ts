import { describe, expect, it } from 'vitest';
import { evaluateAlerts, type CheckState } from '../../../domain/adminAlerts';
import type { HealthCheckResult } from '../../../domain/health';
import { renderAdminAlert } from '../../../mail/renderAdminAlert';

const t0 = new Date('2025-01-17T14:00:00Z');
const disk = (status: HealthCheckResult['status'], value: number): HealthCheckResult => ({
  name: 'disk:/data',
  status,
  value,
  unit: 'percent',
  threshold: { warning: 80, critical: 90 },
  detail: `/data: ${value}% used`,
  action: 'Free space <now>',
});

describe('admin alert email', () => {
  it('says what changed, the measurement against its limits, and what to do', () => {
    const { changes } = evaluateAlerts(new Map(), [disk('critical', 93)], t0, 1);
    const email = renderAdminAlert({
      changes,
      openProblems: [{ name: 'source:senate', status: 'warning', since: t0, detail: 'last sync 5 h ago' }],
      workflowId: 'system-health-2025-01-17T14:00:00Z',
      at: t0,
    });
    expect(email.subject).toBe('[CapitolScope critical] disk:/data is critical');
    expect(email.text).toContain('Measured: 93% (warning at 80%, critical at 90%)');
    expect(email.text).toContain('What to do: Free space <now>');
    expect(email.text).toContain('WARNING   source:senate since 2025-01-17 14:00 UTC: last sync 5 h ago');
    expect(email.html).toContain('Free space &lt;now&gt;');
    expect(email.html).not.toContain('<now>');
  });

  it('a recovery says how long the problem lasted', () => {
    const previous = new Map<string, CheckState>([
      [
        'disk:/data',
        {
          name: 'disk:/data',
          status: 'critical',
          since: t0,
          problemSince: t0,
          lastAnnouncedAt: t0,
          recentChanges: [],
          flapping: false,
        },
      ],
    ]);
    const later = new Date(t0.getTime() + 23 * 60_000);
    const { changes } = evaluateAlerts(previous, [disk('ok', 50)], later, 6 * 3_600_000);
    const email = renderAdminAlert({ changes, openProblems: [], workflowId: 'w', at: later });
    expect(email.subject).toBe('[CapitolScope recovered] disk:/data recovered after 23 min');
    expect(email.text).not.toContain('What to do');
  });
});
