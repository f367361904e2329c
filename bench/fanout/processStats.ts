import { readdirSync, readFileSync } from 'node:fs';

/** Kernel clock ticks per second (`getconf CLK_TCK`; 100 on Linux). */
const TICKS = 100;

/** CPU seconds (user + system) a process has used so far; 0 once it is gone. */
export function cpuSeconds(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name (which may hold spaces, inside parentheses).
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / TICKS;
  } catch {
    return 0;
  }
}

/** A process and all its descendants (PostgreSQL's backends, the Temporal CLI's server). */
export function processTree(root: number): number[] {
  const children = new Map<number, number[]>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      children.set(ppid, [...(children.get(ppid) ?? []), Number(entry)]);
    } catch {
      // gone meanwhile
    }
  }
  const tree: number[] = [];
  const walk = (pid: number) => {
    tree.push(pid);
    for (const c of children.get(pid) ?? []) walk(c);
  };
  walk(root);
  return tree;
}

/** Resident memory of a process now, in bytes; 0 once it is gone. */
export function rssBytes(pid: number): number {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    return Number(/^VmRSS:\s+(\d+) kB/m.exec(status)?.[1] ?? 0) * 1024;
  } catch {
    return 0;
  }
}

/**
 * CPU used by named groups of processes between `start()` and `stop()`, counting processes that
 * appear meanwhile (PostgreSQL starts a backend per connection) and those that end (a backend's CPU
 * is read while it lives, every `everyMs`); the peak resident memory of each group's largest process,
 * and the peak of the group's processes together.
 */
export class ProcessMeter {
  private readonly first = new Map<number, number>();
  private readonly last = new Map<number, number>();
  private readonly peakRss = new Map<string, number>();
  private readonly peakTotalRss = new Map<string, number>();
  private timer: NodeJS.Timeout | null = null;

  constructor(private readonly groups: Record<string, () => number[]>) {}

  start(everyMs = 250): void {
    this.sample(true);
    this.timer = setInterval(() => this.sample(false), everyMs);
  }

  stop(): {
    cpuSeconds: Record<string, number>;
    peakRssBytes: Record<string, number>;
    peakTotalRssBytes: Record<string, number>;
  } {
    if (this.timer) clearInterval(this.timer);
    this.sample(false);
    const cpu: Record<string, number> = {};
    for (const [name, pids] of Object.entries(this.groupPids())) {
      cpu[name] = [...pids].reduce((s, pid) => s + (this.last.get(pid) ?? 0) - (this.first.get(pid) ?? 0), 0);
    }
    return {
      cpuSeconds: cpu,
      peakRssBytes: Object.fromEntries(this.peakRss),
      peakTotalRssBytes: Object.fromEntries(this.peakTotalRss),
    };
  }

  private seen = new Map<string, Set<number>>();

  private groupPids(): Record<string, Set<number>> {
    return Object.fromEntries(this.seen);
  }

  private sample(initial: boolean): void {
    for (const [name, pids] of Object.entries(this.groups)) {
      const set = this.seen.get(name) ?? new Set<number>();
      this.seen.set(name, set);
      let largest = 0;
      let total = 0;
      for (const pid of pids()) {
        const cpu = cpuSeconds(pid);
        if (!set.has(pid)) {
          set.add(pid);
          // A process born after start() counts from 0.
          this.first.set(pid, initial ? cpu : 0);
        }
        if (cpu > 0) this.last.set(pid, cpu);
        const rss = rssBytes(pid);
        largest = Math.max(largest, rss);
        total += rss;
      }
      this.peakRss.set(name, Math.max(this.peakRss.get(name) ?? 0, largest));
      this.peakTotalRss.set(name, Math.max(this.peakTotalRss.get(name) ?? 0, total));
    }
  }
}
