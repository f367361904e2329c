import { statfs, readFile } from 'node:fs/promises';
import { freemem, totalmem } from 'node:os';
import { Context } from '@temporalio/activity';
import { classifyPercent, overallStatus, type HealthCheckResult, type HealthStatus } from '../domain/health';
import { recordHealthCheck } from '../store/healthChecks';
import type { ActivityDeps } from './deps';

export function createHealthActivities({ config, db }: ActivityDeps) {
  const t = config.health;
  return {
    async checkDisk(): Promise<HealthCheckResult> {
      const s = await statfs(t.diskPath);
      const used = 100 * (1 - s.bavail / s.blocks);
      const freeGiB = (s.bavail * s.bsize) / 2 ** 30;
      return {
        name: 'disk',
        status: classifyPercent(used, t.diskWarnPercent, t.diskCriticalPercent),
        value: round(used),
        unit: 'percent',
        detail: `${t.diskPath}: ${round(used)}% used, ${round(freeGiB)} GiB free`,
      };
    },

    async checkMemory(): Promise<HealthCheckResult> {
      const { total, available } = await memoryInfo();
      const used = 100 * (1 - available / total);
      return {
        name: 'memory',
        status: classifyPercent(used, t.memoryWarnPercent, t.memoryCriticalPercent),
        value: round(used),
        unit: 'percent',
        detail: `${round(used)}% used, ${round(available / 2 ** 30)} GiB available of ${round(total / 2 ** 30)} GiB`,
      };
    },

    async checkDatabase(): Promise<HealthCheckResult> {
      const started = performance.now();
      try {
        await db.query('SELECT 1');
      } catch (err) {
        return {
          name: 'database',
          status: 'critical',
          value: null,
          unit: 'ms',
          detail: (err as Error).message,
        };
      }
      const ms = performance.now() - started;
      // A round-trip over 500 ms means the database or the network to it is in trouble.
      const status: HealthStatus = ms > 2000 ? 'critical' : ms > 500 ? 'warn' : 'ok';
      return { name: 'database', status, value: round(ms), unit: 'ms', detail: `round-trip ${round(ms)} ms` };
    },

    async storeHealthResult(checks: HealthCheckResult[]): Promise<{ id: number; status: HealthStatus }> {
      const { workflowExecution, activityId } = Context.current().info;
      const status = overallStatus(checks);
      const id = await recordHealthCheck(db, {
        workflowId: workflowExecution?.workflowId ?? activityId,
        runId: workflowExecution?.runId ?? activityId,
        status,
        checks,
      });
      return { id, status };
    },
  };
}

export type HealthActivities = ReturnType<typeof createHealthActivities>;

async function memoryInfo(): Promise<{ total: number; available: number }> {
  // In a container with a memory limit, the limit is what runs out, not the host's memory.
  const limited = await cgroupMemory();
  if (limited) return limited;
  // MemAvailable counts reclaimable cache, which os.freemem() may not on older kernels.
  try {
    const text = await readFile('/proc/meminfo', 'utf8');
    const kb = (key: string) => Number(new RegExp(`^${key}:\\s+(\\d+)`, 'm').exec(text)?.[1] ?? NaN) * 1024;
    const total = kb('MemTotal');
    const available = kb('MemAvailable');
    if (Number.isFinite(total) && Number.isFinite(available)) return { total, available };
  } catch {
    // not Linux
  }
  return { total: totalmem(), available: freemem() };
}

/** cgroup v2 limit and usage (less reclaimable file cache), when a finite limit is set. */
async function cgroupMemory(): Promise<{ total: number; available: number } | null> {
  try {
    const max = (await readFile('/sys/fs/cgroup/memory.max', 'utf8')).trim();
    if (max === 'max') return null;
    const total = Number(max);
    const current = Number((await readFile('/sys/fs/cgroup/memory.current', 'utf8')).trim());
    const stat = await readFile('/sys/fs/cgroup/memory.stat', 'utf8');
    const inactiveFile = Number(/^inactive_file (\d+)/m.exec(stat)?.[1] ?? 0);
    if (!Number.isFinite(total) || !Number.isFinite(current)) return null;
    return { total, available: Math.max(0, total - (current - inactiveFile)) };
  } catch {
    return null;
  }
}

function round(n: number): number {
  return Math.round(n * 10) / 10;
}
