import { fork, type ChildProcess } from 'node:child_process';

/**
 * Child processes kept between jobs of ops/isolatedJob.ts. Starting Node, tsx and pdf.js costs about
 * 1.4 s of CPU, against some 75 ms to read a typical PTR, so a process that answered goes back here
 * for the next job with the same script and flags. One that ran past a deadline, was aborted or died
 * is never kept, nor one a large document left much bigger than it was after its first job. Idle ones
 * hold no reference on this process's event loop (it can exit around them), leave after IDLE_MS, and
 * a process retires after MAX_JOBS so nothing a library caches grows for ever.
 */
export interface WarmProcess {
  readonly child: ChildProcess;
  readonly key: string;
  jobs: number;
  /** Resident memory after its first job: what its modules and a document cost. */
  firstRss?: number;
  idleTimer?: NodeJS.Timeout;
}

const IDLE_MS = 30_000;
const MAX_JOBS = 200;
/** Retired when its memory after a job exceeds this multiple of what it was after its first. */
const BLOAT_FACTOR = 1.25;
/** More idle than this per kind are ended: a trade sync reads four documents at once. */
const MAX_IDLE = 4;

const idle = new Map<string, WarmProcess[]>();

function alive(child: ChildProcess): boolean {
  return child.connected && child.exitCode === null && child.signalCode === null;
}

/** References on the event loop: held while a job runs, dropped while idle. */
function hold(child: ChildProcess, held: boolean): void {
  const handles = [child, child.channel, child.stderr] as (
    { ref?(): void; unref?(): void } | null | undefined
  )[];
  for (const h of handles) (held ? h?.ref : h?.unref)?.call(h);
}

/** An idle process started with `script` and `execArgv`, or a new one. */
export function takeWarmProcess(script: URL, execArgv: string[]): WarmProcess {
  const key = `${script.href} ${execArgv.join(' ')}`;
  const waiting = idle.get(key) ?? [];
  for (let warm = waiting.pop(); warm; warm = waiting.pop()) {
    clearTimeout(warm.idleTimer);
    if (!alive(warm.child)) continue;
    hold(warm.child, true);
    return warm;
  }
  const child = fork(script, [], {
    execArgv,
    // Structured clone over IPC, so bytes travel as bytes (as they do to a thread).
    serialization: 'advanced',
    stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
  });
  // Drained while idle too, so a chatty library cannot fill the pipe and stall the process.
  child.stderr?.resume();
  return { child, key, jobs: 0 };
}

/**
 * Back to the pool after an answer (`rss`: its resident memory then, collected), unless it is bloated,
 * has done its share or enough are waiting.
 */
export function keepWarm(warm: WarmProcess, rss: number | undefined): void {
  warm.jobs++;
  warm.firstRss ??= rss;
  // Freed heap is not always given back: a process a large document left much bigger goes.
  const bloated = rss === undefined || rss > (warm.firstRss ?? 0) * BLOAT_FACTOR;
  const waiting = idle.get(warm.key) ?? [];
  if (bloated || !alive(warm.child) || warm.jobs >= MAX_JOBS || waiting.length >= MAX_IDLE) {
    if (alive(warm.child)) warm.child.kill();
    return;
  }
  hold(warm.child, false);
  warm.idleTimer = setTimeout(() => {
    const at = waiting.indexOf(warm);
    if (at >= 0) waiting.splice(at, 1);
    warm.child.kill();
  }, IDLE_MS);
  warm.idleTimer.unref();
  waiting.push(warm);
  idle.set(warm.key, waiting);
}
