import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../../domain/config';

describe('health configuration', () => {
  it('watches the data folder by default, and every path of HEALTH_DISK_PATHS when set', () => {
    expect(loadConfig({ DATA_DIR: '/var/lib/capitolscope' }).health.diskPaths).toEqual([
      '/var/lib/capitolscope',
    ]);
    expect(loadConfig({ HEALTH_DISK_PATHS: '/data, /backup ,/var/log' }).health.diskPaths).toEqual([
      '/data',
      '/backup',
      '/var/log',
    ]);
  });

  it('reads durations and limits', () => {
    const h = loadConfig({ ADMIN_ALERT_REPEAT: '90m', HEALTH_QUEUE_BACKLOG_WARNING: '5' }).health;
    expect(h.adminAlertRepeatMs).toBe(90 * 60_000);
    expect(h.queueBacklog).toEqual({ warning: 5, critical: 500 });
    expect(h.dbTransactionMs).toEqual({ warning: 30 * 60_000, critical: 2 * 3_600_000 });
    expect(h.dbSizeGb).toEqual({ warning: null, critical: null });
  });

  it.each([
    [
      { ADMIN_ALERT_REPEAT: '6 hours' },
      'invalid configuration: ADMIN_ALERT_REPEAT: must be a duration like 90s, 30m, 2h or 1d',
    ],
    [
      { HEALTH_QUEUE_BACKLOG_WARNING: '600' },
      'invalid configuration: HEALTH_QUEUE_BACKLOG_WARNING must be below HEALTH_QUEUE_BACKLOG_CRITICAL',
    ],
    [
      { DISK_WARN_PERCENT: '95' },
      'invalid configuration: DISK_WARN_PERCENT must be below DISK_CRITICAL_PERCENT',
    ],
    [{ HEALTH_DISK_PATHS: ' , ' }, 'invalid configuration: HEALTH_DISK_PATHS: must name at least one path'],
    [
      { HEALTH_DB_SIZE_WARNING_GB: '20', HEALTH_DB_SIZE_CRITICAL_GB: '10' },
      'invalid configuration: HEALTH_DB_SIZE_WARNING_GB must be below HEALTH_DB_SIZE_CRITICAL_GB',
    ],
  ])('%o is refused in one line', (env, message) => {
    expect(() => loadConfig(env)).toThrow(message);
  });
});
