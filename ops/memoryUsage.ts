import { readFile } from 'node:fs/promises';
import { freemem, totalmem } from 'node:os';

export interface MemoryUsage {
  total: number;
  available: number;
  /** Whether `total` is a container's (cgroup v2) limit rather than the host's memory. */
  container: boolean;
}

/** Memory of the container this process runs in when it has a limit, else of the host. */
export async function memoryUsage(): Promise<MemoryUsage> {
  // In a container with a memory limit, the limit is what runs out, not the host's memory.
  const limited = await cgroupMemory();
  if (limited) return { ...limited, container: true };
  // MemAvailable counts reclaimable cache, which os.freemem() may not on older kernels.
  try {
    const text = await readFile('/proc/meminfo', 'utf8');
    const kb = (key: string) => Number(new RegExp(`^${key}:\\s+(\\d+)`, 'm').exec(text)?.[1] ?? NaN) * 1024;
    const total = kb('MemTotal');
    const available = kb('MemAvailable');
    if (Number.isFinite(total) && Number.isFinite(available)) return { total, available, container: false };
  } catch {
    // not Linux
  }
  return { total: totalmem(), available: freemem(), container: false };
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
